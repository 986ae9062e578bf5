import type { Actor } from '../../auth/actor.ts';
import { blockedEitherWay, mayReadMission } from '../../auth/policy.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import { membersOfGroup } from '../../data/groups.ts';
import { getMembers, getMemberWithBlocks, type Member, membersBySection } from '../../data/members.ts';
import { getMission, type Mission, missionEntryWrite, noticeGuardWrite } from '../../data/missions.ts';
import type { Task } from '../../data/tasks.ts';
import { logger } from '../../log.ts';
import { notify } from '../../notifications/notify.ts';
import { formatParis } from '../../time.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** The task that tells a new mission's circle (`mission.new`) and fills their « mes missions » (ADR 007). */
export const MISSION_NEW_TASK = 'mission-new';
/** The task that tells a cancelled mission's volunteers (`mission.changed`). */
export const MISSION_CHANGED_TASK = 'mission-changed';

/** Members handled per step: one page of the roster or the group, one BatchGet, one transaction each. */
const PAGE = 50;

/** The organiser (or whoever cancelled) as the actor of the notifications, read again at each step. */
async function actorOf(memberId: string): Promise<Actor | undefined> {
  const found = await getMemberWithBlocks(memberId);
  if (found?.member.state !== 'active') return undefined;
  return { memberId, ...found };
}

/**
 * One step of a new mission's fan-out: the next page of its possible readers — the section's
 * roster (hidden members included: they receive their section's missions, SPEC §2) or the group's
 * active members — each checked against the one policy on their base item (the roster index may
 * lag), then, in one transaction each, their « mes missions » entry and their `mission.new`
 * notification. The entry is written only if absent, so a step run twice notifies nobody twice.
 * A mission closed meanwhile, or an organiser gone or suspended, ends the fan-out.
 */
export async function fanOutMissionPage(
  task: Pick<Task, 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown>; notified: number }> {
  const missionId = String(task.payload.missionId ?? '');
  const mission = await getMission(missionId);
  if (mission?.status !== 'open') return { done: true, notified: 0 };
  const actor = await actorOf(mission.organiserId);
  if (!actor) {
    logger.info('mission fan-out stopped: its organiser is no longer active', { missionId });
    return { done: true, notified: 0 };
  }
  const a = mission.audience;
  const opts = { limit: PAGE, ...(task.cursor ? { startKey: task.cursor } : {}) };
  let ids: string[];
  let lastKey: Record<string, unknown> | undefined;
  if (a.kind === 'group') {
    const page = await membersOfGroup(a.groupId, { pendingOnly: false, ...opts });
    ids = page.memberships.map((m) => m.memberId);
    lastKey = page.lastKey;
  } else {
    const page = await membersBySection(a.sectionId, { pendingOnly: false, ...opts });
    ids = page.items.map((m) => m.id);
    lastKey = page.lastKey;
  }
  const now = deps.now();
  const fresh = await getMembers(ids.filter((id) => id !== actor.memberId));
  const readers = [...fresh.values()].filter(
    (m) =>
      m.state === 'active' &&
      (a.kind === 'group' || m.sectionId === a.sectionId) &&
      mayReadMission(
        m,
        actor.member,
        mission,
        {
          // The organiser's coopain set and block lists say it both ways.
          coopains: actor.coopains.has(m.id),
          blocked: blockedEitherWay(actor.blocks, m.id),
          ...(a.kind === 'group'
            ? { group: { groupId: a.groupId, memberId: m.id, role: 'member', status: 'active', at: '' } }
            : {}),
        },
        now,
      ),
  );
  let notified = 0;
  for (const reader of readers) if (await tellOne(actor, reader, mission, deps)) notified++;
  return { done: !lastKey, ...(lastKey ? { cursor: lastKey } : {}), notified };
}

async function tellOne(actor: Actor, reader: Member, mission: Mission, deps: Deps): Promise<boolean> {
  try {
    await transact([
      missionEntryWrite(reader.id, mission),
      ...notify(actor, reader.id, 'mission.new', deps, {
        title: mission.title,
        missionId: mission.id,
        when: formatParis(mission.startsAt),
      }),
    ]);
    return true;
  } catch (error) {
    // Told already (a step redone after a crash or a lost claim).
    if (failedConditionIndex(error) === 0) return false;
    throw error;
  }
}

/** Recipients handled per step of the « mission changed » task. */
const CHANGED_PAGE = 25;

/**
 * One step of telling a cancelled mission's volunteers (`mission.changed`): the next recipients of
 * the list taken when it was cancelled, one transaction each with a guard written once per
 * (notice, member) — a step redone notifies nobody twice. `notify` leaves out blocks either way.
 */
export async function tellMissionChangedPage(
  task: Pick<Task, 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown>; notified: number }> {
  const { missionId, noticeId, actorId, change } = task.payload as Record<string, string>;
  const recipients = Array.isArray(task.payload.recipients) ? task.payload.recipients.map(String) : [];
  if (!missionId || !noticeId || !actorId) throw new Error('mission-changed task without its ids');
  const offset = Number(task.cursor?.offset ?? 0);
  const [mission, actor] = await Promise.all([getMission(missionId), actorOf(actorId)]);
  if (!mission || !actor) return { done: true, notified: 0 };
  const now = deps.now();
  let notified = 0;
  for (const recipientId of recipients.slice(offset, offset + CHANGED_PAGE)) {
    const writes = notify(actor, recipientId, 'mission.changed', deps, {
      title: mission.title,
      missionId,
      change: change ?? '',
      when: formatParis(mission.startsAt),
    });
    if (writes.length === 0) continue;
    try {
      await transact([noticeGuardWrite(missionId, noticeId, recipientId, now), ...writes]);
      notified++;
    } catch (error) {
      if (failedConditionIndex(error) !== 0) throw error;
    }
  }
  const next = offset + CHANGED_PAGE;
  return next < recipients.length
    ? { done: false, cursor: { offset: next }, notified }
    : { done: true, notified };
}
