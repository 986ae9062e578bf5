import type { Actor } from '../../auth/actor.ts';
import { transact } from '../../data/client.ts';
import { invitationDeletes, uncoopainWrites } from '../../data/coopains.ts';
import { blockWrites, getMember, getMembers, unblockWrites } from '../../data/members.ts';
import { ValidationError } from '../../errors.ts';
import { cardOf, type MemberCard } from './cards.ts';

/**
 * Blocks a member (SPEC §3): anyone, coopain or not. In one transaction: both block lists, the
 * coopain link both ways and any pending invitation both ways go. From then on the policy hides
 * each from the other and closes every contact path (they read the block lists on every request).
 * The answer is the same whether the id exists or not: blocking reveals nobody.
 */
export async function block(actor: Actor, targetId: string): Promise<void> {
  if (targetId === actor.memberId)
    throw new ValidationError('block.self', 'Vous ne pouvez pas vous bloquer vous-même.', 'id');
  const target = await getMember(targetId);
  if (!target || target.state === 'deleted') return;
  await transact([
    ...blockWrites(actor.memberId, targetId),
    ...uncoopainWrites(actor.memberId, targetId, false),
    ...invitationDeletes(actor.memberId, targetId, false),
    ...invitationDeletes(targetId, actor.memberId, false),
  ]);
}

/** Unblocks: nothing is restored (no coopain link, no invitation) — SPEC §3. */
export async function unblock(actor: Actor, targetId: string): Promise<void> {
  if (!actor.blocks.blocks.has(targetId)) return;
  await transact(unblockWrites(actor.memberId, targetId));
}

/** The members I block (never who blocks me: that would reveal a block). */
export async function listBlocked(actor: Actor): Promise<{ items: MemberCard[] }> {
  const ids = [...actor.blocks.blocks].slice(0, 100);
  const members = await getMembers(ids);
  return {
    items: ids.flatMap((id) => {
      const m = members.get(id);
      return m ? [cardOf(m)] : [];
    }),
  };
}
