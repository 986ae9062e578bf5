import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { mayModerate } from '../../auth/policy.ts';
import { failedConditionIndex, getAll, type TxWrite, transact } from '../../data/client.ts';
import { removeMessageWrite } from '../../data/conversations.ts';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { clearBioWrite, getMember, getMembers, saveMember, suspendWrites } from '../../data/members.ts';
import {
  closeSummaryWrite,
  type Decision,
  type DecisionKind,
  decisionsAbout,
  decisionWrite,
  openQueue,
  parseTarget,
  type Report,
  type ReportCategory,
  type Snapshot,
  summaryFrom,
  summaryKey,
  type TargetKind,
  type TargetRef,
  type TargetSummary,
  targetFile,
} from '../../data/moderation.ts';
import {
  commentFromItem,
  commentKey,
  postFromItem,
  postItemKey,
  saveCommentWrites,
  savePostWrite,
} from '../../data/posts.ts';
import { queueTaskWrite } from '../../data/tasks.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { notifyAsCoopilotes } from '../../notifications/notify.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { freeText } from '../schemas.ts';
import { REPORT_OUTCOME_TASK } from './outcome.ts';

/**
 * The coopilotes' work (SPEC §6): the queue of reported content, a target's file, and the
 * decision — dismiss, or act: a remark to the author (always, with the reason), the content
 * removed, the member suspended for a time or for good. Every decision is audited, recorded in
 * the author's moderation history, and its outcome reaches the reporters (a background task).
 * Anyone but an active coopilote gets 404: the queue's existence is not even confirmed.
 */

const NOT_FOUND = () => new NotFoundError('moderation.not_found', 'Page introuvable.');
const FILE_NOT_FOUND = () =>
  new NotFoundError('moderation.target_not_found', 'Aucun signalement pour ce contenu.');

export function requireCoopilote(actor: Actor): void {
  if (!mayModerate(actor.member)) throw NOT_FOUND();
}

export const QueueQuery = z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

const Reason = z.pipe(
  freeText(2000),
  z.string().check(z.minLength(10, 'Expliquez la décision en quelques mots (10 caractères au moins).')),
);

export const DecisionInput = z.union([
  z.strictObject({ decision: z.literal('dismiss'), note: z.optional(freeText(2000)) }),
  z.strictObject({
    decision: z.literal('act'),
    /** Written to the author, who reads it as the coopilotes' message. */
    reason: Reason,
    remove: z.boolean(),
    /** Days of suspension, or `permanent`; none: no suspension. */
    suspend: z.optional(
      z.union([
        z.literal('permanent'),
        z
          .number()
          .check(
            z.int('Un nombre entier de jours.'),
            z.minimum(1, 'Un jour au moins.'),
            z.maximum(365, 'Un an au plus ; au-delà, choisissez une suspension définitive.'),
          ),
      ]),
    ),
  }),
]);

export const LiftInput = z.strictObject({ reason: Reason });

export interface SummaryView {
  target: string;
  kind: TargetKind;
  author: { id: string; firstName: string; lastName: string } | null;
  openCount: number;
  categories: ReportCategory[];
  firstReportedAt: string;
  lastReportedAt: string;
  snapshot: Snapshot;
  removed: boolean;
  status: 'open' | 'closed';
  lastDecision: TargetSummary['lastDecision'] | null;
}

type Names = Map<string, { firstName: string; lastName: string }>;

function personOf(names: Names, id: string) {
  const m = names.get(id);
  return m ? { id, firstName: m.firstName, lastName: m.lastName } : null;
}

function summaryView(s: TargetSummary, names: Names): SummaryView {
  return {
    target: s.target,
    kind: s.kind,
    author: personOf(names, s.authorId),
    openCount: s.openCount,
    categories: s.categories,
    firstReportedAt: s.firstReportedAt,
    lastReportedAt: s.lastReportedAt,
    snapshot: s.snapshot,
    removed: s.removedAt !== undefined,
    status: s.status,
    lastDecision: s.lastDecision ?? null,
  };
}

/** Q1 — the open queue, the most recently reported first, with the authors' names (3 round trips). */
export async function reportQueue(
  actor: Actor,
  query: z.infer<typeof QueueQuery>,
): Promise<{ items: SummaryView[]; cursor: string | null }> {
  requireCoopilote(actor);
  const page = await openQueue({ limit: 25, startKey: startKeyOf(query.cursor) });
  const names = await getMembers([...new Set(page.items.map((s) => s.authorId))]);
  return { items: page.items.map((s) => summaryView(s, names)), cursor: encodeCursor(page.lastKey) };
}

