import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { deleteAll, getAll, isConditionFailure, type TxWrite, transact } from '../../data/client.ts';
import { contactFromItem, getContactDetails } from '../../data/contact-details.ts';
import {
  agendaEntryKeys,
  eraseRsvpWrites,
  eventFromItem,
  eventPartition,
  rsvpFromItem,
} from '../../data/events.ts';
import {
  groupFromItem,
  groupKey,
  groupMembershipKey,
  membershipDeleteWrites,
  membershipFromItem,
  membershipWrites,
  membersOfGroup,
} from '../../data/groups.ts';
import { objectKeysOfItem } from '../../data/media.ts';
import { deleteObjects } from '../../data/media-store.ts';
import {
  conversationOtherSideWrites,
  D1_SOURCES,
  type D1Source,
  d1Page,
  deleteItemWrite,
  keyedElsewhere,
  mirrorDeleteWrite,
  rateCountersOf,
  removeFromSetWrite,
  rewriteItemWrite,
} from '../../data/member-data.ts';
import { getMember, saveMember } from '../../data/members.ts';
import {
  missionEntryKeys,
  missionFromItem,
  missionPartition,
  signUpFromItem,
  withdrawWrites,
} from '../../data/missions.ts';
import { targetFileKeys } from '../../data/moderation.ts';
import { unreadDownWrite } from '../../data/notifications.ts';
import { type Audience, postThreadKeys, timelineKeysOf } from '../../data/posts.ts';
import { queueTaskWrite, type Task, tasksReferencing } from '../../data/tasks.ts';
import { deleteUser } from '../../identity/cognito.ts';
import { logger } from '../../log.ts';
import { periodKeyOf } from '../../notifications/digests.ts';
import { notifyAsPlatform } from '../../notifications/notify.ts';
import { formatParis } from '../../time.ts';
import { wholeCircle } from '../circles.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { promoteTask } from '../events/events.ts';

/**
 * Account deletion (SPEC §7, issue 8): the member confirms; at once their state is `deleted`
 * (every request of theirs is refused from then on, they leave every list) and a background
 * task erases everything else, walking the D1 sources from their id alone (no Scan):
 * posts with their threads and readers' timeline entries, comments (kept as « supprimé »
 * tombstones in others' threads), messages (kept in the others' conversations, authored by a
 * pseudonym), group memberships (the groups they ran pass to another member), reports and audit
 * entries (kept, pseudonymised), notifications they caused, their whole partition with the mirror
 * items in others' partitions and the bucket objects of the images found there (issue 10), the
 * items keyed by their address or tokens, the Cognito user, and last the profile itself. The exceptions are listed in docs/data-model.md (D1).
 */

export const ERASURE_TASK = 'account-erasure';

export const DeleteAccountInput = z.strictObject({
  confirm: z.literal('SUPPRIMER', 'Tapez SUPPRIMER pour confirmer.'),
});

/** What a moderation file keeps of an erased member's reported content. */
const ERASED_SNAPSHOT = { text: '', place: 'Contenu effacé avec le compte de son auteur·ice' };

/** What pseudonymised records say instead of the member's name. */
export const DELETED_NAME = 'Membre supprimé';

export async function deleteAccount(
  actor: Actor,
  _input: z.infer<typeof DeleteAccountInput>,
  deps: Deps = defaultDeps,
): Promise<{ status: 'deleting' }> {
  const now = deps.now();
  const pseudonym = `deleted-${deps.newId()}`;
  const m = actor.member;
  const contact = await getContactDetails(m.id);
  await saveMember(
    m,
    {
      ...m,
      state: 'deleted',
      firstName: DELETED_NAME,
      lastName: '',
      bio: '',
      mandates: [],
      roles: { secretaryOf: [], coopilote: false, admin: false },
      updatedAt: now.toISOString(),
    },
    [queueTaskWrite({ id: deps.newId(), kind: ERASURE_TASK, payload: { memberId: m.id, pseudonym } }, now)],
  );
  // The sign-in goes at once too (the task deletes the Cognito user again if this call fails).
  if (contact) {
    await deleteUser(contact.email).catch((error: unknown) => {
      logger.warn('cognito user not deleted yet; the erasure task will', { error: error as Error });
    });
  }
  return { status: 'deleting' };
}

/** The phases of the erasure, in order; each walks its D1 source a page at a time. */
const PHASES = [
  'posts',
  'comments',
  'messages',
  'sectionMessages',
  'groups',
  'rsvps',
  'signups',
  'eventsOrganised',
  'missionsOrganised',
  'reportsBy',
  'reportedAbout',
  'appeals',
  'auditSubject',
  'auditActor',
  'notificationsBy',
  'cognito',
  'elsewhere',
  'partition',
  'profile',
] as const;
type Phase = (typeof PHASES)[number];

