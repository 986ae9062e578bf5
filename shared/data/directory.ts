import { directoryTiers, effectiveMembership } from '../auth/policy.ts';
import { ValidationError } from '../errors.ts';
import { fold } from '../text.ts';
import { queryPage, type TxWrite, tableName } from './client.ts';
import type { Member, Membership } from './members.ts';

/**
 * M6 — the directory (« annuaire ») index. Each listed member has one entry per name (first,
 * last) and per tier: `DIR` entries are read by adherents-circle viewers (members at `adherents`
 * and `all`), `DIRALL` entries by sympathisants (members at `all` only). So every search is one
 * Query on one partition:
 *   gsi1 `<tier>#<first letter>` / `<folded name>#<id>`  — across the party, by name prefix;
 *   gsi2 `<tier>#S#<section id>` / `<folded name>#<id>`  — within a section.
 * Entries are rewritten in the same transaction as the member (see `saveMember`); searches re-read
 * the members (GSIs are eventually consistent in AWS) before showing anything.
 */

export type Tier = 'DIR' | 'DIRALL';
const NAMES = ['FIRST', 'LAST'] as const;

/** A directory entry as stored: what a result card shows, nothing more. */
export interface DirectoryEntry {
  memberId: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  sectionId: string | null;
  sectionName: string | null;
}

function letterOf(folded: string): string {
  const c = folded.charAt(0);
  return /[a-z0-9]/.test(c) ? c : '_';
}

function entriesOf(m: Member | undefined): Map<string, Record<string, unknown>> {
  const entries = new Map<string, Record<string, unknown>>();
  if (!m) return entries;
  for (const tier of directoryTiers(m)) {
    for (const which of NAMES) {
      const folded = fold(which === 'FIRST' ? m.firstName : m.lastName);
      const sk = `${tier}#${which}`;
      entries.set(sk, {
        pk: `MEMBER#${m.id}`,
        sk,
        type: 'directory',
        memberId: m.id,
        firstName: m.firstName,
        lastName: m.lastName,
        membership: effectiveMembership(m),
        sectionId: m.sectionId ?? undefined,
        sectionName: m.sectionName ?? undefined,
        gsi1pk: `${tier}#${letterOf(folded)}`,
        gsi1sk: `${folded}#${m.id}`,
        ...(m.sectionId ? { gsi2pk: `${tier}#S#${m.sectionId}`, gsi2sk: `${folded}#${m.id}` } : {}),
      });
    }
  }
  return entries;
}

/** Deletes whichever directory entries a member has (a suspension written without reading the member). */
export function directoryRemovalWrites(memberId: string): TxWrite[] {
  return (['DIR', 'DIRALL'] as const).flatMap((tier) =>
    NAMES.map((which) => ({
      Delete: { TableName: tableName(), Key: { pk: `MEMBER#${memberId}`, sk: `${tier}#${which}` } },
    })),
  );
}

/** The puts and deletes that bring a member's directory entries from `before` to `after`. */
export function directoryWrites(before: Member | undefined, after: Member): TxWrite[] {
  const old = entriesOf(before);
  const next = entriesOf(after);
  const writes: TxWrite[] = [];
  for (const [sk, item] of next) {
    if (JSON.stringify(old.get(sk)) !== JSON.stringify(item))
      writes.push({ Put: { TableName: tableName(), Item: item } });
  }
  for (const sk of old.keys()) {
    if (!next.has(sk))
      writes.push({ Delete: { TableName: tableName(), Key: { pk: `MEMBER#${after.id}`, sk } } });
  }
  return writes;
}

/** M6 directoryByName: one page of entries for a tier, by name prefix and/or section. */
export async function searchDirectory(opts: {
  tier: Tier;
  prefix: string;
  sectionId?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ entries: DirectoryEntry[]; lastKey?: Record<string, unknown> }> {
  const folded = fold(opts.prefix);
  const bySection = opts.sectionId !== undefined;
  if (!bySection && folded === '')
    throw new ValidationError(
      'request.invalid',
      'Saisissez au moins une lettre ou choisissez une section.',
      'q',
    );
  const page = await queryPage({
    index: bySection ? 'gsi2' : 'gsi1',
    partition: bySection ? `${opts.tier}#S#${opts.sectionId}` : `${opts.tier}#${letterOf(folded)}`,
    ...(folded ? { prefix: folded } : {}),
    limit: opts.limit,
    startKey: opts.startKey,
  });
  const entries = page.items.map((i) => ({
    memberId: String(i.memberId),
    firstName: String(i.firstName),
    lastName: String(i.lastName),
    membership: i.membership as Membership,
    sectionId: typeof i.sectionId === 'string' ? i.sectionId : null,
    sectionName: typeof i.sectionName === 'string' ? i.sectionName : null,
  }));
  return { entries, lastKey: page.lastKey };
}
