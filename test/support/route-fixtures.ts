import type { RouteId } from '../../shared/routes.ts';
import { api, DEMO, newMember, PARIS, signIn, uniqueEmail, validSignUp, waitForMail } from './api.ts';
import { sectionWithSecretary, tokenOf } from './personas.ts';

/**
 * The fixture registry: for every route id, a valid request made by its legitimate actor.
 * The route walker (test/integration/route-walk.test.ts) fails if a route has none, so a new route
 * cannot pass a walk vacuously.
 */
export interface FixtureRequest {
  path: string;
  method: string;
  body?: unknown;
  token?: string;
  cookie?: string;
}

type Fixture = () => Promise<FixtureRequest>;

async function pendingSignUp(): Promise<{ email: string; code: string }> {
  const email = uniqueEmail('walk');
  await api('/api/auth/sign-up', { body: validSignUp(email) });
  const mail = await waitForMail(email, /code/);
  return { email, code: /(\d{6})/.exec(mail.body.text ?? '')?.[1] ?? '' };
}

const asAdherente = async () => (await signIn(DEMO.adherente.email)).token;

/** The Paris secretary, having accepted the confidentiality commitment (idempotent). */
async function asCommittedSecretary(): Promise<string> {
  const { token } = await signIn(DEMO.secretaire.email);
  await api('/api/me/confidentiality-commitment', { token, body: { accepted: true } });
  return token;
}

/** Two new members visible to all, so that each may see (and invite) the other. */
async function twoVisibleMembers(): Promise<{
  a: { id: string; token: string };
  b: { id: string; token: string };
}> {
  const visible = { visibility: 'all', consentVisibilityAll: true };
  const [a, b] = await Promise.all([newMember(visible), newMember(visible)]);
  return { a, b };
}

async function pendingInvitation(): Promise<{
  a: { id: string; token: string };
  b: { id: string; token: string };
}> {
  const pair = await twoVisibleMembers();
  const res = await api(`/api/members/${pair.b.id}/invitation`, { method: 'POST', token: pair.a.token });
  if (res.status !== 201) throw new Error(`invitation failed: ${JSON.stringify(res.body)}`);
  return pair;
}

/** Two members who exchanged a first message (a → b). */
async function conversation(): Promise<{
  a: { id: string; token: string };
  b: { id: string; token: string };
  conversationId: string;
}> {
  const { a, b } = await twoVisibleMembers();
  const res = await api<{ conversationId: string }>(`/api/members/${b.id}/messages`, {
    token: a.token,
    body: { text: 'Bonjour !' },
  });
  if (res.status !== 201) throw new Error(`message failed: ${JSON.stringify(res.body)}`);
  return { a, b, conversationId: res.body.conversationId };
}

async function memberWithMandate(): Promise<{ id: string; token: string; mandateId: string }> {
  const member = await newMember();
  const res = await api<{ mandate: { id: string } }>('/api/me/mandates', {
    token: member.token,
    body: {
      office: 'Conseillère municipale',
      territory: 'Paris 11e',
      startDate: '2020-07-01',
      endDate: '2026-03-31',
    },
  });
  return { id: member.id, token: member.token, mandateId: res.body.mandate.id };
}