const PAGE = 50;
/** Readers' timeline entries live 60 days (posts.ts TIMELINE_SECONDS): older posts have none left. */
const TIMELINE_DAYS = 61;

interface Ctx {
  memberId: string;
  pseudonym: string;
  deps: Deps;
}

/** Runs writes one by one; an item that changed or went meanwhile is skipped (erasure is idempotent). */
async function each(writes: TxWrite[]): Promise<void> {
  for (const w of writes) {
    try {
      await transact([w]);
    } catch (error) {
      if (!isConditionFailure(error) && (error as { name?: string }).name !== 'TransactionCanceledException')
        throw error;
    }
  }
}

/** Replaces the member's id by the pseudonym in a record's free details (`member:<id>` targets…). */
function scrub<T>(value: T, ctx: Ctx): T {
  return JSON.parse(JSON.stringify(value).replaceAll(ctx.memberId, ctx.pseudonym)) as T;
}

/** What to do with each item of a D1 source. */
const handlers: Partial<Record<D1Source, (items: Record<string, unknown>[], ctx: Ctx) => Promise<void>>> = {
  async posts(items, ctx) {
    const cutoff = ctx.deps.now().getTime() - TIMELINE_DAYS * 24 * 3600 * 1000;
    for (const post of items) {
      const createdAt = String(post.createdAt);
      // The readers' timeline entries (the fan-out's readers, found the same way), then the thread.
      if (Date.parse(createdAt) > cutoff) {
        const readers = await wholeCircle(post.audience as Audience, ctx.memberId);
        await deleteAll(timelineKeysOf(readers, { id: String(post.id), createdAt }));
      }
      await deleteAll(await postThreadKeys(String(post.id)));
    }
  },
  async comments(items, ctx) {
    // A comment in someone else's thread keeps its place, without text or author.
    await each(
      items.flatMap((c) => [
        rewriteItemWrite(c, { body: '', html: '', deleted: true, authorId: ctx.pseudonym }, [
          'gsi2pk',
          'gsi2sk',
        ]),
      ]),
    );
  },
  async messages(items, ctx) {
    // Messages stay in the other person's conversation, as « Membre supprimé ».
    await each(items.map((m) => rewriteItemWrite(m, { authorId: ctx.pseudonym }, ['gsi2pk', 'gsi2sk'])));
  },
  async sectionMessages(items, ctx) {
    await each(items.map((m) => rewriteItemWrite(m, { authorId: ctx.pseudonym }, ['gsi2pk', 'gsi2sk'])));
  },
  async groups(items, ctx) {
    for (const item of items) {
      const membership = membershipFromItem(item);
      const [groupItem] = await getAll([groupKey(membership.groupId)], true);
      if (!groupItem) {
        await each([deleteItemWrite(item)]);
        continue;
      }
      const group = groupFromItem(groupItem);
      const lastAdmin =
        membership.status === 'active' && membership.role === 'admin' && group.adminCount <= 1;
      if (lastAdmin && group.memberCount > 1) {
        // The group passes to the longest-standing other member (SPEC §7).
        const others = await membersOfGroup(group.id, { pendingOnly: false, limit: 20 });
        const heir = others.memberships
          .filter((m) => m.memberId !== ctx.memberId && m.role !== 'admin')
          .sort((a, b) => a.at.localeCompare(b.at))[0];
        if (heir)
          await each(membershipWrites({ ...heir, role: 'admin' }, { expect: { role: 'member' }, admins: 1 }));
      }
      if (lastAdmin && group.memberCount <= 1) {
        // Nobody left: the group goes.
        await deleteAll([groupMembershipKey(group.id, ctx.memberId), groupKey(group.id)]);
        continue;
      }
      await transact(membershipDeleteWrites(membership)).catch(async (error) => {
        if (!(error as { name?: string }).name?.includes('TransactionCanceled')) throw error;
        await deleteAll([groupMembershipKey(group.id, ctx.memberId)]);
      });
      if (group.createdBy === ctx.memberId)
        await each([rewriteItemWrite(groupItem, { createdBy: ctx.pseudonym })]);
    }
  },
  async rsvps(items, ctx) {
    for (const item of items) {
      const answer = rsvpFromItem(item);
      try {
        await transact([
          ...eraseRsvpWrites(answer),
          // A place freed: the first waiter moves up (the event's own task).
          ...(answer.status === 'yes' ? [promoteTask(ctx.deps.newId(), answer.eventId, ctx.deps.now())] : []),
        ]);
      } catch (error) {
        if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
      }
    }
  },
  async signups(items, ctx) {
    for (const item of items) {
      const s = signUpFromItem(item);
      try {
        await transact(withdrawWrites(s.missionId, s.slotId, ctx.memberId));
      } catch (error) {
        if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
        // A closed mission: the counts are its history; the sign-up alone goes.
        await deleteAll([{ pk: item.pk, sk: item.sk }]);
      }
    }
  },
  async eventsOrganised(items, ctx) {
    const now = ctx.deps.now().toISOString();
    for (const item of items) {
      const event = eventFromItem(item);
      const answers = (await eventPartition(event.id)).filter((i) => i.type === 'rsvp').map(rsvpFromItem);
      // An event to come is cancelled with notice (SPEC §7), told by the platform, not by them.
      if (!event.cancelled && event.endAt > now) {
        const data = { eventId: event.id, title: event.title, when: formatParis(event.startAt) };
        await each(
          answers
            .filter((a) => a.status !== 'no')
            .flatMap((a) => notifyAsPlatform(a.memberId, 'event.cancelled', ctx.deps, data)),
        );
      }
      const readers = await wholeCircle(event.audience, ctx.memberId);
      await deleteAll(agendaEntryKeys([...new Set([...readers, ...answers.map((a) => a.memberId)])], event));
      await deleteAll((await eventPartition(event.id)).map((i) => ({ pk: i.pk, sk: i.sk })));
    }
  },
  async missionsOrganised(items, ctx) {
    const now = ctx.deps.now().toISOString();
    for (const item of items) {
      const mission = missionFromItem(item);
      const all = await missionPartition(mission.id);
      const volunteers = [
        ...new Set(all.filter((i) => i.type === 'mission-signup').map((i) => String(i.memberId))),
      ];
      if (mission.status === 'open' && mission.endsAt > now) {
        const data = {
          missionId: mission.id,
          title: mission.title,
          change: 'elle est annulée : la personne qui l’organisait a quitté la coopol',
        };
        await each(volunteers.flatMap((v) => notifyAsPlatform(v, 'mission.changed', ctx.deps, data)));
      }
      const readers = await wholeCircle(mission.audience, ctx.memberId);
      await deleteAll(missionEntryKeys([...new Set([...readers, ...volunteers])], mission));
      await deleteAll(all.map((i) => ({ pk: i.pk, sk: i.sk })));
    }
  },
  async reportsBy(items, ctx) {
    await each(
      items.flatMap((r) => [
        rewriteItemWrite(r, { reporterId: ctx.pseudonym }, ['gsi3pk', 'gsi3sk']),
        // The open-report guard is keyed by the reporter.
        deleteItemWrite({ pk: r.pk, sk: `REPORTER#${ctx.memberId}` }),
      ]),
    );
  },
  async reportedAbout(items, ctx) {
    for (const summary of items) {
      if (summary.kind === 'member') {
        // The file on their profile is keyed by their id: it goes (the audit log keeps the actions).
        await deleteAll(await targetFileKeys(String(summary.target)));
        continue;
      }
      // The file stays (the decision and its reasons), without the author or their words.
      const keys = await targetFileKeys(String(summary.target));
      await each([
        rewriteItemWrite(summary, { authorId: ctx.pseudonym, snapshot: ERASED_SNAPSHOT }, [
          'gsi2pk',
          'gsi2sk',
        ]),
        ...keys
          .filter((k) => String(k.sk).startsWith('REPORT#'))
          .map((k) => rewriteItemWrite(k, { snapshot: ERASED_SNAPSHOT })),
      ]);
    }
  },
  async appeals(items, ctx) {
    await each(
      items.map((a) =>
        rewriteItemWrite(
          a,
          { memberId: ctx.pseudonym, ...(a.status === 'open' ? { status: 'withdrawn' } : {}) },
          ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'],
        ),
      ),
    );
  },
  async auditSubject(items, ctx) {
    await each(
      items.map((e) =>
        rewriteItemWrite(e, {
          subjectId: ctx.pseudonym,
          gsi1pk: `AUDIT#SUBJECT#${ctx.pseudonym}`,
          ...(e.details ? { details: scrub(e.details, ctx) } : {}),
        }),
      ),
    );
  },
  async auditActor(items, ctx) {
    await each(
      items.map((e) =>
        rewriteItemWrite(e, {
          actorId: ctx.pseudonym,
          actorName: DELETED_NAME,
          gsi2pk: `AUDIT#ACTOR#${ctx.pseudonym}`,
          ...(e.details ? { details: scrub(e.details, ctx) } : {}),
        }),
      ),
    );
  },
  async notificationsBy(items) {
    // What they caused in others' notifications (their name) goes; the unread count follows.
    for (const n of items) {
      await each([deleteItemWrite(n)]);
      if (n.read !== true) await each([unreadDownWrite(n)]);
    }
  },
};

