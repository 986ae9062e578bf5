import { describe, expect, it } from 'vitest';
import { DEFAULT_WELCOME } from '../../shared/domain/secretariat/welcome.ts';
import { api, getItem } from '../support/api.ts';
import {
  letters,
  type Persona,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Welcoming newcomers (issue 11, SPEC §8): when their secretary confirms a membership, the member
 * finds the section's welcome text in their conversation with the secretary, with a
 * `message.new` notification — in the confirmation's own transaction.
 */

interface TemplateView {
  section: { id: string; name: string };
  text: string;
  isDefault: boolean;
  updatedByName: string | null;
}
interface Inbox {
  items: { id: string; with: { id: string } | null; unread: number }[];
}
interface Thread {
  items: { id: string; mine: boolean; text: string }[];
}
interface Notifications {
  items: { type: string; actor: { id: string }; data: Record<string, string> }[];
}

/** A fresh section, its secretary and a newcomer whose adherent claim waits for confirmation. */
async function sectionWithNewcomer(extra: Partial<Persona> = {}) {
  const { section, secretary } = await sectionWithSecretary();
  const seeded = await seedPersonas([
    {
      key: 'newcomer',
      firstName: 'Inès',
      lastName: `Zw${letters(8)}`,
      membership: 'adherent',
      confirmed: false,
      section: null,
      ownSection: section.id,
      visibility: 'section',
      signsIn: true,
      ...extra,
    },
  ]);
  return { section, secretary, newcomer: persona(seeded, 'newcomer') };
}

/** The newcomer's conversation with the secretary and its messages. */
async function welcomeOf(newcomer: Persona, secretary: Persona): Promise<{ id: string; thread: Thread }> {
  const inbox = await api<Inbox>('/api/conversations', { token: tokenOf(newcomer) });
  const conv = inbox.body.items.find((c) => c.with?.id === secretary.id);
  if (!conv) throw new Error(`no conversation with the secretary: ${JSON.stringify(inbox.body)}`);
  expect(conv.unread).toBe(1);
  const thread = await api<Thread>(`/api/conversations/${conv.id}/messages`, { token: tokenOf(newcomer) });
  return { id: conv.id, thread: thread.body };
}

describe('the welcome template', () => {
  it('shows the default text to the section’s secretary until one is saved, then the saved one', async () => {
    const { section, secretary } = await sectionWithSecretary();
    const path = `/api/sections/${section.id}/welcome-template`;
    const before = await api<TemplateView>(path, { token: tokenOf(secretary) });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ text: DEFAULT_WELCOME, isDefault: true, section });

    const text = 'Bonjour {prénom} {nom} !\nLa section {section} vous accueille. — {secrétaire}';
    const put = await api<TemplateView>(path, { method: 'PUT', token: tokenOf(secretary), body: { text } });
    expect(put.status).toBe(200);
    const after = await api<TemplateView>(path, { token: tokenOf(secretary) });
    expect(after.body).toMatchObject({
      text,
      isDefault: false,
      updatedByName: `${secretary.firstName} ${secretary.lastName}`,
    });
  });

  it('answers 404 to a secretary of another section and to an admin, and keeps the text', async () => {
    const { section, secretary } = await sectionWithSecretary();
    const other = await sectionWithSecretary();
    const seeded = await seedPersonas([
      {
        key: 'admin',
        firstName: 'Alix',
        lastName: `Zv${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
        roles: { admin: true },
        signsIn: true,
      },
    ]);
    const path = `/api/sections/${section.id}/welcome-template`;
    for (const who of [other.secretary, persona(seeded, 'admin')]) {
      const read = await api<{ error: { code: string } }>(path, { token: tokenOf(who) });
      expect(read.status).toBe(404);
      expect(read.body.error.code).toBe('section.not_found');
      const write = await api(path, {
        method: 'PUT',
        token: tokenOf(who),
        body: { text: 'Pirate {prénom}' },
      });
      expect(write.status).toBe(404);
    }
    expect(await getItem(`SECTION#${section.id}`, 'WELCOME')).toBeUndefined();
    const own = await api<TemplateView>(path, { token: tokenOf(secretary) });
    expect(own.body.isDefault).toBe(true);
  });

  it('refuses bad input with a 400 and writes nothing', async () => {
    const { section, secretary } = await sectionWithSecretary();
    const path = `/api/sections/${section.id}/welcome-template`;
    const bad: unknown[] = [
      { text: '' },
      { text: '   ' },
      { text: 'x'.repeat(2001) },
      { text: 'Bonjour {prenom}' },
      { text: 'Bonjour {prénom}', extra: true },
      { text: 42 },
      {},
    ];
    for (const body of bad) {
      const res = await api<{ error: { code: string } }>(path, {
        method: 'PUT',
        token: tokenOf(secretary),
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('request.invalid');
    }
    expect(await getItem(`SECTION#${section.id}`, 'WELCOME')).toBeUndefined();
  });
});

describe('the welcome message', () => {
  it('reaches a confirmed newcomer with the default text and a message.new notification', async () => {
    const { section, secretary, newcomer } = await sectionWithNewcomer();
    const confirm = await api(`/api/sections/${section.id}/members/${newcomer.id}/confirm`, {
      method: 'POST',
      token: tokenOf(secretary),
    });
    expect(confirm.status).toBe(200);

    const { id, thread } = await welcomeOf(newcomer, secretary);
    expect(thread.items).toHaveLength(1);
    const text = thread.items[0]?.text ?? '';
    expect(text).toContain(`Bonjour ${newcomer.firstName},`);
    expect(text).toContain(`Bienvenue dans la section ${section.name} !`);
    expect(text).toContain(`${secretary.firstName} ${secretary.lastName}`);
    expect(text).not.toMatch(/\{[^}]*\}/);

    const notes = await api<Notifications>('/api/notifications', { token: tokenOf(newcomer) });
    const welcome = notes.body.items.filter((n) => n.type === 'message.new');
    expect(welcome).toHaveLength(1);
    expect(welcome[0]).toMatchObject({ actor: { id: secretary.id }, data: { conversationId: id } });

    // Confirming again changes nothing and sends no second welcome.
    await api(`/api/sections/${section.id}/members/${newcomer.id}/confirm`, {
      method: 'POST',
      token: tokenOf(secretary),
    });
    expect((await welcomeOf(newcomer, secretary)).thread.items).toHaveLength(1);
  });

  it('sends the section’s edited text, in the conversation the newcomer already had with the secretary', async () => {
    const { section, secretary, newcomer } = await sectionWithNewcomer();
    const saved = await api(`/api/sections/${section.id}/welcome-template`, {
      method: 'PUT',
      token: tokenOf(secretary),
      body: { text: 'Salut {prénom} {nom}, bienvenue à {section} ! {secrétaire}' },
    });
    expect(saved.status).toBe(200);
    // A hidden (`section`-level) member writes to their secretary first.
    const asked = await api<{ conversationId: string }>(`/api/members/${secretary.id}/messages`, {
      token: tokenOf(newcomer),
      body: { text: 'Bonjour, où en est mon adhésion ?' },
    });
    expect(asked.status).toBe(201);

    await api(`/api/sections/${section.id}/members/${newcomer.id}/confirm`, {
      method: 'POST',
      token: tokenOf(secretary),
    });
    const { id, thread } = await welcomeOf(newcomer, secretary);
    expect(id).toBe(asked.body.conversationId);
    expect(thread.items.map((m) => m.text)).toEqual([
      `Salut ${newcomer.firstName} ${newcomer.lastName}, bienvenue à ${section.name} ! ${secretary.firstName} ${secretary.lastName}`,
      'Bonjour, où en est mon adhésion ?',
    ]);
  });

  it('sends no welcome when an admin confirms, nor to a member who blocked the secretary', async () => {
    const { section, newcomer } = await sectionWithNewcomer({ visibility: 'adherents' });
    const seeded = await seedPersonas([
      {
        key: 'admin',
        firstName: 'Alix',
        lastName: `Zv${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        visibility: 'adherents',
        roles: { admin: true },
        signsIn: true,
      },
    ]);
    const byAdmin = await api(`/api/sections/${section.id}/members/${newcomer.id}/confirm`, {
      method: 'POST',
      token: tokenOf(persona(seeded, 'admin')),
    });
    expect(byAdmin.status).toBe(200);
    const inbox = await api<Inbox>('/api/conversations', { token: tokenOf(newcomer) });
    expect(inbox.body.items).toEqual([]);

    const blocked = await sectionWithNewcomer({ visibility: 'adherents' });
    const block = await api(`/api/me/blocks/${blocked.secretary.id}`, {
      method: 'PUT',
      token: tokenOf(blocked.newcomer),
    });
    expect(block.status).toBe(204);
    const confirm = await api(`/api/sections/${blocked.section.id}/members/${blocked.newcomer.id}/confirm`, {
      method: 'POST',
      token: tokenOf(blocked.secretary),
    });
    expect(confirm.status).toBe(200);
    const none = await api<Inbox>('/api/conversations', { token: tokenOf(blocked.newcomer) });
    expect(none.body.items).toEqual([]);
    const notes = await api<Notifications>('/api/notifications', { token: tokenOf(blocked.newcomer) });
    expect(notes.body.items.filter((n) => n.type === 'message.new')).toEqual([]);
  });
});