export interface ReportView {
  id: string;
  reporter: { id: string; firstName: string; lastName: string } | null;
  category: ReportCategory;
  comment: string;
  at: string;
  snapshot: Snapshot;
  status: Report['status'];
  outcome: Report['outcome'] | null;
}

/**
 * Q2 — a target's file: the summary and every report with the content as each reporter saw it
 * (even if edited or deleted since), with names (3 round trips). The author's history is read
 * apart (`memberHistory`), so that each read stays within its budget.
 */
export async function reportFile(
  actor: Actor,
  target: string,
): Promise<{ summary: SummaryView; reports: ReportView[] }> {
  requireCoopilote(actor);
  const file = await targetFile(target);
  if (!file.summary) throw FILE_NOT_FOUND();
  const names = await getMembers([file.summary.authorId, ...new Set(file.reports.map((r) => r.reporterId))]);
  return {
    summary: summaryView(file.summary, names),
    reports: file.reports.map((r) => ({
      id: r.id,
      reporter: personOf(names, r.reporterId),
      category: r.category,
      comment: r.comment,
      at: r.at,
      snapshot: r.snapshot,
      status: r.status,
      outcome: r.outcome ?? null,
    })),
  };
}

export interface DecisionView {
  id: string;
  at: string;
  kinds: DecisionKind[];
  reason: string;
  target: string | null;
  suspendedUntil: string | null | undefined;
  appealId: string | null;
}

export function decisionView(d: Decision): DecisionView {
  return {
    id: d.id,
    at: d.at,
    kinds: d.kinds,
    reason: d.reason,
    target: d.target ?? null,
    suspendedUntil: d.suspendedUntil,
    appealId: d.appealId ?? null,
  };
}

/**
 * A member's moderation history for the coopilotes ("en cas de manquements répétés"): the
 * decisions about them, newest first, and their current state.
 */
export async function memberHistory(
  actor: Actor,
  memberId: string,
): Promise<{
  member: { id: string; firstName: string; lastName: string; state: string; suspendedUntil: string | null };
  decisions: DecisionView[];
}> {
  requireCoopilote(actor);
  const [member, decisions] = await Promise.all([getMember(memberId), decisionsAbout(memberId)]);
  if (!member || member.state === 'deleted') throw NOT_FOUND();
  return {
    member: {
      id: member.id,
      firstName: member.firstName,
      lastName: member.lastName,
      state: member.state,
      suspendedUntil: member.suspendedUntil ?? null,
    },
    decisions: decisions.map(decisionView),
  };
}

/** The content's own key(s), read with the summary in one BatchGet. */
function contentKeys(ref: TargetRef): Record<string, unknown>[] {
  switch (ref.kind) {
    case 'post':
      return [postItemKey(ref.id)];
    case 'comment':
      return [commentKey({ postId: ref.postId, id: ref.id, parentId: ref.parentId })];
    default:
      return [];
  }
}

/** The writes that remove the reported content, keeping a tombstone (the summary's `removedAt`). */
function removalWrites(ref: TargetRef, items: Record<string, unknown>[]): TxWrite[] {
  switch (ref.kind) {
    case 'post': {
      const item = items.find((i) => i.type === 'post');
      if (!item) return [];
      const post = postFromItem(item);
      if (post.deleted) return [];
      return [savePostWrite({ ...post, title: null, body: '', html: '', deleted: true, pinnedAt: null })];
    }
    case 'comment': {
      const item = items.find((i) => i.type === 'comment');
      if (!item) return [];
      const comment = commentFromItem(item);
      if (comment.deleted) return [];
      return saveCommentWrites({ ...comment, body: '', html: '', deleted: true });
    }
    case 'message':
      return [removeMessageWrite(ref.conversationId, ref.id)];
    default:
      throw new ValidationError(
        'moderation.cannot_remove',
        'Ce contenu ne peut pas être retiré par la modération : adressez une remarque ou suspendez son auteur·ice.',
        'remove',
      );
  }
}

/**
 * A coopilote's decision on a target's open reports (3 round trips: state, the summary with the
 * content, one transaction). The file closes only as it was read: a report that arrived meanwhile
 * answers 409 so that the coopilote looks again.
 */
