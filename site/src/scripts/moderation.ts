/**
 * Moderation (SPEC §6, docs/api.md « Moderation »): the API's shapes, the French words of the
 * charter's categories and of the decisions, and the small pieces the moderation pages share.
 */
import { ApiError, type Profile } from './api.ts';
import { byId } from './forms.ts';
import { element, formatDateTime } from './labels.ts';
import { isSessionLost, messageOf, toSignIn } from './me.ts';
import { REPORT_CATEGORIES } from './report-categories.ts';

export { REPORT_CATEGORIES, type ReportCategory } from './report-categories.ts';

const CATEGORY_LABELS = new Map<string, string>(REPORT_CATEGORIES);

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS.get(category) ?? category;
}

export type TargetKind = 'post' | 'comment' | 'message' | 'member' | 'group' | 'event' | 'mission';

export const KIND_LABELS: Record<TargetKind, string> = {
  post: 'Billet ou message publié',
  comment: 'Commentaire',
  message: 'Message privé',
  member: 'Profil',
  group: 'Groupe',
  event: 'Évènement',
  mission: 'Mission',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as TargetKind] ?? kind;
}

/** What a file is about, as precisely as its snapshot tells: a *billet* has a title, a short message none. */
export function summaryKindLabel(summary: { kind: string; snapshot: Snapshot }): string {
  if (summary.kind === 'post') return summary.snapshot.title ? 'Billet' : 'Message publié';
  return kindLabel(summary.kind);
}

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

export interface Snapshot {
  title?: string;
  text: string;
  place?: string;
}

/** `Summary`: a target's entry in the queue. */
export interface Summary {
  target: string;
  kind: TargetKind;
  author: Person | null;
  openCount: number;
  categories: string[];
  firstReportedAt: string;
  lastReportedAt: string;
  snapshot: Snapshot;
  removed: boolean;
  status: 'open' | 'closed';
  lastDecision: { id: string; at: string; decision: 'dismissed' | 'actioned' } | null;
}

export interface ReportEntry {
  id: string;
  reporter: Person | null;
  category: string;
  comment: string;
  at: string;
  snapshot: Snapshot;
  status: 'open' | 'closed';
  outcome: 'dismissed' | 'actioned' | null;
}

export type DecisionKind = 'dismissed' | 'remark' | 'removed' | 'suspended' | 'lifted' | 'appeal.upheld';

export interface Decision {
  id: string;
  at: string;
  kinds: DecisionKind[];
  reason: string;
  target: string | null;
  /** For a suspension: its end, or null (permanent); absent otherwise. */
  suspendedUntil?: string | null;
  appealId: string | null;
}

export interface Appeal {
  id: string;
  decisionId: string;
  text: string;
  at: string;
  status: 'open' | 'upheld' | 'lifted';
  answer: string | null;
  answeredAt: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actorId: string;
  actorName: string;
  subjectId: string;
  details?: Record<string, string>;
}

/** Coopilotes see the queue, files and appeals; anyone else gets the API's 404. */
export function isCoopilote(me: Profile): boolean {
  return me.roles.coopilote;
}

/** The audit log is also open to the admins. */
export function mayReadAudit(me: Profile): boolean {
  return me.roles.coopilote || me.roles.admin;
}

/** A target in a path (`post%3A01K…`). */
export function targetPath(target: string): string {
  return encodeURIComponent(target);
}

export function fileHref(target: string): string {
  return `/moderation/dossier/?${new URLSearchParams({ target })}`;
}

export function auditHref(filter: { member?: string; actor?: string; day?: string }): string {
  return `/moderation/journal/?${new URLSearchParams(filter as Record<string, string>)}`;
}

/** « jusqu’au 12 mars 2026 à 14:05 » or « définitivement », in Paris time. */
export function suspensionEnd(until: string | null | undefined): string {
  return until ? `jusqu’au ${formatDateTime(until)}` : 'définitivement';
}

