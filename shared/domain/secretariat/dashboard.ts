import { TZDate } from '@date-fns/tz';
import type { Actor } from '../../auth/actor.ts';
import { mayManageSection } from '../../auth/policy.ts';
import { putAll } from '../../data/client.ts';
import { eventsOn } from '../../data/events.ts';
import { type Mission, missionsOfPlace, slotsOf } from '../../data/missions.ts';
import { openReportsOnSection } from '../../data/moderation.ts';
import {
  deleteStatsMarkers,
  getSectionStats,
  pendingStatsMarkers,
  putSectionStats,
  rosterFacts,
  type SectionStats,
  sectionStatsChanged,
} from '../../data/section-stats.ts';
import { getSection, listSections } from '../../data/sections.ts';
import { NotFoundError } from '../../errors.ts';
import { PARIS } from '../../time.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** `YYYY-MM` of an instant, in Paris (a month of the party is a Paris month). */
export function parisMonth(at: Date | string): string {
  const t = new TZDate(new Date(at).getTime(), PARIS);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}`;
}

/** The 12 Paris months ending with the one of `now`, oldest first. */
export function lastTwelveMonths(now: Date): string[] {
  const t = new TZDate(now.getTime(), PARIS);
  const months: string[] = [];
  for (let back = 11; back >= 0; back--) {
    const d = new TZDate(t.getFullYear(), t.getMonth() - back, 1, PARIS);
    months.push(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

/** The UTC instant the first of a Paris month begins. */
function monthStart(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, 1, PARIS).getTime()).toISOString();
}

const zeroes = (months: readonly string[]) => Object.fromEntries(months.map((m) => [m, 0]));

/**
 * Recomputes a section's aggregate from its own indexes (the job only): the roster whole
 * (projected), the agenda and the closed missions of the last 12 months. Exact as of `now`.
 */
export async function recomputeSectionStats(sectionId: string, now: Date): Promise<SectionStats> {
  const months = lastTwelveMonths(now);
  const from = monthStart(months[0] as string);
  const [facts, events, missionsDone] = await Promise.all([
    rosterFacts(sectionId),
    allEvents(sectionId, from, now),
    allDoneMissions(sectionId, from, now),
  ]);
  const stats: SectionStats = {
    sectionId,
    computedAt: now.toISOString(),
    members: {
      total: 0,
      byCircle: { adherent: 0, mjs: 0, unconfirmed: 0, sympathisant: 0 },
      byVisibility: { section: 0, adherents: 0, all: 0 },
      emailOnly: 0,
      suspended: 0,
      notActivated: 0,
    },
    pendingConfirmations: 0,
    pendingMandates: 0,
    joinedByMonth: zeroes(months),
    joinedBefore: 0,
    eventsByMonth: zeroes(months),
    missionsDoneByMonth: zeroes(months),
  };
  const m = stats.members;
  for (const f of facts) {
    if (f.state === 'deleted') continue;
    m.total++;
    if (f.membershipClaim === 'sympathisant') m.byCircle.sympathisant++;
    else if (!f.membershipConfirmed) m.byCircle.unconfirmed++;
    else if (f.membershipClaim === 'mjs') m.byCircle.mjs++;
    else m.byCircle.adherent++;
    if (f.visibility === 'section' || f.visibility === 'adherents' || f.visibility === 'all')
      m.byVisibility[f.visibility]++;
    if (f.visibility === 'section') m.emailOnly++;
    if (f.state === 'suspended') m.suspended++;
    if (f.state === 'pending') m.notActivated++;
    if (f.membershipClaim !== 'sympathisant' && !f.membershipConfirmed) stats.pendingConfirmations++;
    stats.pendingMandates += f.pendingMandates;
    const month = parisMonth(f.createdAt);
    if (month in stats.joinedByMonth) stats.joinedByMonth[month] = (stats.joinedByMonth[month] ?? 0) + 1;
    else if (month < (months[0] as string)) stats.joinedBefore++;
  }
  for (const e of events) {
    const month = parisMonth(e);
    if (month in stats.eventsByMonth) stats.eventsByMonth[month] = (stats.eventsByMonth[month] ?? 0) + 1;
  }
  for (const closedAt of missionsDone) {
    const month = parisMonth(closedAt);
    if (month in stats.missionsDoneByMonth)
      stats.missionsDoneByMonth[month] = (stats.missionsDoneByMonth[month] ?? 0) + 1;
  }
  await putSectionStats(stats);
  return stats;
}

/** Start times of the section's events held (not cancelled) from `from` up to now. */
async function allEvents(sectionId: string, from: string, now: Date): Promise<string[]> {
  const starts: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await eventsOn(
      { kind: 'section', sectionId },
      { fromUtc: from, toUtc: now.toISOString(), limit: 200, startKey },
    );
    starts.push(...page.events.filter((e) => !e.cancelled).map((e) => e.startAt));
    startKey = page.lastKey;
  } while (startKey);
  return starts;
}

/** When each of the section's missions marked done since `from` was closed. */
async function allDoneMissions(sectionId: string, from: string, now: Date): Promise<string[]> {
  const closed: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    // Closed missions, latest end first: stop at the first that ended before the window.
    const page = await missionsOfPlace({ kind: 'section', sectionId }, 'closed', now, {
      limit: 200,
      startKey,
    });
    for (const mission of page.items) {
      if (mission.endsAt < from) return closed;
      if (mission.status === 'done' && mission.closedAt && mission.closedAt >= from)
        closed.push(mission.closedAt);
    }
    startKey = page.lastKey;
  } while (startKey);
  return closed;
}

/**
 * The `stats.run` job: recomputes every section a change marker names, then deletes the markers
 * it read (a change committed meanwhile left its own marker: the next run counts it). Within a
 * time budget; what is left waits for the next run.
 */
export async function runSectionStats(
  now: () => Date,
  budgetMs: number,
): Promise<{ sections: number; markers: number }> {
  const started = Date.now();
  let sections = 0;
  let markers = 0;
  // The index is eventually consistent: a marker just deleted may be listed once more.
  const done = new Set<string>();
  const keyOf = (m: { key: Record<string, unknown> }) => `${String(m.key.pk)}|${String(m.key.sk)}`;
  while (Date.now() - started < budgetMs) {
    const batch = (await pendingStatsMarkers(500)).filter((m) => !done.has(keyOf(m)));
    if (batch.length === 0) break;
    for (const m of batch) done.add(keyOf(m));
    const ids = [...new Set(batch.map((m) => m.sectionId))];
    for (const id of ids) {
      await recomputeSectionStats(id, now());
      sections++;
    }
    await deleteStatsMarkers(batch);
    markers += batch.length;
  }
  return { sections, markers };
}

/**
 * The nightly sweep: a marker for every section, so that figures that move with the calendar
 * (this month's arrivals, the 12-month window, events now past) are recomputed at least daily.
 */
export async function markEverySection(now: Date): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listSections({ limit: 500, startKey });
    await putAll(page.items.map((s) => sectionStatsChanged(s.id, now.toISOString())));
    count += page.items.length;
    startKey = page.lastKey;
  } while (startKey);
  return count;
}

// ————— the page —————

export interface DashboardEvent {
  id: string;
  title: string;
  startAt: string;
  audience: 'section-public' | 'section-private';
  going: number;
  maybe: number;
  waiting: number;
  capacity: number | null;
}

export interface DashboardMission {
  id: string;
  title: string;
  startsAt: string;
  needed: number;
  signedUp: number;
  slots: { id: string; startsAt: string; endsAt: string; needed: number; signedUp: number }[];
}

export interface Dashboard {
  section: { id: string; name: string };
  /** Null until the first computation (a few seconds after the section's first change). */
  stats: (SectionStats & { newThisMonth: number; months: string[] }) | null;
  upcomingEvents: DashboardEvent[];
  openMissions: DashboardMission[];
  openReports: number;
}

const SHOWN = 5;

/**
 * Secrétariat → Tableau de bord (issue 11): the aggregate, the next events with their answers,
 * the open missions with coverage per slot, the open reports on the section's pages. Three round
 * trips whatever the section's size: the actor; the aggregate, the agenda, the missions, the
 * report count and the section (in parallel); the slots of the missions shown (in parallel).
 */
export async function dashboard(
  actor: Actor,
  sectionId: string,
  deps: Deps = defaultDeps,
): Promise<Dashboard> {
  if (!mayManageSection(actor.member, sectionId))
    throw new NotFoundError('section.not_found', 'Section introuvable.');
  const now = deps.now();
  const [section, stats, events, missions, openReports] = await Promise.all([
    getSection(sectionId),
    getSectionStats(sectionId),
    eventsOn({ kind: 'section', sectionId }, { fromUtc: now.toISOString(), toUtc: '9999', limit: SHOWN * 2 }),
    missionsOfPlace({ kind: 'section', sectionId }, 'upcoming', now, { limit: SHOWN }),
    openReportsOnSection(sectionId),
  ]);
  if (!section) throw new NotFoundError('section.not_found', 'Section introuvable.');
  const slots = await Promise.all(missions.items.map((m) => slotsOf(m.id)));
  const months = lastTwelveMonths(now);
  return {
    section: { id: section.id, name: section.name },
    stats: stats ? { ...stats, months, newThisMonth: stats.joinedByMonth[parisMonth(now)] ?? 0 } : null,
    upcomingEvents: events.events
      .filter((e) => !e.cancelled)
      .slice(0, SHOWN)
      .map((e) => ({
        id: e.id,
        title: e.title,
        startAt: e.startAt,
        audience: e.audience.kind as DashboardEvent['audience'],
        going: e.going,
        maybe: e.maybe,
        waiting: e.waiting,
        capacity: e.capacity,
      })),
    openMissions: missions.items.map((m: Mission, i) => ({
      id: m.id,
      title: m.title,
      startsAt: m.startsAt,
      needed: m.needed,
      signedUp: m.signedUp,
      slots: (slots[i] ?? []).map((s) => ({
        id: s.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        needed: s.needed,
        signedUp: s.signedUp,
      })),
    })),
    openReports,
  };
}
