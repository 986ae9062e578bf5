import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { isSuspended } from '../../auth/policy.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { getMembers, saveMember } from '../../data/members.ts';
import {
  type Appeal,
  answerAppealWrite,
  appealsOf,
  appealWithMember,
  decisionsAbout,
  decisionWrite,
  newAppealWrites,
  openAppeals,
} from '../../data/moderation.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { notifyAsCoopilotes } from '../../notifications/notify.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText, Id } from '../schemas.ts';
import { type DecisionView, decisionView, requireCoopilote } from './decisions.ts';

/**
 * What a member may know of the decisions about them, and their one appeal per suspension
 * (SPEC §6, after Mastodon's appeals): a suspended member signs in to read this page, export their
 * data and appeal — nothing else (the routes are flagged `allowSuspended`).
 */

export const AppealInput = z.strictObject({
  decisionId: Id,
  text: z.pipe(
    freeText(4000),
    z.string().check(z.minLength(10, 'Expliquez votre recours (10 caractères au moins).')),
  ),
});

export const AnswerInput = z.strictObject({
  decision: z.enum(['uphold', 'lift']),
  answer: z.pipe(
    freeText(4000),
    z.string().check(z.minLength(10, 'Répondez en quelques mots (10 caractères au moins).')),
  ),
});

export const AppealsQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

export interface AppealView {
  id: string;
  decisionId: string;
  text: string;
  at: string;
  status: Appeal['status'];
  answer: string | null;
  answeredAt: string | null;
}

function appealView(a: Appeal): AppealView {
  return {
    id: a.id,
    decisionId: a.decisionId,
    text: a.text,
    at: a.at,
    status: a.status,
    answer: a.answer ?? null,
    answeredAt: a.answeredAt ?? null,
  };
}

/**
 * The member's own page: their state, the decisions about them (newest first) each with its
 * appeal, and which decision may still be appealed (the suspension in force, not appealed yet).
 * The coopilote who decided is never named (3 round trips).
 */
export async function myModeration(
  actor: Actor,
  deps: Deps = defaultDeps,
): Promise<{
  suspended: boolean;
  suspendedUntil: string | null;
  decisions: (DecisionView & { appeal: AppealView | null })[];
  appealable: string | null;
}> {
  const decisions = await decisionsAbout(actor.memberId);
  const appeals = await appealsOf(decisions.filter((d) => d.appealId).map((d) => d.id));
  const suspended = isSuspended(actor.member, deps.now());
  const current = suspended ? decisions.find((d) => d.kinds.includes('suspended')) : undefined;
  return {
    suspended,
    suspendedUntil: suspended ? (actor.member.suspendedUntil ?? null) : null,
    decisions: decisions.map((d) => {
      const appeal = appeals.get(d.id);
      return { ...decisionView(d), appeal: appeal ? appealView(appeal) : null };
    }),
    appealable: current && !current.appealId ? current.id : null,
  };
}

const NOT_APPEALABLE = () =>
  new NotFoundError('appeal.not_appealable', 'Cette décision ne peut pas faire l’objet d’un recours.');

/** One appeal against the suspension in force (3 round trips: state, history, write). */
export async function appeal(
  actor: Actor,
  input: z.infer<typeof AppealInput>,
  deps: Deps = defaultDeps,
): Promise<AppealView> {
  const now = deps.now();
  if (!isSuspended(actor.member, now)) throw NOT_APPEALABLE();
  const decisions = await decisionsAbout(actor.memberId, 10);
  const current = decisions.find((d) => d.kinds.includes('suspended'));
  if (!current || current.id !== input.decisionId) throw NOT_APPEALABLE();
  const a: Appeal = {
    id: deps.newId(),
    memberId: actor.memberId,
    decisionId: current.id,
    text: input.text,
    at: now.toISOString(),
    status: 'open',
  };
  try {
    await transact(newAppealWrites(a));
  } catch (error) {
    if (failedConditionIndex(error) === 0)
      throw new ConflictError(
        'appeal.already_sent',
        'Vous avez déjà formé un recours contre cette décision.',
      );
    throw error;
  }
  return appealView(a);
}

/** Q4 — the open appeals for the coopilotes, oldest first, with the members' names and state. */
export async function appealQueue(
  actor: Actor,
  query: z.infer<typeof AppealsQuery>,
): Promise<{
  items: (AppealView & { member: { id: string; firstName: string; lastName: string } | null })[];
  cursor: string | null;
}> {
  requireCoopilote(actor);
  const page = await openAppeals({ limit: 25, startKey: startKeyOf(query.cursor) });
  const names = await getMembers([...new Set(page.items.map((a) => a.memberId))]);
  return {
    items: page.items.map((a) => {
      const m = names.get(a.memberId);
      return {
        ...appealView(a),
        member: m ? { id: m.id, firstName: m.firstName, lastName: m.lastName } : null,
      };
    }),
    cursor: encodeCursor(page.lastKey),
  };
}

/**
 * A coopilote answers an appeal in writing: upheld (the suspension stays) or lifted (the member is
 * active again at once). The answer, the decision in the history, the audit entry and the member's
 * notification are one transaction.
 */
export async function answerAppeal(
  actor: Actor,
  memberId: string,
  decisionId: string,
  input: z.infer<typeof AnswerInput>,
  deps: Deps = defaultDeps,
): Promise<AppealView> {
  requireCoopilote(actor);
  const { appeal: found, member } = await appealWithMember(decisionId, memberId);
  if (found?.status !== 'open' || !member || member.state === 'deleted') throw APPEAL_NOT_FOUND();
  const now = deps.now();
  const at = now.toISOString();
  const status = input.decision === 'lift' ? 'lifted' : 'upheld';
  const answeredId = deps.newId();
  const writes = [
    answerAppealWrite(found, { status, text: input.answer, at, byId: actor.memberId }),
    decisionWrite({
      id: answeredId,
      memberId,
      at,
      kinds: [status === 'lifted' ? 'lifted' : 'appeal.upheld'],
      reason: input.answer,
      byId: actor.memberId,
      appealId: found.id,
    }),
    auditOf(actor, 'appeal.answer', memberId, deps, { decisionId, answer: status }),
    ...notifyAsCoopilotes(memberId, 'moderation.remark', deps, { decisionId: answeredId }),
  ];
  try {
    if (status === 'lifted' && member.state === 'suspended') {
      const { suspendedUntil: _ended, ...rest } = member;
      await saveMember(member, { ...rest, state: 'active', updatedAt: at }, writes);
    } else await transact(writes);
  } catch (error) {
    // Answered meanwhile by another coopilote (or the member changed): nothing was written.
    if (failedConditionIndex(error) >= 0) throw APPEAL_NOT_FOUND();
    throw error;
  }
  return appealView({ ...found, status, answer: input.answer, answeredAt: at, answeredById: actor.memberId });
}

const APPEAL_NOT_FOUND = () =>
  new NotFoundError('appeal.not_found', 'Ce recours n’existe pas ou a déjà reçu une réponse.');
