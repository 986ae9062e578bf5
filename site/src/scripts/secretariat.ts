/**
 * The secretariat's pages (`/secretariat/` and its sub-pages): the names of my sections, the start
 * every sub-page shares, and the messages to a whole section (docs/api.md « Section messages »).
 */
import {
  apiFetch,
  type Page,
  type Profile,
  type Section,
  type SectionMessage,
  type SectionRef,
} from './api.ts';
import { byId } from './forms.ts';
import { hasSecretariat, isSessionLost, loadMe, messageOf, requireSession, toSignIn } from './me.ts';

/** The sections I am secretary of, with their names (`GET /api/me` names only my own section). */
export async function mySecretariatSections(member: Profile): Promise<SectionRef[]> {
  const ids = member.roles.secretaryOf;
  const names = new Map<string, string>();
  if (member.section) names.set(member.section.id, member.section.name);
  if (!ids.every((id) => names.has(id))) {
    try {
      const { items } = await apiFetch<{ items: Section[] }>('/api/sections?limit=200');
      for (const item of items) names.set(item.id, item.name);
    } catch {
      // The ids are shown instead.
    }
  }
  return ids.map((id) => ({ id, name: names.get(id) ?? id }));
}

/** A secretariat sub-page, opened: me, my sections, the one to show first and the chooser. */
export interface SecretariatPage {
  me: Profile;
  mine: SectionRef[];
  first: SectionRef;
  select: HTMLSelectElement;
}

/**
 * The start every « Secrétariat » sub-page shares (tableau de bord, accueil et fichier, message à
 * la section): the session, my sections as secretary — none shows `#page-denied` — the chooser
 * `#mySection` filled (its form `#choose-form` shown from two sections on) and set to the section
 * the address asks for, else my first; then `contentId` is shown. Null when the page stops there
 * (signed out, denied, or `GET /api/me` failed: said in `#page-status`).
 */
export async function openSecretariatPage(contentId: string): Promise<SecretariatPage | null> {
  if (!requireSession()) return null;
  let me: Profile;
  let mine: SectionRef[];
  try {
    me = await loadMe();
    mine = hasSecretariat(me) ? await mySecretariatSections(me) : [];
  } catch (error) {
    if (isSessionLost(error)) {
      toSignIn('expiree');
      return null;
    }
    byId('page-loading').hidden = true;
    const pageStatus = byId('page-status');
    pageStatus.dataset.kind = 'error';
    pageStatus.textContent = `Cette page n’a pas pu être chargée. ${messageOf(error)}`;
    return null;
  }
  byId('page-loading').hidden = true;
  const wanted = new URLSearchParams(window.location.search).get('section');
  const first = mine.find((own) => own.id === wanted) ?? mine[0];
  if (!first) {
    byId('page-denied').hidden = false;
    return null;
  }
  const select = byId<HTMLSelectElement>('mySection');
  select.replaceChildren(...mine.map((own) => new Option(own.name, own.id)));
  select.value = first.id;
  const chooser = byId<HTMLFormElement>('choose-form');
  chooser.hidden = mine.length < 2;
  chooser.addEventListener('submit', (event) => event.preventDefault());
  byId(contentId).hidden = false;
  return { me, mine, first, select };
}

/** The address of the « Message à la section » page for a section. */
export function sectionMessageHref(sectionId: string): string {
  return `/secretariat/message/?${new URLSearchParams({ section: sectionId })}`;
}

/** Queues a message to every member of the section (202: delivery follows in the background). */
export function sendSectionMessage(sectionId: string, text: string): Promise<SectionMessage> {
  return apiFetch<SectionMessage>(`/api/sections/${encodeURIComponent(sectionId)}/messages`, {
    method: 'POST',
    body: { text },
  });
}

/** A page of the section's messages, newest first. */
export function listSectionMessages(sectionId: string, cursor: string | null): Promise<Page<SectionMessage>> {
  const query = cursor ? `?${new URLSearchParams({ cursor })}` : '';
  return apiFetch<Page<SectionMessage>>(`/api/sections/${encodeURIComponent(sectionId)}/messages${query}`);
}

/** Still on its way: the history keeps asking until it is done. */
export function isInProgress(message: Pick<SectionMessage, 'status'>): boolean {
  return message.status === 'queued' || message.status === 'sending';
}

function members(count: number): string {
  return `${count.toLocaleString('fr-FR')} ${count > 1 ? 'membres' : 'membre'}`;
}

/** « En file d'attente », « Envoi en cours — 12 membres atteints », « Envoyé à 40 membres », « Interrompu ». */
export function sectionMessageStatus(message: Pick<SectionMessage, 'status' | 'delivered'>): string {
  switch (message.status) {
    case 'queued':
      return 'En file d’attente';
    case 'sending':
      return `Envoi en cours — ${members(message.delivered)} ${message.delivered > 1 ? 'atteints' : 'atteint'}`;
    case 'sent':
      return `Envoyé à ${members(message.delivered)}`;
    case 'stopped':
      return 'Interrompu';
    default:
      return message.status;
  }
}

/** The address of the section's dashboard (`/secretariat/tableau-de-bord/`). */
export function dashboardHref(sectionId: string): string {
  return `/secretariat/tableau-de-bord/?${new URLSearchParams({ section: sectionId })}`;
}

/** The address of the « Accueil et fichier » page (welcome template, roster export) for a section. */
export function sectionToolsHref(sectionId: string): string {
  return `/secretariat/outils/?${new URLSearchParams({ section: sectionId })}`;
}

export interface WelcomeTemplate {
  section: SectionRef;
  text: string;
  isDefault: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
  placeholders: string[];
  maxLength: number;
}

export function getWelcomeTemplate(sectionId: string): Promise<WelcomeTemplate> {
  return apiFetch<WelcomeTemplate>(`/api/sections/${encodeURIComponent(sectionId)}/welcome-template`);
}

export function saveWelcomeTemplate(sectionId: string, text: string): Promise<WelcomeTemplate> {
  return apiFetch<WelcomeTemplate>(`/api/sections/${encodeURIComponent(sectionId)}/welcome-template`, {
    method: 'PUT',
    body: { text },
  });
}

/** The welcome as the newcomer will read it: the placeholders replaced (the server does the same). */
export function previewWelcome(text: string, values: Record<string, string>): string {
  return text.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole);
}