export async function decide(
  actor: Actor,
  target: string,
  input: z.infer<typeof DecisionInput>,
  deps: Deps = defaultDeps,
): Promise<{ decisionId: string; outcome: 'dismissed' | 'actioned' }> {
  requireCoopilote(actor);
  const ref = parseTarget(target);
  if (!ref) throw FILE_NOT_FOUND();
  const now = deps.now();
  const at = now.toISOString();
  const items = await getAll([summaryKey(target), ...contentKeys(ref)], true);
  const summaryItem = items.find((i) => i.type === 'report-summary');
  if (!summaryItem) throw FILE_NOT_FOUND();
  const summary = summaryFrom(summaryItem);
  if (summary.status !== 'open')
    throw new ConflictError('moderation.already_decided', 'Ces signalements ont déjà été traités.');
  const decisionId = deps.newId();
  const outcome = input.decision === 'dismiss' ? 'dismissed' : 'actioned';
  const authorId = summary.authorId;

  const removed = input.decision === 'act' && input.remove;
  // The file closes first (index 0): a report that arrived since it was read cancels everything.
  const writes: TxWrite[] = [closeSummaryWrite(summary, { id: decisionId, at, decision: outcome }, removed)];
  if (input.decision === 'dismiss') {
    writes.push(
      auditOf(actor, 'moderation.dismiss', authorId, deps, {
        target,
        ...(input.note ? { note: input.note } : {}),
      }),
    );
  } else {
    const until =
      input.suspend === undefined
        ? undefined
        : input.suspend === 'permanent'
          ? null
          : new Date(now.getTime() + input.suspend * 24 * 3600 * 1000).toISOString();
    if (removed && ref.kind === 'member') {
      // A profile's text goes with the suspension's own write when there is one (one write per item).
      if (until === undefined) writes.push(clearBioWrite(authorId));
    } else if (removed) {
      const removal = removalWrites(ref, items);
      if (removal.length === 0)
        throw new ConflictError('moderation.already_removed', 'Ce contenu a déjà été supprimé.');
      writes.push(...removal);
    }
    if (until !== undefined)
      writes.push(...suspendWrites(authorId, until, at, { clearBio: removed && ref.kind === 'member' }));
    const kinds: DecisionKind[] = ['remark'];
    if (removed) kinds.push('removed');
    if (until !== undefined) kinds.push('suspended');
    writes.push(
      decisionWrite({
        id: decisionId,
        memberId: authorId,
        at,
        kinds,
        reason: input.reason,
        target,
        ...(until !== undefined ? { suspendedUntil: until } : {}),
        byId: actor.memberId,
      }),
      auditOf(actor, 'moderation.act', authorId, deps, {
        target,
        decisionId,
        removed: String(removed),
        suspended: until === undefined ? 'no' : (until ?? 'permanent'),
      }),
      ...notifyAsCoopilotes(authorId, 'moderation.remark', deps, { decisionId }),
    );
  }
  writes.push(
    queueTaskWrite(
      { id: deps.newId(), kind: REPORT_OUTCOME_TASK, payload: { target, outcome, decidedAt: at } },
      now,
    ),
  );
  try {
    await transact(writes);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === 0)
      throw new ConflictError(
        'moderation.file_changed',
        'De nouveaux signalements sont arrivés entre-temps : relisez le dossier avant de décider.',
      );
    if (failed > 0)
      throw new ConflictError(
        'moderation.target_changed',
        'Ce contenu ou son auteur·ice a changé entre-temps.',
      );
    throw error;
  }
  return { decisionId, outcome };
}

/**
 * A coopilote lifts a member's suspension (SPEC §6): the member is active again at once, the
 * directory entries come back (saveMember recomputes them), the decision is recorded and audited,
 * and the member is told.
 */
export async function liftSuspension(
  actor: Actor,
  memberId: string,
  input: z.infer<typeof LiftInput>,
  deps: Deps = defaultDeps,
): Promise<{ state: 'active' }> {
  requireCoopilote(actor);
  const member = await getMember(memberId);
  if (!member || member.state === 'deleted') throw NOT_FOUND();
  if (member.state !== 'suspended')
    throw new ConflictError('moderation.not_suspended', 'Ce membre n’est pas suspendu.');
  const now = deps.now();
  const decisionId = deps.newId();
  const { suspendedUntil: _ended, ...rest } = member;
  await saveMember(member, { ...rest, state: 'active', updatedAt: now.toISOString() }, [
    decisionWrite({
      id: decisionId,
      memberId,
      at: now.toISOString(),
      kinds: ['lifted'],
      reason: input.reason,
      byId: actor.memberId,
    }),
    auditOf(actor, 'moderation.lift', memberId, deps, { decisionId }),
    ...notifyAsCoopilotes(memberId, 'moderation.remark', deps, { decisionId }),
  ]);
  return { state: 'active' };
}
