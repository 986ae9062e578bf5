import { beforeAll, describe, expect, it } from 'vitest';
import { type RouteId, routes } from '../../shared/routes.ts';
import {
  api,
  DEMO,
  memberItems,
  newMember,
  PARIS,
  signIn,
  uniqueEmail,
  validSignUp,
} from '../support/api.ts';

/**
 * "A block closes every path" (SPEC §3): every route of the route table is called by the blocked
 * member A, aimed at the blocker B wherever the route takes a member. No answer may carry B
 * (except the history of their old conversation, which stays), nothing may succeed in reaching B,
 * and B gets no notification. Each route needs a decision here: a route added later without one
 * fails this test (the map is typed by route id and checked at run time).
 */

interface Ctx {
  a: { id: string; token: string; cookie: string; email: string };
  b: { id: string; token: string; lastName: string };
  conversationId: string;
}

type Expect = 'refused' | 'no-trace' | 'history';
type Probe = (
  ctx: Ctx,
) => Promise<{ method: string; path: string; body?: unknown; cookie?: string; token?: string | null }>;

/** `refused`: a 4xx; `no-trace`: may succeed but never shows B; `history`: may show the old conversation only. */
const probes: Record<RouteId, { expect: Expect; probe: Probe }> = {
  'system.health': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/health', token: null }),
  },
  'sections.list': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/sections', token: null }),
  },
  'auth.signUp': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'POST',
      path: '/api/auth/sign-up',
      body: validSignUp(uniqueEmail('bloque')),
      token: null,
    }),
  },
  'auth.confirm': {
    expect: 'refused',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/confirm',
      body: { email: a.email, code: '000000' },
      token: null,
    }),
  },
  'auth.resendCode': {
    expect: 'no-trace',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/resend-code',
      body: { email: a.email },
      token: null,
    }),
  },
  'auth.signIn': {
    expect: 'no-trace',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/sign-in',
      body: { email: a.email, password: 'motdepasse-2026' },
      token: null,
    }),
  },
  'auth.refresh': {
    expect: 'no-trace',
    probe: async ({ a }) => ({ method: 'POST', path: '/api/auth/refresh', cookie: a.cookie, token: null }),
  },
  'auth.signOut': {
    expect: 'no-trace',
    probe: async () => ({ method: 'POST', path: '/api/auth/sign-out', token: null }),
  },
  'me.get': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me' }) },
  'me.update': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'PUT',
      path: '/api/me',
      body: { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'all' },
    }),
  },
  'me.getContact': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/contact' }) },
  'me.updateContact': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'PUT',
      path: '/api/me/contact',
      body: { phone: null, postalAddress: null },
    }),
  },
  'me.changeSection': {
    expect: 'no-trace',
    probe: async () => ({ method: 'PUT', path: '/api/me/section', body: { sectionId: PARIS } }),
  },
  'me.addMandate': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'POST',
      path: '/api/me/mandates',
      body: { office: 'Conseillère municipale', territory: 'Paris', startDate: '2020-07-01' },
    }),
  },
  'me.deleteMandate': {
    expect: 'refused',
    probe: async () => ({ method: 'DELETE', path: '/api/me/mandates/01KC0MAN000000000000009999' }),
  },
  'me.contactReads': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/contact-reads' }),
  },
  'me.acceptCommitment': {
    expect: 'refused',
    probe: async () => ({
      method: 'POST',
      path: '/api/me/confidentiality-commitment',
      body: { accepted: true },
    }),
  },
  'members.get': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/members/${b.id}` }),
  },
  'members.getContact': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/members/${b.id}/contact` }),
  },
  'members.verifyMandate': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/members/${b.id}/mandates/01KC0MAN000000000000009999/verify`,
    }),
  },
  'directory.search': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/directory?q=${encodeURIComponent(b.lastName)}` }),
  },
  'sections.roster': {
    expect: 'refused',
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/members?contacts=true` }),
  },
  // A is no secretary: the section's messages are closed to them.
  'sections.sendMessage': {
    expect: 'refused',
    probe: async () => ({
      method: 'POST',
      path: `/api/sections/${PARIS}/messages`,
      body: { text: 'À toute la section' },
    }),
  },
  'sections.listMessages': {
    expect: 'refused',
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/messages` }),
  },
  'sections.confirmMembership': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/sections/${PARIS}/members/${b.id}/confirm` }),
  },
  'sections.declineMembership': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/sections/${PARIS}/members/${b.id}/decline` }),
  },
  'admin.setRoles': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'PUT',
      path: `/api/admin/members/${b.id}/roles`,
      body: { secretaryOf: [], coopilote: false, admin: false },
    }),
  },
  'coopains.list': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/coopains' }) },
  'coopains.remove': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'DELETE', path: `/api/me/coopains/${b.id}` }),
  },
  'coopains.invitations': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/invitations' }),
  },
  'coopains.accept': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/me/invitations/${b.id}/accept` }),
  },
  'coopains.refuse': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/me/invitations/${b.id}/refuse` }),
  },
  'coopains.invite': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/members/${b.id}/invitation` }),
  },
  'coopains.cancel': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'DELETE', path: `/api/members/${b.id}/invitation` }),
  },
  'blocks.list': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/blocks' }) },
  // Blocking back is A's own right: it reaches nothing of B's (204 whatever the id).
  'blocks.block': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'PUT', path: `/api/me/blocks/${b.id}` }),
  },
  'blocks.unblock': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'DELETE', path: `/api/me/blocks/${b.id}` }),
  },
  'messages.send': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/members/${b.id}/messages`,
      body: { text: 'Tu me reçois ?' },
    }),
  },
  // The conversation's history stays (SPEC §3): it may still show, and nothing new.
  'messages.inbox': { expect: 'history', probe: async () => ({ method: 'GET', path: '/api/conversations' }) },
  'messages.list': {
    expect: 'history',
    probe: async ({ conversationId }) => ({
      method: 'GET',
      path: `/api/conversations/${conversationId}/messages`,
    }),
  },
  'messages.markRead': {
    expect: 'history',
    probe: async ({ conversationId }) => ({
      method: 'POST',
      path: `/api/conversations/${conversationId}/read`,
    }),
  },
};

