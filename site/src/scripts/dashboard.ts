/**
 * Secrétariat → Tableau de bord (`/secretariat/tableau-de-bord/`, docs/api.md sections.dashboard):
 * the section at a glance. Every chart has its figures in a table just below it (WCAG 1.1.1): the
 * canvas is an image for sight, the table is the same data for everyone else.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { apiFetch, type SectionRef } from './api.ts';
import { byId } from './forms.ts';
import { element, formatDateTime } from './labels.ts';
import { isSessionLost, messageOf, toSignIn } from './me.ts';
import { dashboardHref, openSecretariatPage } from './secretariat.ts';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Filler,
);

export interface DashboardStats {
  computedAt: string;
  members: {
    total: number;
    byCircle: { adherent: number; mjs: number; unconfirmed: number; sympathisant: number };
    byVisibility: { section: number; adherents: number; all: number };
    emailOnly: number;
    suspended: number;
    notActivated: number;
  };
  pendingConfirmations: number;
  pendingMandates: number;
  joinedByMonth: Record<string, number>;
  joinedBefore: number;
  eventsByMonth: Record<string, number>;
  missionsDoneByMonth: Record<string, number>;
  newThisMonth: number;
  months: string[];
}

export interface Dashboard {
  section: SectionRef;
  stats: DashboardStats | null;
  upcomingEvents: {
    id: string;
    title: string;
    startAt: string;
    audience: 'section-public' | 'section-private';
    going: number;
    maybe: number;
    waiting: number;
    capacity: number | null;
  }[];
  openMissions: {
    id: string;
    title: string;
    startsAt: string;
    needed: number;
    signedUp: number;
    slots: { id: string; startsAt: string; endsAt: string; needed: number; signedUp: number }[];
  }[];
  openReports: number;
}

export function getDashboard(sectionId: string): Promise<Dashboard> {
  return apiFetch<Dashboard>(`/api/sections/${encodeURIComponent(sectionId)}/dashboard`);
}

const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** `2026-03` → « mars 2026 ». */
export function monthLabel(month: string): string {
  const date = new Date(`${month}-01T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
}

/** Members on the roster at the end of each month: those who joined before the window, then month by month. */
export function membersAtMonthEnd(
  stats: Pick<DashboardStats, 'months' | 'joinedByMonth' | 'joinedBefore'>,
): number[] {
  let running = stats.joinedBefore;
  return stats.months.map((m) => {
    running += stats.joinedByMonth[m] ?? 0;
    return running;
  });
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

function kpi(value: number, label: string, href?: string): HTMLLIElement {
  const item = element('li', undefined, 'kpi');
  item.append(element('span', value.toLocaleString('fr-FR'), 'kpi-value'));
  if (href) {
    const link = element('a', label, 'kpi-label');
    link.href = href;
    item.append(link);
  } else item.append(element('span', label, 'kpi-label'));
  return item;
}

function rows(table: HTMLTableElement, data: [string, number][]): void {
  const body = table.tBodies[0];
  if (!body) return;
  body.replaceChildren(
    ...data.map(([label, n]) => {
      const tr = element('tr');
      const th = element('th', label);
      th.scope = 'row';
      tr.append(th, element('td', n.toLocaleString('fr-FR')));
      return tr;
    }),
  );
}

const charts: Chart[] = [];

/** A chart with the same figures in a table: `<figure>` with a canvas and a `<table>`. */
function trend(
  host: HTMLElement,
  opts: { id: string; title: string; kind: 'line' | 'bar'; months: string[]; values: number[]; unit: string },
): void {
  const figure = element('figure', undefined, 'card trend');
  figure.setAttribute('aria-labelledby', `${opts.id}-title`);
  const caption = element('figcaption', opts.title);
  caption.id = `${opts.id}-title`;
  const canvasBox = element('div', undefined, 'trend-canvas');
  const canvas = element('canvas');
  canvas.id = `${opts.id}-chart`;
  canvas.setAttribute('role', 'img');
  const last = opts.values.at(-1) ?? 0;
  const total = opts.values.reduce((a, b) => a + b, 0);
  canvas.setAttribute(
    'aria-label',
    opts.kind === 'line'
      ? `${opts.title} : ${plural(last, opts.unit, `${opts.unit}s`)} fin ${monthLabel(opts.months.at(-1) ?? '')}. Le détail est dans le tableau qui suit.`
      : `${opts.title} : ${total.toLocaleString('fr-FR')} en douze mois. Le détail est dans le tableau qui suit.`,
  );
  canvasBox.append(canvas);
  const details = element('details', undefined, 'trend-data');
  details.append(element('summary', 'Voir les chiffres'));
  const scroll = element('div', undefined, 'table-scroll');
  const table = element('table', undefined, 'data-table');
  table.id = `${opts.id}-table`;
  table.append(element('caption', opts.title));
  const head = element('thead');
  const headRow = element('tr');
  for (const label of ['Mois', opts.kind === 'line' ? 'Membres en fin de mois' : 'Nombre']) {
    const th = element('th', label);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  table.append(head, element('tbody'));
  rows(
    table,
    opts.months.map((m, i) => [monthLabel(m), opts.values[i] ?? 0]),
  );
  scroll.append(table);
  // A region the keyboard can reach, should the table ever scroll (WCAG 2.1.1).
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', `Chiffres : ${opts.title}`);
  details.append(scroll);
  figure.append(caption, canvasBox, details);
  host.append(figure);

  const color = opts.kind === 'line' ? '#b3003b' : '#5a2a82';
  charts.push(
    new Chart(canvas, {
      type: opts.kind,
      data: {
        labels: opts.months.map(monthLabel),
        datasets: [
          {
            label: opts.title,
            data: opts.values,
            borderColor: color,
            backgroundColor: opts.kind === 'line' ? 'rgba(179, 0, 59, 0.12)' : color,
            fill: opts.kind === 'line',
            // Straight segments: a count does not overshoot between months.
            tension: 0,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
  );
}

function showStats(stats: DashboardStats | null, sectionId: string): void {
  byId('no-stats').hidden = stats !== null;
  byId('computed-at').textContent = stats ? `Chiffres calculés le ${formatDateTime(stats.computedAt)}.` : '';
  const kpis = byId('kpis');
  const trends = byId('trends');
  for (const chart of charts.splice(0)) chart.destroy();
  trends.replaceChildren();
  if (!stats) {
    kpis.replaceChildren();
    return;
  }
  const pendingHref = `/secretariat/?${new URLSearchParams({ section: sectionId })}`;
  kpis.replaceChildren(
    kpi(stats.members.total, 'membres'),
    kpi(stats.newThisMonth, 'nouveaux ce mois-ci'),
    kpi(stats.pendingConfirmations, 'adhésions à confirmer', pendingHref),
    kpi(stats.pendingMandates, 'mandats à vérifier', pendingHref),
    kpi(stats.members.emailOnly, 'joignables uniquement par e-mail'),
  );
  const m = stats.members;
  rows(byId<HTMLTableElement>('circles-table'), [
    ['Adhérent·es PS (confirmé·es)', m.byCircle.adherent],
    ['Membres MJS (confirmé·es)', m.byCircle.mjs],
    ['Adhésion à confirmer', m.byCircle.unconfirmed],
    ['Sympathisant·es', m.byCircle.sympathisant],
    ['dont comptes suspendus', m.suspended],
    ['dont comptes non activés', m.notActivated],
  ]);
  rows(byId<HTMLTableElement>('visibility-table'), [
    ['Visibles de la section seulement', m.byVisibility.section],
    ['Visibles des adhérent·es', m.byVisibility.adherents],
    ['Visibles de toute la coopol', m.byVisibility.all],
  ]);
  trend(trends, {
    id: 'trend-members',
    title: 'Membres de la section',
    kind: 'line',
    months: stats.months,
    values: membersAtMonthEnd(stats),
    unit: 'membre',
  });
  trend(trends, {
    id: 'trend-events',
    title: 'Évènements tenus par mois',
    kind: 'bar',
    months: stats.months,
    values: stats.months.map((mo) => stats.eventsByMonth[mo] ?? 0),
    unit: 'évènement',
  });
  trend(trends, {
    id: 'trend-missions',
    title: 'Missions menées à bien par mois',
    kind: 'bar',
    months: stats.months,
    values: stats.months.map((mo) => stats.missionsDoneByMonth[mo] ?? 0),
    unit: 'mission',
  });
}

function showEvents(events: Dashboard['upcomingEvents']): void {
  byId('events-empty').hidden = events.length > 0;
  byId('events-list').replaceChildren(
    ...events.map((e) => {
      const item = element('li');
      const link = element('a', e.title);
      link.href = `/evenement/?${new URLSearchParams({ id: e.id })}`;
      const answers = [
        plural(e.going, 'participant·e', 'participant·es'),
        `${e.maybe.toLocaleString('fr-FR')} peut-être`,
        ...(e.waiting > 0 ? [`${e.waiting.toLocaleString('fr-FR')} en liste d’attente`] : []),
        ...(e.capacity !== null ? [`${e.capacity.toLocaleString('fr-FR')} places`] : []),
      ].join(' · ');
      item.append(
        link,
        element('span', ` — ${formatDateTime(e.startAt)}`),
        element('span', e.audience === 'section-private' ? ' (réservé à la section)' : ' (public)', 'hint'),
        element('p', answers, 'dashboard-answers'),
      );
      return item;
    }),
  );
}

function showMissions(missions: Dashboard['openMissions']): void {
  byId('missions-empty').hidden = missions.length > 0;
  byId('missions-list').replaceChildren(
    ...missions.map((mission) => {
      const box = element('div', undefined, 'dashboard-mission');
      const heading = element('h3');
      const link = element('a', mission.title);
      link.href = `/mission/?${new URLSearchParams({ id: mission.id })}`;
      heading.append(link);
      box.append(
        heading,
        element('p', `${mission.signedUp} inscrit·es sur ${mission.needed} nécessaires`, 'hint'),
      );
      const list = element('ul', undefined, 'coverage');
      for (const s of mission.slots) {
        const item = element('li');
        const label = `${formatDateTime(s.startsAt)} – ${timeFormat.format(new Date(s.endsAt))}`;
        const id = `slot-${s.id}`;
        const text = element('span', `${label} : ${s.signedUp} / ${s.needed}`);
        text.id = id;
        const bar = element('progress');
        bar.max = Math.max(s.needed, 1);
        bar.value = Math.min(s.signedUp, s.needed);
        bar.setAttribute('aria-labelledby', id);
        item.append(text, bar);
        if (s.signedUp < s.needed)
          item.append(element('span', ` — il manque ${s.needed - s.signedUp}`, 'coverage-missing'));
        list.append(item);
      }
      box.append(list);
      return box;
    }),
  );
}

function show(d: Dashboard): void {
  byId('section-title').textContent = `— ${d.section.name}`;
  showStats(d.stats, d.section.id);
  const reports = byId('kpis');
  if (d.stats) reports.append(kpi(d.openReports, 'signalements ouverts sur les pages de la section'));
  showEvents(d.upcomingEvents);
  showMissions(d.openMissions);
  window.history.replaceState(null, '', dashboardHref(d.section.id));
}

export async function startDashboardPage(): Promise<void> {
  const opened = await openSecretariatPage('dashboard');
  if (!opened) return;
  const pageStatus = byId('page-status');
  const load = async (sectionId: string) => {
    try {
      show(await getDashboard(sectionId));
    } catch (error) {
      if (isSessionLost(error)) return toSignIn('expiree');
      pageStatus.dataset.kind = 'error';
      pageStatus.textContent = `Le tableau de bord n’a pas pu être chargé. ${messageOf(error)}`;
    }
  };
  opened.select.addEventListener('change', () => void load(opened.select.value));
  await load(opened.first.id);
}
