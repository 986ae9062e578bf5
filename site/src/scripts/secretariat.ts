/**
 * The secretariat's pages (`/secretariat/`, `/secretariat/message/`): the names of my sections,
 * and the messages to a whole section (docs/api.md « Section messages »).
 */
import {
  apiFetch,
  type Page,
  type Profile,
  type Section,
  type SectionMessage,
  type SectionRef,
} from './api.ts';

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