/** What a decision did, in words, one item each. */
export function decisionWords(decision: Pick<Decision, 'kinds' | 'suspendedUntil'>): string[] {
  const words: string[] = [];
  for (const kind of decision.kinds) {
    switch (kind) {
      case 'dismissed':
        words.push('Signalements classés sans suite');
        break;
      case 'remark':
        words.push('Remarque des coopilotes');
        break;
      case 'removed':
        words.push('Contenu supprimé');
        break;
      case 'suspended':
        words.push(`Compte suspendu ${suspensionEnd(decision.suspendedUntil)}`);
        break;
      case 'lifted':
        words.push('Suspension levée');
        break;
      case 'appeal.upheld':
        words.push('Recours examiné : suspension maintenue');
        break;
    }
  }
  return words;
}

export const APPEAL_STATUS: Record<Appeal['status'], string> = {
  open: 'En attente de réponse',
  upheld: 'Suspension maintenue',
  lifted: 'Suspension levée',
};

export const AUDIT_ACTIONS: Record<string, string> = {
  'contact.read': 'Consultation de coordonnées',
  'membership.confirm': 'Adhésion confirmée',
  'membership.decline': 'Adhésion non confirmée',
  'mandate.verify': 'Mandat vérifié',
  'roles.set': 'Rôles modifiés',
  'commitment.accept': 'Engagement de confidentialité accepté',
  'moderation.dismiss': 'Signalements classés sans suite',
  'moderation.act': 'Décision de modération',
  'moderation.lift': 'Suspension levée',
  'moderation.expire': 'Fin de suspension',
  'appeal.answer': 'Réponse à un recours',
  'content.remove': 'Contenu retiré par un·e modérateur·rice local·e',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action;
}

/** A `<time>` in French, as read in Paris. */
export function timeElement(iso: string): HTMLTimeElement {
  const time = element('time', formatDateTime(iso));
  time.dateTime = iso;
  return time;
}

/** « Dupont · Propos injurieux » badges, one per category. */
export function categoryBadges(categories: readonly string[]): HTMLUListElement {
  const list = element('ul', undefined, 'badge-list');
  for (const category of categories) list.append(element('li', categoryLabel(category), 'badge category'));
  return list;
}

/** The reported content as it was: its title, its text, where it was. */
export function snapshotBlock(snapshot: Snapshot, removed = false): HTMLElement {
  const box = element('blockquote', undefined, 'snapshot');
  if (removed) box.append(element('p', 'Supprimé', 'badge stopped'));
  if (snapshot.place) box.append(element('p', snapshot.place, 'snapshot-place'));
  if (snapshot.title) box.append(element('p', snapshot.title, 'snapshot-title'));
  box.append(element('p', snapshot.text.trim() || '(sans texte)', 'multiline snapshot-text'));
  return box;
}

/** The first characters of a text, cut on a word. */
export function excerpt(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Writes a message in a live region (emptied first so that a repeated message is read again). */
export function say(region: HTMLElement, message: string, kind: 'success' | 'error' | 'info'): void {
  region.dataset.kind = kind;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** A failure shown in `region` (or the sign-in page when the session is over). */
export function failed(region: HTMLElement, error: unknown): void {
  if (isSessionLost(error)) toSignIn('expiree');
  else say(region, messageOf(error), 'error');
}

/**
 * The coopilote pages' answer to a 404 from the API (anyone but a coopilote): « Page introuvable »,
 * like any address that does not exist — the queue's existence is not even confirmed.
 */
export function showPageNotFound(): void {
  for (const id of ['page-loading', 'page-content']) {
    const node = document.getElementById(id);
    if (node) node.hidden = true;
  }
  const title = byId('page-title');
  title.textContent = 'Page introuvable';
  document.title = 'Page introuvable · la coopol';
  byId('page-missing').hidden = false;
  byId('moderation-tabs').hidden = true;
}

/** True when the error is the API's « not for you » 404. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
