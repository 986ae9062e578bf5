import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, profileAccess } from '../../auth/policy.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import {
  coopainsOf,
  coopainWrites,
  invitationDeletes,
  invitationsOf,
  invitationWrites,
  uncoopainWrites,
} from '../../data/coopains.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { getMemberSeenBy, getMembers, type Member, mayHaveCoopainsCheck } from '../../data/members.ts';
import { newcomerDelete } from '../../data/newcomers.ts';
import { rateLimitWrite, secondsLeft } from '../../data/rate-limits.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from '../../errors.ts';
import { notify } from '../../notifications/notify.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { LIMITS } from '../limits.ts';
import { cardOf, type MemberCard } from './cards.ts';

/** One neutral answer for every refusal that could otherwise reveal a block or a hidden member. */
const CANNOT_INVITE = () =>
  new ForbiddenError('coopain.cannot_invite', 'Vous ne pouvez pas inviter ce membre.');
const NOT_FOUND = () =>
  new NotFoundError('member.not_found', 'Ce profil n’existe pas ou ne vous est pas visible.');

/**
 * Invites a member to become coopains (SPEC §3): only a member the actor may see, neither at
 * `section` visibility, no block either way, no invitation pending either way, not coopains yet.
 * The invitation, the rate-limit count and the notification are one transaction.
 */
export async function invite(actor: Actor, targetId: string, deps: Deps = defaultDeps): Promise<void> {
  if (actor.member.visibility === 'section') {
    throw new ForbiddenError(
      'coopain.visibility_too_low',
      'Pour vous faire des coopains, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    );
  }
  if (targetId === actor.memberId)
    throw new ValidationError('coopain.self', 'Vous ne pouvez pas vous inviter vous-même.', 'id');
  const now = deps.now();
  const seen = await getMemberSeenBy(actor.memberId, targetId);
  if (!seen) throw NOT_FOUND();
  const blocked = blockedEitherWay(actor.blocks, targetId);
  if (profileAccess(actor.member, seen.member, { coopains: seen.coopains, blocked }, now) === null)
    throw NOT_FOUND();
  // A secretary sees their hidden members, but a `section`-level member has no coopains; a block
  // (which a secretary's view ignores) closes invitations too — both get the same neutral refusal.
  if (blocked || seen.member.visibility === 'section') throw CANNOT_INVITE();
  if (seen.coopains) throw new ConflictError('coopain.already', 'Vous êtes déjà coopains.');

  const limit = LIMITS.invitations();
  const writes = [
    ...invitationWrites(actor.memberId, targetId, now.toISOString()),
    rateLimitWrite(actor.memberId, limit, now),
    ...notify(actor, targetId, 'coopain.invitation', deps),
  ];
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 0 || failed === 1)
      throw new ConflictError('coopain.pending', 'Votre invitation attend déjà sa réponse.');
    if (failed === 2)
      throw new ConflictError(
        'coopain.invited_you',
        'Ce membre vous a déjà invité·e : acceptez son invitation.',
      );
    if (failed === 3) throw new ConflictError('coopain.already', 'Vous êtes déjà coopains.');
    if (failed === 4)
      throw new RateLimitedError(
        'coopain.rate_limited',
        'Trop d’invitations aujourd’hui : réessayez demain.',
        secondsLeft(limit, now),
      );
    throw error;
  }
}

