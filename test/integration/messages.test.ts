import { describe, expect, it } from 'vitest';
import { api, DEMO, memberItems, newMember, PARIS, signIn } from '../support/api.ts';

const visible = { visibility: 'all', consentVisibilityAll: true };

interface Inbox {
  items: { id: string; with: { id: string } | null; unread: number; preview: string }[];
}
interface Thread {
  items: { mine: boolean; text: string }[];
}

describe('private messages', () => {
  it('starts a conversation, replies in it, counts unread and marks read', async () => {
    const [a, b] = await Promise.all([newMember(visible), newMember(visible)]);
    const first = await api<{ conversationId: string }>(`/api/members/${b.id}/messages`, {
      token: a.token,
      body: { text: 'Bonjour Jeanne !' },
    });
    expect(first.status).toBe(201);
    const reply = await api<{ conversationId: string }>(`/api/members/${a.id}/messages`, {
      token: b.token,
      body: { text: 'Bonjour ! Oui, à jeudi.' },
    });
    expect(reply.body.conversationId).toBe(first.body.conversationId);
    await api(`/api/members/${b.id}/messages`, { token: a.token, body: { text: 'Parfait.' } });

    const inboxB = await api<Inbox>('/api/conversations', { token: b.token });
    expect(inboxB.body.items).toEqual([
      expect.objectContaining({
        id: first.body.conversationId,
        with: expect.objectContaining({ id: a.id }),
        unread: 2,
        preview: 'Parfait.',
      }),
    ]);
    const thread = await api<Thread>(`/api/conversations/${first.body.conversationId}/messages`, {
      token: b.token,
    });
    expect(thread.body.items.map((m) => [m.mine, m.text])).toEqual([
      [false, 'Parfait.'],
      [true, 'Bonjour ! Oui, à jeudi.'],
      [false, 'Bonjour Jeanne !'],
    ]);
    expect(
      (await api(`/api/conversations/${first.body.conversationId}/read`, { method: 'POST', token: b.token }))
        .status,
    ).toBe(204);
    expect((await api<Inbox>('/api/conversations', { token: b.token })).body.items[0]?.unread).toBe(0);
    expect((await memberItems(b.id)).filter((i) => i.kind === 'message.new')).toHaveLength(2);
    // No email address anywhere in what the members get.
    expect(JSON.stringify([inboxB.body, thread.body])).not.toMatch(/@/);
  });

  it('keeps a conversation to its participants', async () => {
    const [a, b, c] = await Promise.all([newMember(visible), newMember(visible), newMember(visible)]);
    const first = await api<{ conversationId: string }>(`/api/members/${b.id}/messages`, {
      token: a.token,
      body: { text: 'Entre nous.' },
    });
    expect(
      (await api(`/api/conversations/${first.body.conversationId}/messages`, { token: c.token })).status,
    ).toBe(404);
  });

  it('closes every path after a block, both ways, history kept, with the same neutral refusal', async () => {
    const [a, b] = await Promise.all([newMember(visible), newMember(visible)]);
    const first = await api<{ conversationId: string }>(`/api/members/${b.id}/messages`, {
      token: a.token,
      body: { text: 'Salut' },
    });
    await api(`/api/me/blocks/${a.id}`, { method: 'PUT', token: b.token });
    const fromBlocked = await api(`/api/members/${b.id}/messages`, {
      token: a.token,
      body: { text: 'Tu es là ?' },
    });
    const fromBlocker = await api(`/api/members/${a.id}/messages`, {
      token: b.token,
      body: { text: 'Non.' },
    });
    const toNobody = await api('/api/members/01KC0DEM000000000000099995/messages', {
      token: a.token,
      body: { text: 'Allô' },
    });
    expect(fromBlocked.status).toBe(403);
    expect(fromBlocker.status).toBe(403);
    expect(fromBlocked.body).toEqual(toNobody.body);
    expect(fromBlocked.body).toEqual({
      error: { code: 'message.not_allowed', message: 'Vous ne pouvez pas écrire à ce membre.' },
    });
    expect(
      (await api<Thread>(`/api/conversations/${first.body.conversationId}/messages`, { token: a.token })).body
        .items,
    ).toHaveLength(1);
    // No notification reached the blocker from the refused message.
    expect((await memberItems(b.id)).filter((i) => i.kind === 'message.new')).toHaveLength(1);
  });

  it('after A (adherents) removes B (a sympathisant) from coopains, B can no longer write to, see or find A', async () => {
    const lastName = `Retirée${Date.now().toString(36).replace(/\d/g, '')}`;
    const a = await newMember({ visibility: 'adherents', lastName });
    const { token: sec } = await signIn(DEMO.secretaire.email);
    await api(`/api/sections/${PARIS}/members/${a.id}/confirm`, { method: 'POST', token: sec });
    const b = await newMember({ ...visible, membership: 'sympathisant', sectionId: undefined });
    // A (adherents) can see B (all) and invites; B could not see A without the link.
    const { token: aToken } = await signIn(a.email, 'motdepasse-2026');
    expect((await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: aToken })).status).toBe(
      201,
    );
    expect((await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token })).status).toBe(
      204,
    );
    expect((await api(`/api/members/${a.id}`, { token: b.token })).status).toBe(200);
    expect(
      (await api(`/api/members/${a.id}/messages`, { token: b.token, body: { text: 'Merci !' } })).status,
    ).toBe(201);

    await api(`/api/me/coopains/${b.id}`, { method: 'DELETE', token: aToken });
    const refused = await api(`/api/members/${a.id}/messages`, {
      token: b.token,
      body: { text: 'Pourquoi ?' },
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { message: 'Vous ne pouvez pas écrire à ce membre.' } },
    });
    expect((await api(`/api/members/${a.id}`, { token: b.token })).status).toBe(404);
    const found = await api<{ items: { id: string }[] }>(`/api/directory?q=${encodeURIComponent(lastName)}`, {
      token: b.token,
    });
    expect(found.body.items.map((m) => m.id)).not.toContain(a.id);
  });

  it('lets a section-level member write only to their secretary, and the secretary write to them', async () => {
    const hidden = await newMember();
    const { token: camille } = await signIn(DEMO.adherente.email);
    expect(
      (
        await api(`/api/members/${DEMO.adherente.id}/messages`, {
          token: hidden.token,
          body: { text: 'Bonjour' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api(`/api/members/${hidden.id}/messages`, { token: camille, body: { text: 'Bonjour' } })).status,
    ).toBe(403);
    expect(
      (
        await api(`/api/members/${DEMO.secretaire.id}/messages`, {
          token: hidden.token,
          body: { text: 'Bonjour Sophie' },
        })
      ).status,
    ).toBe(201);
    const { token: sec } = await signIn(DEMO.secretaire.email);
    expect(
      (await api(`/api/members/${hidden.id}/messages`, { token: sec, body: { text: 'Bienvenue !' } })).status,
    ).toBe(201);
  });

  it('refuses an empty or oversized message and writes nothing', async () => {
    const [a, b] = await Promise.all([newMember(visible), newMember(visible)]);
    expect(
      (await api(`/api/members/${b.id}/messages`, { token: a.token, body: { text: '   ' } })).status,
    ).toBe(400);
    expect(
      (await api(`/api/members/${b.id}/messages`, { token: a.token, body: { text: 'x'.repeat(5001) } }))
        .status,
    ).toBe(400);
    expect((await api<Inbox>('/api/conversations', { token: a.token })).body.items).toEqual([]);
  });
});