describe('a block closes every path (walks the whole route table as the blocked member)', () => {
  let ctx: Ctx;
  let notificationsBefore = 0;

  beforeAll(async () => {
    const visible = { visibility: 'all', consentVisibilityAll: true };
    const lastName = `Bloqueuse${Date.now().toString(36).replace(/\d/g, '')}`;
    const [a, b] = await Promise.all([newMember(visible), newMember({ ...visible, lastName })]);
    // They were coopains and talked before the block.
    await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token });
    const first = await api<{ conversationId: string }>(`/api/members/${b.id}/messages`, {
      token: a.token,
      body: { text: 'Avant le blocage' },
    });
    // A pending invitation from B survives nothing either.
    expect((await api(`/api/me/blocks/${a.id}`, { method: 'PUT', token: b.token })).status).toBe(204);
    ctx = { a, b: { id: b.id, token: b.token, lastName }, conversationId: first.body.conversationId };
    notificationsBefore = (await memberItems(b.id)).filter((i) => String(i.sk).startsWith('NOTIF#')).length;
  });

  it('has a block decision for every route in the table', () => {
    expect(Object.keys(probes).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it.each(routes.map((r) => [r.id] as const))('%s', async (id) => {
    const { expect: outcome, probe } = probes[id];
    const req = await probe(ctx);
    const token = req.token === null ? undefined : (req.token ?? ctx.a.token);
    const res = await api(req.path, { method: req.method, body: req.body, token, cookie: req.cookie });
    const text = JSON.stringify(res.body);
    if (outcome === 'refused') {
      expect(res.status, text).toBeGreaterThanOrEqual(400);
      expect(res.status, text).toBeLessThan(500);
    } else {
      expect(res.status, text).toBeLessThan(500);
    }
    if (outcome !== 'history') {
      expect(text).not.toContain(ctx.b.id);
      expect(text).not.toContain(ctx.b.lastName);
    }
    // Whatever the route, nothing reached the blocker.
    const notifications = (await memberItems(ctx.b.id)).filter((i) =>
      String(i.sk).startsWith('NOTIF#'),
    ).length;
    expect(notifications).toBe(notificationsBefore);
  });

  it('never tells the blocked member that a block exists', async () => {
    const messages = [
      await api(`/api/members/${ctx.b.id}/messages`, { token: ctx.a.token, body: { text: 'Allô ?' } }),
      await api(`/api/members/${ctx.b.id}/invitation`, { method: 'POST', token: ctx.a.token }),
      await api(`/api/members/${ctx.b.id}`, { token: ctx.a.token }),
    ];
    for (const m of messages) expect(JSON.stringify(m.body)).not.toMatch(/bloqu|block/i);
  });

  it('lets the secretary still reach a member who blocked them (charter §2)', async () => {
    const member = await newMember();
    const { token: sec } = await signIn(DEMO.secretaire.email);
    const { token } = await signIn(member.email, 'motdepasse-2026');
    await api(`/api/me/blocks/${DEMO.secretaire.id}`, { method: 'PUT', token });
    expect((await api(`/api/members/${member.id}`, { token: sec })).status).toBe(200);
  });
});