/** Accepts a pending invitation: both links and the deletion of the invitation are one transaction. */
export async function accept(actor: Actor, inviterId: string, deps: Deps = defaultDeps): Promise<void> {
  if (actor.member.visibility === 'section') {
    throw new ForbiddenError(
      'coopain.visibility_too_low',
      'Pour vous faire des coopains, choisissez d’abord d’être visible des adhérent·es ou de tous (Paramètres).',
    );
  }
  const now = deps.now().toISOString();
  const writes = [
    ...invitationDeletes(inviterId, actor.memberId, true),
    ...coopainWrites(actor.memberId, inviterId, now),
    ...notify(actor, inviterId, 'coopain.accepted', deps),
  ];
  // An inviter who has since chosen `section` visibility (or is suspended, deleted) can have no
  // coopains: their invitation is kept without effect (SPEC §2) and answers as if it were gone.
  const inviterCheck = writes.length;
  writes.push(mayHaveCoopainsCheck(inviterId));
  // A coopain made: neither is a newcomer to welcome any more (issue 11).
  writes.push(newcomerDelete(actor.memberId), newcomerDelete(inviterId));
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 0 || failed === inviterCheck)
      throw new NotFoundError('coopain.no_invitation', 'Cette invitation n’existe plus.');
    throw error;
  }
}

/** Refuses a pending invitation (the inviter is not told). */
export async function refuse(actor: Actor, inviterId: string): Promise<void> {
  await removeInvitation(inviterId, actor.memberId);
}

/** Withdraws an invitation the actor sent. */
export async function cancel(actor: Actor, inviteeId: string): Promise<void> {
  await removeInvitation(actor.memberId, inviteeId);
}

async function removeInvitation(fromId: string, toId: string): Promise<void> {
  try {
    await transact(invitationDeletes(fromId, toId, true));
  } catch (error) {
    if (failedConditionIndex(error) === 0)
      throw new NotFoundError('coopain.no_invitation', 'Cette invitation n’existe plus.');
    throw error;
  }
}

/**
 * Ends a coopain link, both directions. Afterwards the other can reach the actor only through the
 * actor's public profile, if the visibility rule lets them see it (SPEC §3).
 */
export async function remove(actor: Actor, otherId: string): Promise<void> {
  try {
    await transact(uncoopainWrites(actor.memberId, otherId, true));
  } catch (error) {
    if (failedConditionIndex(error) === 0)
      throw new NotFoundError('coopain.not_coopains', 'Ce membre n’est pas dans vos coopains.');
    throw error;
  }
}

/** My coopains, newest first — those still visible to me (a coopain at `section` has gone quiet). */
export async function listCoopains(
  actor: Actor,
  cursor: string | undefined,
  deps: Deps = defaultDeps,
): Promise<{ items: MemberCard[]; cursor: string | null }> {
  const startKey = startKeyOf(cursor);
  const page = await coopainsOf(actor.memberId, { limit: 50, startKey });
  const members = await getMembers(page.ids);
  const now = deps.now();
  const items = page.ids
    .map((id) => members.get(id))
    .filter(
      (m): m is Member =>
        m !== undefined &&
        profileAccess(
          actor.member,
          m,
          { coopains: true, blocked: blockedEitherWay(actor.blocks, m.id) },
          now,
        ) !== null,
    )
    .map(cardOf);
  return { items, cursor: encodeCursor(page.lastKey) };
}

/** Invitations I received and sent, with the other member's card. */
export async function listInvitations(
  actor: Actor,
): Promise<{ received: { from: MemberCard; at: string }[]; sent: { to: MemberCard; at: string }[] }> {
  const { received, sent } = await invitationsOf(actor.memberId);
  const members = await getMembers([...received.map((i) => i.fromId), ...sent.map((i) => i.toId)]);
  // A member at `section` appears nowhere (SPEC §2): their pending invitations are kept without effect.
  const shown = (m: Member | undefined): m is Member =>
    m !== undefined &&
    m.state === 'active' &&
    m.visibility !== 'section' &&
    !blockedEitherWay(actor.blocks, m.id);
  return {
    received: received.flatMap((i) => {
      const m = members.get(i.fromId);
      return shown(m) ? [{ from: cardOf(m), at: i.at }] : [];
    }),
    sent: sent.flatMap((i) => {
      const m = members.get(i.toId);
      return shown(m) ? [{ to: cardOf(m), at: i.at }] : [];
    }),
  };
}
