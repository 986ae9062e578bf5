import type { Actor } from '../../auth/actor.ts';
import { mayReadContent } from '../../auth/policy.ts';
import { failedConditionIndex, isConditionFailure, type TxWrite, transact } from '../../data/client.ts';
import {
  type AgendaEvent,
  agendaEntryDelete,
  agendaEntryWrite,
  answersOf,
  getEvent,
  moveAnswerWrite,
  noticeGuardWrite,
  promoteWrites,
  type Rsvp,
  waitingListOf,
} from '../../data/events.ts';
import { getMembers, getMemberWithBlocks, type Member } from '../../data/members.ts';
import type { NotificationType } from '../../data/notifications.ts';
import type { Task } from '../../data/tasks.ts';
import { notify } from '../../notifications/notify.ts';
import { formatParis } from '../../time.ts';
import { circlePage as possibleReaders } from '../circles.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** The background task that writes an event into its circle's agendas and tells who must know (ADR 007). */
export const EVENT_FANOUT_TASK = 'event-fanout';
/** The background task that moves the first waiters up when places free (ADR 007). */
export const EVENT_PROMOTE_TASK = 'event-promote';

export type FanOutReason = 'new' | 'changed' | 'cancelled';

/** Members handled per step: one page, one BatchGet of profiles, one transaction each (≤ 50). */
const PAGE = 50;

type Cursor = { phase: 'answers' | 'circle'; key?: Record<string, unknown> };
type StepOut = { done: boolean; cursor?: Record<string, unknown>; written: number };

type Owner = NonNullable<Awaited<ReturnType<typeof getMemberWithBlocks>>>;

/**
 * One page of the event's circle (SPEC §4: « les nouveaux évènements sont notifiés au cercle
 * concerné »): the section's roster for a section's agenda, the group's active members, the
 * organiser's coopains (for an event to coopains, to the adherents or to every member — the party
 * agenda holds the rest, ADR 010). Each reader is checked with the one policy on the base items,
 * from the organiser's side (their blocks both ways, their coopains): a block made meanwhile
 * keeps the reader out.
 */
async function circlePage(
  event: AgendaEvent,
  organiser: Owner,
  startKey: Record<string, unknown> | undefined,
  now: Date,
): Promise<{ readers: Member[]; lastKey?: Record<string, unknown> }> {
  const { ids, lastKey } = await possibleReaders(event.audience, event.organiserId, {
    limit: PAGE,
    ...(startKey ? { startKey } : {}),
  });
  const fresh = await getMembers(ids.filter((id) => id !== event.organiserId));
  const readers = [...fresh.values()].filter((reader) => mayReadFromOrganiser(reader, event, organiser, now));
  return { readers, ...(lastKey ? { lastKey } : {}) };
}

/** May this member read the event, judged from the organiser's own facts (no read per member). */
function mayReadFromOrganiser(reader: Member, event: AgendaEvent, organiser: Owner, now: Date): boolean {
  const a = event.audience;
  return mayReadContent(
    reader,
    organiser.member,
    a,
    {
      coopains: organiser.coopains.has(reader.id),
      blocked: organiser.blocks.blocks.has(reader.id) || organiser.blocks.blockedBy.has(reader.id),
      // Readers of a group's agenda come from its active members.
      ...(a.kind === 'group'
        ? { group: { groupId: a.groupId, memberId: reader.id, role: 'member', status: 'active', at: '' } }
        : {}),
    },
    now,
  );
}

const NOTICE: Record<FanOutReason, NotificationType> = {
  new: 'event.new',
  changed: 'event.changed',
  cancelled: 'event.cancelled',
};

function noticeData(event: AgendaEvent, change: string | undefined): Record<string, string> {
  return {
    title: event.title,
    when: formatParis(event.startAt),
    eventId: event.id,
    ...(change ? { change } : {}),
  };
}

/**
 * One step of an event's fan-out (ADR 007, ADR 010):
 * - `new`: the circle's agenda entries, each with its `event.new` notification, in one transaction
 *   per member, written only if the entry is absent — a step run twice notifies nobody twice;
 * - `changed` / `cancelled`: first the members who answered — those who said « oui »,
 *   « peut-être » or wait are told (`event.changed` / `event.cancelled`) once per revision (a guard
 *   on their answer) and their entry follows the new time — then, when the time moved, the
 *   circle's entries are moved (no notice).
 * The event and the members are read again at every step: a stale index, a block made meanwhile,
 * a member who lost the right to read it, are all caught here.
 */