export const routeFixtures: Record<RouteId, Fixture> = {
  'system.health': async () => ({ method: 'GET', path: '/api/health' }),
  'sections.list': async () => ({ method: 'GET', path: '/api/sections?q=par' }),
  'auth.signUp': async () => ({
    method: 'POST',
    path: '/api/auth/sign-up',
    body: validSignUp(uniqueEmail('walk')),
  }),
  'auth.confirm': async () => ({ method: 'POST', path: '/api/auth/confirm', body: await pendingSignUp() }),
  'auth.resendCode': async () => ({
    method: 'POST',
    path: '/api/auth/resend-code',
    body: { email: (await pendingSignUp()).email },
  }),
  'auth.signIn': async () => ({
    method: 'POST',
    path: '/api/auth/sign-in',
    body: { email: DEMO.adherente.email, password: 'coopol-demo-2026' },
  }),
  'auth.refresh': async () => ({
    method: 'POST',
    path: '/api/auth/refresh',
    cookie: (await signIn(DEMO.adherente.email)).cookie,
  }),
  'auth.signOut': async () => ({
    method: 'POST',
    path: '/api/auth/sign-out',
    cookie: (await signIn(DEMO.adherente.email)).cookie,
  }),
  'me.get': async () => ({ method: 'GET', path: '/api/me', token: await asAdherente() }),
  'me.update': async () => ({
    method: 'PUT',
    path: '/api/me',
    token: await asAdherente(),
    body: {
      firstName: 'Camille',
      lastName: 'Martin',
      bio: 'Adhérente depuis 2015.',
      visibility: 'adherents',
    },
  }),
  'me.getContact': async () => ({ method: 'GET', path: '/api/me/contact', token: await asAdherente() }),
  'me.updateContact': async () => ({
    method: 'PUT',
    path: '/api/me/contact',
    token: await asAdherente(),
    body: { phone: '06 12 34 56 78', postalAddress: '1 rue de la République, 75011 Paris' },
  }),
  'me.changeSection': async () => ({
    method: 'PUT',
    path: '/api/me/section',
    token: (await newMember()).token,
    body: { sectionId: '01KC0SEC000000000000000003' },
  }),
  'me.addMandate': async () => ({
    method: 'POST',
    path: '/api/me/mandates',
    token: (await newMember()).token,
    body: { office: 'Conseiller départemental', territory: 'Paris', startDate: '2021-07-01' },
  }),
  'me.deleteMandate': async () => {
    const { token, mandateId } = await memberWithMandate();
    return { method: 'DELETE', path: `/api/me/mandates/${mandateId}`, token };
  },
  'me.contactReads': async () => ({
    method: 'GET',
    path: '/api/me/contact-reads',
    token: await asAdherente(),
  }),
  'me.acceptCommitment': async () => ({
    method: 'POST',
    path: '/api/me/confidentiality-commitment',
    token: (await signIn(DEMO.secretaire.email)).token,
    body: { accepted: true },
  }),
  'members.get': async () => ({
    method: 'GET',
    path: `/api/members/${DEMO.secretaire.id}`,
    token: await asAdherente(),
  }),
  'members.getContact': async () => ({
    method: 'GET',
    path: `/api/members/${DEMO.adherente.id}/contact`,
    token: await asCommittedSecretary(),
  }),
  'members.verifyMandate': async () => {
    const { id, mandateId } = await memberWithMandate();
    return {
      method: 'POST',
      path: `/api/members/${id}/mandates/${mandateId}/verify`,
      token: await asCommittedSecretary(),
    };
  },
  'directory.search': async () => ({
    method: 'GET',
    path: '/api/directory?q=dur',
    token: await asAdherente(),
  }),
  'sections.roster': async () => ({
    method: 'GET',
    path: `/api/sections/${PARIS}/members`,
    token: await asCommittedSecretary(),
  }),
  'sections.sendMessage': async () => {
    const { section, secretary } = await sectionWithSecretary();
    return {
      method: 'POST',
      path: `/api/sections/${section.id}/messages`,
      token: tokenOf(secretary),
      body: { text: 'Réunion de section jeudi à 19 h, au local.' },
    };
  },
  'sections.listMessages': async () => {
    const { section, secretary } = await sectionWithSecretary();
    return { method: 'GET', path: `/api/sections/${section.id}/messages`, token: tokenOf(secretary) };
  },
  'sections.confirmMembership': async () => {
    const { id } = await newMember();
    return {
      method: 'POST',
      path: `/api/sections/${PARIS}/members/${id}/confirm`,
      token: await asCommittedSecretary(),
    };
  },
  'sections.declineMembership': async () => {
    const { id } = await newMember();
    return {
      method: 'POST',
      path: `/api/sections/${PARIS}/members/${id}/decline`,
      token: await asCommittedSecretary(),
    };
  },
  'admin.setRoles': async () => {
    const { id } = await newMember();
    return {
      method: 'PUT',
      path: `/api/admin/members/${id}/roles`,
      token: (await signIn(DEMO.admin.email)).token,
      body: { secretaryOf: [], coopilote: true, admin: false },
    };
  },
  'coopains.list': async () => ({ method: 'GET', path: '/api/me/coopains', token: await asAdherente() }),
  'coopains.invitations': async () => {
    const { b } = await pendingInvitation();
    return { method: 'GET', path: '/api/me/invitations', token: b.token };
  },
  'coopains.invite': async () => {
    const { a, b } = await twoVisibleMembers();
    return { method: 'POST', path: `/api/members/${b.id}/invitation`, token: a.token };
  },
  'coopains.cancel': async () => {
    const { a, b } = await pendingInvitation();
    return { method: 'DELETE', path: `/api/members/${b.id}/invitation`, token: a.token };
  },
  'coopains.accept': async () => {
    const { a, b } = await pendingInvitation();
    return { method: 'POST', path: `/api/me/invitations/${a.id}/accept`, token: b.token };
  },
  'coopains.refuse': async () => {
    const { a, b } = await pendingInvitation();
    return { method: 'POST', path: `/api/me/invitations/${a.id}/refuse`, token: b.token };
  },
  'coopains.remove': async () => {
    const { a, b } = await pendingInvitation();
    await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token });
    return { method: 'DELETE', path: `/api/me/coopains/${b.id}`, token: a.token };
  },
  'blocks.list': async () => {
    const { a, b } = await twoVisibleMembers();
    await api(`/api/me/blocks/${b.id}`, { method: 'PUT', token: a.token });
    return { method: 'GET', path: '/api/me/blocks', token: a.token };
  },
  'blocks.block': async () => {
    const { a, b } = await twoVisibleMembers();
    return { method: 'PUT', path: `/api/me/blocks/${b.id}`, token: a.token };
  },
  'blocks.unblock': async () => {
    const { a, b } = await twoVisibleMembers();
    await api(`/api/me/blocks/${b.id}`, { method: 'PUT', token: a.token });
    return { method: 'DELETE', path: `/api/me/blocks/${b.id}`, token: a.token };
  },
  'messages.send': async () => {
    const { a, b } = await twoVisibleMembers();
    return {
      method: 'POST',
      path: `/api/members/${b.id}/messages`,
      token: a.token,
      body: { text: 'Bonjour, on se voit à la réunion de section ?' },
    };
  },
  'messages.inbox': async () => {
    const { b } = await conversation();
    return { method: 'GET', path: '/api/conversations', token: b.token };
  },
  'messages.list': async () => {
    const { b, conversationId } = await conversation();
    return { method: 'GET', path: `/api/conversations/${conversationId}/messages`, token: b.token };
  },
  'messages.markRead': async () => {
    const { b, conversationId } = await conversation();
    return { method: 'POST', path: `/api/conversations/${conversationId}/read`, token: b.token };
  },
};
