import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { getMember, saveMember } from '../../shared/data/members.ts';
import { newSectionMessageWrite } from '../../shared/data/section-messages.ts';
import { deliverSectionMessagePage } from '../../shared/domain/messages/section-messages.ts';
import { api, DEMO, getItem, memberItems, setState, signIn } from '../support/api.ts';
import {
  freshSection,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Secrétariat → Message à la section (SPEC §3, issue 4 item 4): the request only queues; the task
 * job (run by the local stack's scheduler, as EventBridge Scheduler does in AWS) puts a copy in
 * each member's conversation with the secretary, hidden members included, never across a block.
 */

interface SectionMessage {
  id: string;
  text: string;
  status: string;
  delivered: number;
  authorName: string;
  finishedAt: string | null;
}
interface Inbox {
  items: { id: string; with: { id: string } | null; unread: number; preview: string }[];
}
interface Thread {
  items: { id: string; mine: boolean; text: string; toSection?: boolean }[];
}

/** Waits for the delivery to end (the scheduler runs the task job every second locally). */
async function delivered(sectionId: string, token: string, id: string): Promise<SectionMessage> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const list = await api<{ items: SectionMessage[] }>(`/api/sections/${sectionId}/messages`, { token });
    const found = list.body.items.find((m) => m.id === id);
    if (found && (found.status === 'sent' || found.status === 'stopped')) return found;
    if (Date.now() > deadline) throw new Error(`section message ${id} still ${found?.status} after 45 s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const token = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string | null, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Camille',
  lastName: `Zz${token}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: sectionId ? null : 'lille',
  ...(sectionId ? { ownSection: sectionId } : {}),
  visibility: 'adherents',
  ...extra,
});

async function inboxOf(p: Persona): Promise<Inbox['items']> {
  return (await api<Inbox>('/api/conversations', { token: tokenOf(p) })).body.items;
}

const notificationsOf = async (memberId: string) =>
  (await memberItems(memberId)).filter((i) => i.type === 'notification');

describe('a secretary’s message to the whole section', () => {
  it('reaches every member, hidden ones included, over several pages — never across a block, never a suspended member', async () => {
    const section = await freshSection();
    const fillers = Array.from({ length: 55 }, (_, i) =>
      spec(`filler${i}`, section.id, {
        visibility: i % 2 ? 'section' : 'adherents',
        membership: 'sympathisant',
        confirmed: false,
      }),
    );
    const people = await seedPersonas(
      [
        spec('secretary', section.id, { roles: { secretaryOf: [section.id] }, signsIn: true }),
        spec('visible', section.id, { signsIn: true }),
        spec('hidden', section.id, { visibility: 'section', signsIn: true }),
        spec('talked', section.id, { signsIn: true }),
        spec('blocksSecretary', section.id, { signsIn: true }),
        spec('blockedBySecretary', section.id, { signsIn: true }),
        spec('suspended', section.id),
        spec('elsewhere', null, { signsIn: true }),
        ...fillers,
      ],
      {
        blocks: [
          ['blocksSecretary', 'secretary'],
          ['secretary', 'blockedBySecretary'],
        ],
      },
    );
    const p = (key: string) => persona(people, key);
    const secretary = p('secretary');
    await setState(p('suspended').id, 'suspended');

    // An earlier conversation: the copy joins it instead of opening another.
    const earlier = await api<{ conversationId: string }>(`/api/members/${p('talked').id}/messages`, {
      token: tokenOf(secretary),
      body: { text: 'Merci pour le tractage de samedi !' },
    });
    expect(earlier.status).toBe(201);

    const text = 'Assemblée générale de la section jeudi 3 décembre à 19 h, au local.';
    const sent = await api<SectionMessage>(`/api/sections/${section.id}/messages`, {
      token: tokenOf(secretary),
      body: { text },
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ status: 'queued', delivered: 0, text });

    const done = await delivered(section.id, tokenOf(secretary), sent.body.id);
    // visible, hidden, talked and the 55 others; not the two blocks, the suspended member, the sender.
    expect(done).toMatchObject({ status: 'sent', delivered: 3 + fillers.length });
    expect(done.finishedAt).not.toBeNull();

    for (const key of ['visible', 'hidden', 'talked']) {
      const inbox = await inboxOf(p(key));
      const conv = inbox.find((c) => c.with?.id === secretary.id);
      // `talked` had not read the secretary's earlier message either.
      expect(conv, key).toMatchObject({ unread: key === 'talked' ? 2 : 1, preview: text });
      const thread = await api<Thread>(`/api/conversations/${conv?.id}/messages`, { token: tokenOf(p(key)) });
      expect(thread.body.items[0]).toEqual({
        id: sent.body.id,
        mine: false,
        text,
        at: expect.any(String),
        toSection: true,
      });
      const notes = await notificationsOf(p(key).id);
      expect(
        notes.filter((n) => n.kind === 'section.message'),
        key,
      ).toHaveLength(1);
    }
    const talked = await inboxOf(p('talked'));
    expect(talked.filter((c) => c.with?.id === secretary.id)).toHaveLength(1);
    expect(talked[0]?.id).toBe(earlier.body.conversationId);

    // Nothing reaches across a block, to a suspended member, or outside the section.
    for (const key of ['blocksSecretary', 'blockedBySecretary', 'suspended', 'elsewhere']) {
      const items = await memberItems(p(key).id);
      expect(
        items.filter((i) => i.type === 'conversation-membership'),
        key,
      ).toEqual([]);
      expect(
        items.filter((i) => i.type === 'notification'),
        key,
      ).toEqual([]);
    }

    // The secretary's inbox is not flooded: only the conversation they had already.
    const mine = await inboxOf(secretary);
    expect(mine.map((c) => c.id)).toEqual([earlier.body.conversationId]);
    // A hidden member answers their secretary: that conversation comes up in the secretary's inbox.
    const answer = await api(`/api/members/${secretary.id}/messages`, {
      token: tokenOf(p('hidden')),
      body: { text: 'Je serai là.' },
    });
    expect(answer.status).toBe(201);
    const after = await inboxOf(secretary);
    expect(after[0]).toMatchObject({ with: { id: p('hidden').id }, preview: 'Je serai là.', unread: 1 });
  }, 120_000);

  it('delivers nothing twice when a step runs again, and stops when the sender is no longer secretary', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] }, signsIn: true }),
      spec('member', section.id, { signsIn: true }),
    ]);
    const secretary = persona(people, 'secretary');
    const member = persona(people, 'member');
    const sent = await api<SectionMessage>(`/api/sections/${section.id}/messages`, {
      token: tokenOf(secretary),
      body: { text: 'Collage d’affiches dimanche matin.' },
    });
    expect(await delivered(section.id, tokenOf(secretary), sent.body.id)).toMatchObject({ delivered: 1 });

    // The same step again, as after a crash before the checkpoint: nothing new is written.
    const payload = { sectionId: section.id, messageId: sent.body.id, senderId: secretary.id };
    expect(await deliverSectionMessagePage({ payload })).toEqual({ done: true, delivered: 0 });
    const inbox = await inboxOf(member);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.unread).toBe(1);
    const thread = await api<Thread>(`/api/conversations/${inbox[0]?.id}/messages`, {
      token: tokenOf(member),
    });
    expect(thread.body.items).toHaveLength(1);
    expect((await notificationsOf(member.id)).filter((n) => n.kind === 'section.message')).toHaveLength(1);

    // A message whose sender lost the role before delivery: stopped, nobody reached.
    const id = ulid();
    await transact([
      newSectionMessageWrite({
        id,
        sectionId: section.id,
        sectionName: section.name,
        authorId: secretary.id,
        authorName: 'Solène',
        text: 'Ne doit pas partir.',
        at: new Date().toISOString(),
        status: 'queued',
        delivered: 0,
      }),
    ]);
    const before = await getMember(secretary.id);
    if (!before) throw new Error('secretary missing');
    await saveMember(before, { ...before, roles: { ...before.roles, secretaryOf: [] } });
    expect(await deliverSectionMessagePage({ payload: { ...payload, messageId: id } })).toEqual({
      done: true,
      delivered: 0,
    });
    expect(await getItem(`SECTION#${section.id}`, `SECTIONMSG#${id}`)).toMatchObject({ status: 'stopped' });
    expect(await inboxOf(member)).toHaveLength(1);
  }, 60_000);

  it('is for the section’s own secretaries only, refuses bad input without writing, and is rate limited', async () => {
    const { section, secretary } = await sectionWithSecretary();
    const url = `/api/sections/${section.id}/messages`;
    const list = async () => (await api<{ items: unknown[] }>(url, { token: tokenOf(secretary) })).body.items;

    // Neither a member of another section, nor the demo admin, nor the secretary of another section.
    for (const email of [DEMO.adherente.email, DEMO.admin.email, DEMO.secretaire.email]) {
      const { token: other } = await signIn(email);
      const res = await api(url, { token: other, body: { text: 'Bonjour' } });
      expect(res, email).toMatchObject({ status: 404, body: { error: { code: 'section.not_found' } } });
      expect((await api(url, { token: other })).status, email).toBe(404);
    }

    for (const body of [
      { text: '' },
      { text: '   ' },
      {},
      { text: 'x'.repeat(5001) },
      { text: 'ok', to: 'all' },
    ]) {
      const res = await api<{ error: { code: string; message: string } }>(url, {
        token: tokenOf(secretary),
        body,
      });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.error.message).toMatch(/[a-zé]/);
    }
    expect(await list()).toEqual([]);

    // Five a day by default, then 429 with Retry-After — the refused one is not recorded.
    for (let i = 0; i < 5; i++)
      expect((await api(url, { token: tokenOf(secretary), body: { text: `Message ${i}` } })).status).toBe(
        202,
      );
    const refused = await api<{ error: { code: string } }>(url, {
      token: tokenOf(secretary),
      body: { text: 'Encore' },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('section_message.rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await list()).toHaveLength(5);
  }, 60_000);
});