export async function fanOutEventPage(
  task: Pick<Task, 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<StepOut> {
  const { eventId, reason, actorId, fromStart, change } = task.payload as Record<string, string | undefined>;
  const rev = Number(task.payload.rev ?? 0);
  if (!eventId || !reason || !actorId) throw new Error('event-fanout task without its ids');
  const why = reason as FanOutReason;
  const event = await getEvent(eventId);
  if (!event) return { done: true, written: 0 };
  if (why === 'new' && event.cancelled) return { done: true, written: 0 };
  const [organiser, byActor] = await Promise.all([
    getMemberWithBlocks(event.organiserId),
    actorId === event.organiserId ? undefined : getMemberWithBlocks(actorId),
  ]);
  if (!organiser) return { done: true, written: 0 };
  const actor: Actor = byActor
    ? { memberId: actorId, ...byActor }
    : { memberId: event.organiserId, ...organiser };
  const now = deps.now();
  const cursor = (task.cursor as Cursor | undefined) ?? { phase: why === 'new' ? 'circle' : 'answers' };

  if (cursor.phase === 'answers') {
    const page = await answersOf(eventId, { limit: PAGE, ...(cursor.key ? { startKey: cursor.key } : {}) });
    // A newer change tells its own news: an older task only moves entries.
    const current = rev === event.rev;
    const members = await getMembers(page.answers.map((a) => a.memberId));
    let written = 0;
    for (const answer of page.answers) {
      const member = members.get(answer.memberId);
      if (
        await noticeOne(
          actor,
          event,
          answer,
          member,
          organiser,
          { current, why, fromStart, change },
          deps,
          now,
        )
      )
        written++;
    }
    if (page.lastKey) return { done: false, cursor: { phase: 'answers', key: page.lastKey }, written };
    if (why === 'changed' && fromStart) return { done: false, cursor: { phase: 'circle' }, written };
    return { done: true, written };
  }

  const page = await circlePage(event, organiser, cursor.key, now);
  let written = 0;
  if (why === 'new') {
    for (const reader of page.readers) {
      try {
        await transact([
          agendaEntryWrite(reader.id, event, { onlyIfAbsent: true }),
          ...notify(actor, reader.id, 'event.new', deps, noticeData(event, undefined)),
        ]);
        written++;
      } catch (error) {
        // Already there (a step run twice, or the member answered first): nothing to tell again.
        if (failedConditionIndex(error) !== 0) throw error;
      }
    }
  } else if (fromStart) {
    // The time moved: every entry follows it (Delete + Put per reader, idempotent).
    const writes = page.readers.flatMap((r) => [
      agendaEntryDelete(r.id, fromStart, event.id),
      agendaEntryWrite(r.id, event),
    ]);
    for (let i = 0; i < writes.length; i += 100) await transact(writes.slice(i, i + 100));
    written = page.readers.length;
  }
  return page.lastKey
    ? { done: false, cursor: { phase: 'circle', key: page.lastKey }, written }
    : { done: true, written };
}

/** One answer of a changed or cancelled event: a notice once per revision to who answered yes, maybe or waits. */
async function noticeOne(
  actor: Actor,
  event: AgendaEvent,
  answer: Rsvp,
  member: Member | undefined,
  organiser: Owner,
  ctx: { current: boolean; why: FanOutReason; fromStart: string | undefined; change: string | undefined },
  deps: Deps,
  now: Date,
): Promise<boolean> {
  const attends = answer.status !== 'no';
  const reads = member !== undefined && mayReadFromOrganiser(member, event, organiser, now);
  const moves: TxWrite[] = ctx.fromStart ? [agendaEntryDelete(answer.memberId, ctx.fromStart, event.id)] : [];
  if (attends && reads) moves.push(agendaEntryWrite(answer.memberId, event));
  if (!(attends && reads && ctx.current)) {
    if (ctx.fromStart) await transact([moveAnswerWrite(answer, event), ...moves]);
    return false;
  }
  try {
    await transact([
      noticeGuardWrite(answer, event),
      ...moves,
      ...notify(actor, answer.memberId, NOTICE[ctx.why], deps, noticeData(event, ctx.change)),
    ]);
    return true;
  } catch (error) {
    // Told already about this revision (a step run twice): nothing again.
    if (failedConditionIndex(error) === 0) return false;
    throw error;
  }
}

/**
 * One step of the promotion task: while places are free and members wait, the first waiter takes
 * a place — the count moves only while a place is free, the answer only if they still wait — and
 * is told (`event.changed`). A « oui » given meanwhile cannot jump the queue: it takes a place
 * only when nobody waits (data/events.ts). A step run twice promotes nobody twice.
 */
export async function promoteWaitersPage(
  task: Pick<Task, 'payload'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown>; promoted: number }> {
  const eventId = String(task.payload.eventId ?? '');
  const event = await getEvent(eventId);
  if (!event || event.cancelled || event.waiting <= 0) return { done: true, promoted: 0 };
  const free = event.capacity === null ? PAGE : Math.min(PAGE, event.capacity - event.going);
  if (free <= 0) return { done: true, promoted: 0 };
  const organiser = await getMemberWithBlocks(event.organiserId);
  const waiters = await waitingListOf(eventId, free);
  if (waiters.length === 0) return { done: true, promoted: 0 };
  const now = deps.now();
  let promoted = 0;
  for (const waiter of waiters) {
    const tell = organiser
      ? notify({ memberId: event.organiserId, ...organiser }, waiter.memberId, 'event.changed', deps, {
          ...noticeData(event, undefined),
          change: 'Une place s’est libérée : vous êtes inscrit·e.',
        })
      : [];
    try {
      await transact([...promoteWrites(event, waiter, now.toISOString()), ...tell]);
      promoted++;
    } catch (error) {
      const failed = failedConditionIndex(error);
      // Full again (index 0): the next withdrawal queues another promotion.
      if (failed === 0) return { done: true, promoted };
      // This member no longer waits (they answered again): the next one.
      if (failed === 1) continue;
      if (!isConditionFailure(error)) throw error;
    }
  }
  // Run again while it moves: more may wait, and more places may be free.
  return promoted > 0 ? { done: false, cursor: {}, promoted } : { done: true, promoted };
}
