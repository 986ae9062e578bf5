import { coopainsOf } from '../data/coopains.ts';
import { membersOfGroup } from '../data/groups.ts';
import { membersBySection } from '../data/members.ts';
import type { Audience } from '../data/posts.ts';

/**
 * One page of the members who may be reached by content at this audience (ADR 003, 008, 010): the
 * section's roster for a section's pages or agenda (hidden members included), a group's active
 * members, the author's coopains otherwise (coopains, and — since « Toute la coopol » holds the
 * rest — posts and events to the adherents or to every member). The fan-outs check each of them
 * with the policy; erasure finds the entries the fan-outs wrote the same way.
 */
export async function circlePage(
  audience: Audience,
  authorId: string,
  opts: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ ids: string[]; lastKey?: Record<string, unknown> }> {
  if (audience.kind === 'section-public' || audience.kind === 'section-private') {
    const page = await membersBySection(audience.sectionId, { pendingOnly: false, ...opts });
    return { ids: page.items.map((m) => m.id), ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
  }
  if (audience.kind === 'group') {
    const page = await membersOfGroup(audience.groupId, { pendingOnly: false, ...opts });
    return {
      ids: page.memberships.map((m) => m.memberId),
      ...(page.lastKey ? { lastKey: page.lastKey } : {}),
    };
  }
  return coopainsOf(authorId, opts);
}

/** Every member of the circle (erasure: bounded by a section's roster or a group's size). */
export async function wholeCircle(audience: Audience, authorId: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await circlePage(audience, authorId, { limit: 500, ...(startKey ? { startKey } : {}) });
    ids.push(...page.ids);
    startKey = page.lastKey;
  } while (startKey);
  return ids;
}
