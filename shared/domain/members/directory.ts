import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import {
  blockedEitherWay,
  directoryTierFor,
  effectiveMembership,
  mayListInDirectory,
} from '../../auth/policy.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { searchDirectory as queryDirectory } from '../../data/directory.ts';
import { getMembers, type Membership } from '../../data/members.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { Id } from '../schemas.ts';

export const DirectoryQuery = z.strictObject({
  q: z.optional(z.string().check(z.trim(), z.maxLength(60, 'Trop long : 60 caractères au plus.'))),
  section: z.optional(Id),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export interface DirectoryCard {
  id: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  section: { id: string; name: string } | null;
}

const PAGE = 20;

/**
 * « L'annuaire des socialistes » (SPEC §2): the members the actor may see by the visibility rule
 * alone. One Query on the actor's tier of the directory index, then the hits are re-read from the
 * table (strongly consistent) and re-checked by the policy: a stale index entry (GSIs lag in AWS)
 * never shows a member who just lowered their visibility. Blocks both ways are dropped.
 */
export async function searchDirectory(
  actor: Actor,
  query: z.infer<typeof DirectoryQuery>,
  deps: Deps = defaultDeps,
): Promise<{ items: DirectoryCard[]; cursor: string | null }> {
  const startKey = startKeyOf(query.cursor);
  const page = await queryDirectory({
    tier: directoryTierFor(actor.member),
    prefix: query.q ?? '',
    ...(query.section ? { sectionId: query.section } : {}),
    limit: PAGE,
    startKey,
  });
  const members = await getMembers(page.entries.map((e) => e.memberId));
  const now = deps.now();
  const seen = new Set<string>();
  const items: DirectoryCard[] = [];
  for (const entry of page.entries) {
    const member = members.get(entry.memberId);
    if (!member || seen.has(member.id)) continue;
    if (
      !mayListInDirectory(actor.member, member, { blocked: blockedEitherWay(actor.blocks, member.id) }, now)
    )
      continue;
    seen.add(member.id);
    items.push({
      id: member.id,
      firstName: member.firstName,
      lastName: member.lastName,
      membership: effectiveMembership(member),
      section: member.sectionId ? { id: member.sectionId, name: member.sectionName ?? '' } : null,
    });
  }
  return { items, cursor: encodeCursor(page.lastKey) };
}
