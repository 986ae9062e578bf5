import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, contentReadConditions } from '../../auth/policy.ts';
import { failedConditionIndex, type TxWrite, transact } from '../../data/client.ts';
import {
  type AgendaEvent,
  agendaEntryWrite,
  eventWithRsvp,
  type Rsvp,
  type RsvpStatus,
  rsvpWrites,
} from '../../data/events.ts';
import { groupMembershipCheck } from '../../data/groups.ts';
import { memberSeenCheck } from '../../data/members.ts';
import { newcomerDelete } from '../../data/newcomers.ts';
import { ConflictError, NotFoundError, UnavailableError } from '../../errors.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { promoteTask } from './events.ts';

/**
 * Answering an event (SPEC §4: « les membres répondent »): oui, peut-être, non. With a capacity,
 * a « oui » takes a place only while one is free and nobody waits; otherwise the member joins the
 * waiting list, in order of arrival. The counts on the event move in the same transaction as the
 * answer, under conditions (data/events.ts), so concurrent answers never over-book: a transaction
 * that loses the race (a condition failed, or DynamoDB cancelled it for a conflict) is decided
 * again on fresh reads, with jittered backoff, a few times — never a 500.
 */

export const RsvpInput = z.strictObject({ answer: z.enum(['yes', 'maybe', 'no']) });

const NOT_FOUND = () =>
  new NotFoundError('event.not_found', 'Cet évènement n’existe pas ou ne vous est pas visible.');

/** Attempts before answering 503 (each re-reads and decides again). */
const ATTEMPTS = 12;

/** Full jitter: a random wait up to 20 ms × 2^attempt, capped at 640 ms. */
const jitter = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(640, 20 * 2 ** attempt)));

/** DynamoDB cancelled the transaction because another one held an item (retry, nothing was written). */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e.name === 'TransactionConflictException') return true;
  return (
    e.name === 'TransactionCanceledException' &&
    (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict')
  );
}

/**
 * What the viewer's answer becomes: a « oui » on a full event (or one where others already wait)
 * joins the waiting list; a member already waiting who says « oui » again keeps their place in it.
 */
export function nextStatus(
  event: Pick<AgendaEvent, 'capacity' | 'going' | 'waiting'>,
  before: RsvpStatus | undefined,
  answer: 'yes' | 'maybe' | 'no',
): RsvpStatus {
  if (answer !== 'yes') return answer;
  if (before === 'yes' || before === 'waiting') return before;
  if (event.capacity === null) return 'yes';
  return event.going < event.capacity && event.waiting === 0 ? 'yes' : 'waiting';
}

/** The organiser's visibility and the group membership, checked by DynamoDB when the answer commits. */
function readChecks(actor: Actor, event: AgendaEvent): TxWrite[] | null {
  const conditions = contentReadConditions(
    actor.member,
    { authorId: event.organiserId, audience: event.audience },
    {
      coopains: actor.coopains.has(event.organiserId),
      blocked: blockedEitherWay(actor.blocks, event.organiserId),
    },
  );
  if (!conditions) return null;
  return [
    ...(conditions.author ? [memberSeenCheck(event.organiserId, conditions.author)] : []),
    ...(conditions.activeInGroup ? [groupMembershipCheck(conditions.activeInGroup, actor.memberId)] : []),
  ];
}

export interface RsvpResult {
  /** The answer as recorded: `waiting` when the « oui » joined the waiting list. */
  answer: RsvpStatus;
  counts: { going: number; maybe: number; waiting: number };
  placesLeft: number | null;
}

function countsAfter(event: AgendaEvent, before: RsvpStatus | undefined, after: RsvpStatus): RsvpResult {
  const counts = { going: event.going, maybe: event.maybe, waiting: event.waiting };
  const field = { yes: 'going', maybe: 'maybe', waiting: 'waiting', no: null } as const;
  const from = before ? field[before] : null;
  const to = field[after];
  if (from !== to) {
    if (from) counts[from]--;
    if (to) counts[to]++;
  }
  return {
    answer: after,
    counts,
    placesLeft: event.capacity === null ? null : Math.max(0, event.capacity - counts.going),
  };
}

/**
 * The member answers (3 round trips when nothing races: state, event and own answer, write). The
 * answer, the counts, the member's agenda entry (the event shows in their agenda and calendar
 * feed) and — when a « oui » is withdrawn from an event with a capacity — the promotion task go
 * in one transaction, with the conditions that the member may still read the event.
 */
export async function answerEvent(
  actor: Actor,
  eventId: string,
  input: z.infer<typeof RsvpInput>,
  deps: Deps = defaultDeps,
): Promise<RsvpResult> {
  for (let attempt = 0; ; attempt++) {
    const now = deps.now();
    const { event, rsvp: before } = await eventWithRsvp(eventId, actor.memberId);
    if (!event) throw NOT_FOUND();
    const checks = readChecks(actor, event);
    if (!checks) throw NOT_FOUND();
    if (event.cancelled) throw new ConflictError('event.cancelled', 'Cet évènement est annulé.');
    if (Date.parse(event.endAt) <= now.getTime())
      throw new ConflictError('event.over', 'Cet évènement est terminé.');

    const status = nextStatus(event, before?.status, input.answer);
    if (before?.status === status) return countsAfter(event, status, status);
    const after: Rsvp = {
      eventId,
      memberId: actor.memberId,
      status,
      at: now.toISOString(),
      organiserId: event.organiserId,
      audience: event.audience,
      notifiedRev: before?.notifiedRev ?? event.rev,
    };
    const answerWrites = rsvpWrites(event, before, after);
    const freesPlace = before?.status === 'yes' && event.capacity !== null;
    const writes = [
      ...answerWrites,
      ...checks,
      ...(status !== 'no' && event.organiserId !== actor.memberId
        ? [agendaEntryWrite(actor.memberId, event)]
        : []),
      ...(freesPlace ? [promoteTask(deps.newId(), eventId, now)] : []),
      // An answer: the member is no newcomer to welcome any more (issue 11).
      newcomerDelete(actor.memberId),
    ];
    try {
      await transact(writes);
      return countsAfter(event, before?.status, status);
    } catch (error) {
      const failed = failedConditionIndex(error);
      // The organiser or the group membership no longer lets the member read the event.
      if (failed >= answerWrites.length && failed < answerWrites.length + checks.length) throw NOT_FOUND();
      // Lost a race (the member's own answer or the counts moved, or DynamoDB saw a conflict):
      // decide again on fresh reads.
      const raced = failed === 0 || failed === 1 || isTransactionConflict(error);
      if (!raced) throw error;
      if (attempt + 1 >= ATTEMPTS)
        throw new UnavailableError(
          'event.busy',
          'Beaucoup de réponses arrivent en même temps : réessayez dans un instant.',
        );
      await jitter(attempt);
    }
  }
}