/** One step of the erasure task: the next page of the current phase (ADR 007). */
export async function eraseStep(
  task: Pick<Task, 'id' | 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown> }> {
  const ctx: Ctx = {
    memberId: String(task.payload.memberId ?? ''),
    pseudonym: String(task.payload.pseudonym ?? ''),
    deps,
  };
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(ctx.memberId) || !ctx.pseudonym.startsWith('deleted-'))
    return { done: true };
  const phase = (task.cursor?.phase as Phase | undefined) ?? PHASES[0];
  const startKey = task.cursor?.startKey as Record<string, unknown> | undefined;
  const next = (after: Record<string, unknown> | undefined) => {
    if (after) return { done: false, cursor: { phase, startKey: after } };
    const following = PHASES[PHASES.indexOf(phase) + 1];
    return following ? { done: false, cursor: { phase: following } } : { done: true };
  };

  if ((D1_SOURCES as readonly string[]).includes(phase) && phase !== 'partition') {
    const source = phase as D1Source;
    const page = await d1Page(source, ctx.memberId, { limit: PAGE, ...(startKey ? { startKey } : {}) });
    await handlers[source]?.(page.items, ctx);
    return next(page.lastKey);
  }
  switch (phase) {
    case 'cognito': {
      const [contact] = await getAll([{ pk: `MEMBER#${ctx.memberId}`, sk: 'CONTACT' }], true);
      if (contact) {
        try {
          await deleteUser(contactFromItem(contact).email);
        } catch (error) {
          if ((error as { name?: string }).name !== 'UserNotFoundException') throw error;
        }
      }
      return next(undefined);
    }
    case 'elsewhere': {
      const items = await getAll(
        [
          { pk: `MEMBER#${ctx.memberId}`, sk: 'CONTACT' },
          { pk: `MEMBER#${ctx.memberId}`, sk: 'PREFS' },
        ],
        true,
      );
      const contact = items.find((i) => i.sk === 'CONTACT');
      const prefs = items.find((i) => i.sk === 'PREFS');
      const now = deps.now();
      const digestRuns = Array.from(
        { length: 36 },
        (_, d) => new Date(now.getTime() - d * 86_400_000),
      ).flatMap((day) => [
        { period: 'daily' as const, key: periodKeyOf('daily', day) },
        { period: 'weekly' as const, key: periodKeyOf('weekly', day) },
      ]);
      const keys = keyedElsewhere(ctx.memberId, {
        ...(contact ? { email: contactFromItem(contact).email } : {}),
        ...(typeof prefs?.unsubscribeToken === 'string' ? { unsubscribeToken: prefs.unsubscribeToken } : {}),
        digestRuns: [...new Map(digestRuns.map((r) => [`${r.period}#${r.key}`, r])).values()],
      });
      const rates = await rateCountersOf(ctx.memberId, RATE_ACTIONS);
      const tasks = await tasksReferencing(ctx.memberId, task.id);
      await deleteAll([...keys, ...rates.map((r) => ({ pk: r.pk, sk: r.sk })), ...tasks]);
      return next(undefined);
    }
    case 'partition': {
      const page = await d1Page('partition', ctx.memberId, {
        limit: PAGE,
        ...(startKey ? { startKey } : {}),
      });
      // The page's images (raw uploads and variants) go from the bucket before their items: a
      // retried step finds the items again and deletes the (absent) objects again — idempotent.
      await deleteObjects(page.items.flatMap(objectKeysOfItem));
      const writes: TxWrite[] = [];
      for (const item of page.items) {
        if (item.sk === 'PROFILE') continue;
        const mirror = mirrorDeleteWrite(item, ctx.memberId);
        if (mirror) writes.push(mirror);
        if (item.type === 'coopain')
          writes.push(removeFromSetWrite(String(item.coopainId), 'COOPAINSET', 'ids', ctx.memberId));
        if (item.type === 'blocklist') {
          for (const b of setOf(item.blocks))
            writes.push(removeFromSetWrite(b, 'BLOCKLIST', 'blockedBy', ctx.memberId));
          for (const b of setOf(item.blockedBy))
            writes.push(removeFromSetWrite(b, 'BLOCKLIST', 'blocks', ctx.memberId));
        }
        if (item.type === 'conversation-membership')
          writes.push(...conversationOtherSideWrites(item, ctx.memberId, ctx.pseudonym));
        writes.push(deleteItemWrite(item));
      }
      await each(writes);
      return next(page.lastKey);
    }
    case 'profile': {
      const member = await getMember(ctx.memberId);
      if (member) await deleteAll([{ pk: `MEMBER#${ctx.memberId}`, sk: 'PROFILE' }]);
      return next(undefined);
    }
    default:
      return next(undefined);
  }
}

const setOf = (v: unknown): string[] => (v instanceof Set ? [...v].map(String) : []);

/** The rate-limit counters' actions (shared/domain/limits.ts). */
const RATE_ACTIONS = ['invite', 'conversation', 'message', 'report', 'section-message', 'upload'];
