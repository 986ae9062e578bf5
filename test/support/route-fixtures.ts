import { ensureUnsubscribeToken } from '../../shared/data/notifications.ts';
import type { RouteId } from '../../shared/routes.ts';
import { api, DEMO, newMember, PARIS, signIn, uniqueEmail, validSignUp, waitForMail } from './api.ts';
import { authFixtures } from './auth-fixtures.ts';
import { eventFixtures } from './event-fixtures.ts';
import { mediaFixtures } from './media-fixtures.ts';
import { missionFixtures } from './mission-fixtures.ts';
import { moderationFixtures } from './moderation-fixtures.ts';
import { newcomersFixtures } from './newcomers-fixtures.ts';
import {
  freshSection,
  letters,
  type Persona,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
  useLocalStack,
} from './personas.ts';
import { secretariatFixtures } from './secretariat-fixtures.ts';

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

/**
 * A fresh section with three signed-in members: an author visible to all (who may publish to
 * every audience a member may: `all`, the section's pages, the adherents, coopains), a confirmed
 * adherent of the section at `adherents` (a reader of both pages) and the section's secretary.
 */
async function sectionPeople(): Promise<{
  section: { id: string; name: string };
  author: Persona;
  reader: Persona;
  secretary: Persona;
}> {
  const section = await freshSection();
  const member = {
    membership: 'adherent',
    confirmed: true,
    section: null,
    ownSection: section.id,
    signsIn: true,
  } as const;
  const seeded = await seedPersonas([
    { key: 'author', firstName: 'Aurore', lastName: `Zz${letters(8)}`, visibility: 'all', ...member },
    { key: 'reader', firstName: 'Rémi', lastName: `Zz${letters(8)}`, visibility: 'adherents', ...member },
    {
      key: 'secretary',
      firstName: 'Solène',
      lastName: `Zz${letters(8)}`,
      visibility: 'adherents',
      roles: { secretaryOf: [section.id] },
      ...member,
    },
  ]);
  return {
    section,
    author: persona(seeded, 'author'),
    reader: persona(seeded, 'reader'),
    secretary: persona(seeded, 'secretary'),
  };
}

/** Publishes a post (a setup call: it must succeed); its id. */
async function publish(author: Persona, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id: string }>('/api/posts', { token: tokenOf(author), body });
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Comments a post (a setup call: it must succeed); the comment's id. */
async function comment(who: Persona, postId: string, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id: string }>(`/api/posts/${postId}/comments`, { token: tokenOf(who), body });
  if (res.status !== 201) throw new Error(`comment failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Creates a group (a setup call: it must succeed); its id. */
async function newGroup(admin: Persona, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id: string }>('/api/groups', { token: tokenOf(admin), body });
  if (res.status !== 201) throw new Error(`group failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Joins a group, or asks to (a setup call: it must succeed); the membership's status. */
async function joinGroup(who: Persona, groupId: string): Promise<string> {
  const res = await api<{ status: string }>(`/api/groups/${groupId}/membership`, {
    method: 'POST',
    token: tokenOf(who),
  });
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.status;
}

/**
 * A group of a fresh section's people (open to every member; joined `open`ly or on `request`):
 * its admin (its creator, visible to all), an active member (at `adherents`) and a member who is
 * not in it yet (at `adherents`, who may ask to join). Its name is unique: a search finds it.
 */
async function groupPeople(joinPolicy: 'open' | 'request' = 'request'): Promise<{
  groupId: string;
  name: string;
  admin: Persona;
  member: Persona;
  asker: Persona;
}> {
  const { author: admin, reader: member, secretary: asker } = await sectionPeople();
  const name = `Atelier ${letters(10)}`;
  const groupId = await newGroup(admin, {
    name,
    description: 'Transition écologique et justice sociale.',
    joinPolicy,
    visibility: 'all',
  });
  if ((await joinGroup(member, groupId)) === 'pending') {
    const res = await api(`/api/groups/${groupId}/members/${member.id}/approve`, {
      method: 'POST',
      token: tokenOf(admin),
    });
    if (res.status !== 204) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { groupId, name, admin, member, asker };
}

const sectionPublic = (section: { id: string }) => ({ kind: 'section-public', sectionId: section.id });
const sectionPrivate = (section: { id: string }) => ({ kind: 'section-private', sectionId: section.id });

export const routeFixtures: Record<RouteId, Fixture> = {
  ...authFixtures,
  ...moderationFixtures,
  ...secretariatFixtures,
  ...newcomersFixtures,
  ...missionFixtures,
  ...eventFixtures,
  ...mediaFixtures,
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
  // Posts, comments, feeds (SPEC §4). The worst case of each route where it costs the most:
  // a post with a mention (the mentioned member is read), a reply (the comment answered is read).
  'posts.create': async () => {
    const { section, author, reader } = await sectionPeople();
    return {
      method: 'POST',
      path: '/api/posts',
      token: tokenOf(author),
      body: {
        audience: sectionPublic(section),
        title: 'Réunion publique jeudi',
        body: 'Rendez-vous **jeudi à 19 h** au local, avec [le programme](https://example.org/programme).',
        mentions: [reader.id],
      },
    };
  },
  'posts.get': async () => {
    const { author, reader } = await sectionPeople();
    const postId = await publish(author, { audience: { kind: 'all' }, body: 'Votre avis ?' });
    await comment(reader, postId, { body: 'D’accord !' });
    return { method: 'GET', path: `/api/posts/${postId}`, token: tokenOf(reader) };
  },
  'posts.update': async () => {
    const { author } = await sectionPeople();
    const postId = await publish(author, {
      audience: { kind: 'all' },
      title: 'Tractage samedi',
      body: 'Marché de la place.',
    });
    return {
      method: 'PUT',
      path: `/api/posts/${postId}`,
      token: tokenOf(author),
      body: { title: 'Tractage samedi matin', body: 'Marché de la place, à 9 h.' },
    };
  },
  'posts.delete': async () => {
    const { section, author, secretary } = await sectionPeople();
    const postId = await publish(author, { audience: sectionPublic(section), body: 'Hors sujet.' });
    return { method: 'DELETE', path: `/api/posts/${postId}`, token: tokenOf(secretary) };
  },
  'posts.pin': async () => {
    const { section, author, secretary } = await sectionPeople();
    const postId = await publish(author, {
      audience: sectionPublic(section),
      title: 'Permanence',
      body: 'Tous les samedis de 10 h à 12 h.',
    });
    return {
      method: 'PUT',
      path: `/api/posts/${postId}/pin`,
      token: tokenOf(secretary),
      body: { pinned: true },
    };
  },
  'comments.list': async () => {
    const { section, author, reader } = await sectionPeople();
    const postId = await publish(author, { audience: sectionPrivate(section), body: 'Qui vient ?' });
    const first = await comment(reader, postId, { body: 'Moi !' });
    await comment(author, postId, { body: 'Merci', replyTo: first });
    return { method: 'GET', path: `/api/posts/${postId}/comments`, token: tokenOf(reader) };
  },
  'comments.create': async () => {
    const { author, reader } = await sectionPeople();
    const postId = await publish(author, { audience: { kind: 'all' }, body: 'Votre avis ?' });
    const first = await comment(author, postId, { body: 'Je commence : pour.' });
    return {
      method: 'POST',
      path: `/api/posts/${postId}/comments`,
      token: tokenOf(reader),
      body: { body: 'Pour aussi.', replyTo: first },
    };
  },
  'comments.update': async () => {
    const { author, reader } = await sectionPeople();
    const postId = await publish(author, { audience: { kind: 'adherents' }, body: 'Votre avis ?' });
    const first = await comment(author, postId, { body: 'Je commence : pour.' });
    const reply = await comment(reader, postId, { body: 'Cotnre.', replyTo: first });
    return {
      method: 'PUT',
      path: `/api/posts/${postId}/comments/${reply}?replyTo=${first}`,
      token: tokenOf(reader),
      body: { body: 'Contre.' },
    };
  },
  'comments.delete': async () => {
    const { section, author, reader, secretary } = await sectionPeople();
    const postId = await publish(author, { audience: sectionPublic(section), body: 'Votre avis ?' });
    const commentId = await comment(reader, postId, { body: 'Hors sujet.' });
    return {
      method: 'DELETE',
      path: `/api/posts/${postId}/comments/${commentId}`,
      token: tokenOf(secretary),
    };
  },
  // The author's own post is in their fil at once (the readers' copies come with the fan-out).
  'feed.home': async () => {
    const { section, author } = await sectionPeople();
    await publish(author, { audience: sectionPrivate(section), body: 'Réunion de section jeudi.' });
    await publish(author, { audience: { kind: 'coopains' }, body: 'Un café après ?' });
    return { method: 'GET', path: '/api/feed', token: tokenOf(author) };
  },
  'feed.party': async () => {
    const { author, reader } = await sectionPeople();
    await publish(author, { audience: { kind: 'all' }, body: 'À toute la coopol' });
    await publish(author, { audience: { kind: 'adherents' }, body: 'Aux adhérent·es' });
    return { method: 'GET', path: '/api/feed/party', token: tokenOf(reader) };
  },
  'sections.posts': async () => {
    const { section, author, reader } = await sectionPeople();
    await publish(author, { audience: sectionPrivate(section), body: 'Entre nous' });
    return {
      method: 'GET',
      path: `/api/sections/${section.id}/posts?page=private`,
      token: tokenOf(reader),
    };
  },
  'members.posts': async () => {
    const { section, author, reader } = await sectionPeople();
    await publish(author, { audience: { kind: 'all' }, body: 'À toute la coopol' });
    await publish(author, { audience: sectionPrivate(section), body: 'Entre nous' });
    return { method: 'GET', path: `/api/members/${author.id}/posts`, token: tokenOf(reader) };
  },
  // Notifications (SPEC §5): b was invited by a, so b's centre has an item.
  'notifications.list': async () => {
    const { b } = await pendingInvitation();
    return { method: 'GET', path: '/api/notifications', token: b.token };
  },
  'notifications.markRead': async () => {
    const { b } = await pendingInvitation();
    const list = await api<{ items: { id: string }[] }>('/api/notifications', { token: b.token });
    return { method: 'POST', path: `/api/notifications/${list.body.items[0]?.id}/read`, token: b.token };
  },
  'notifications.markAllRead': async () => {
    const { b } = await pendingInvitation();
    return { method: 'POST', path: '/api/notifications/read', token: b.token };
  },
  'notifications.getPreferences': async () => ({
    method: 'GET',
    path: '/api/me/notification-preferences',
    token: (await newMember()).token,
  }),
  'notifications.setPreferences': async () => ({
    method: 'PUT',
    path: '/api/me/notification-preferences',
    token: (await newMember()).token,
    body: { email: { 'message.new': 'daily', 'comment.new': 'none' } },
  }),
  'notifications.unsubscribe': async () => {
    const { id } = await newMember();
    useLocalStack();
    const token = await ensureUnsubscribeToken(id, `walk${letters(24)}`);
    return { method: 'POST', path: `/api/unsubscribe?token=${token}` };
  },
  // Groups (SPEC §4): each at its most expensive — a request notifies the creator in the same
  // transaction, a list reads the viewer's memberships or the members' profiles in one BatchGet.
  'groups.create': async () => {
    const { reader } = await sectionPeople();
    return {
      method: 'POST',
      path: '/api/groups',
      token: tokenOf(reader),
      body: {
        name: `Santé ${letters(8)}`,
        description: 'Hôpital public et déserts médicaux.',
        joinPolicy: 'request',
        visibility: 'adherents',
      },
    };
  },
  'groups.list': async () => {
    const { name, asker } = await groupPeople();
    return { method: 'GET', path: `/api/groups?q=${encodeURIComponent(name)}`, token: tokenOf(asker) };
  },
  'groups.get': async () => {
    const { groupId, member } = await groupPeople();
    return { method: 'GET', path: `/api/groups/${groupId}`, token: tokenOf(member) };
  },
  'groups.update': async () => {
    const { groupId, name, admin } = await groupPeople();
    return {
      method: 'PUT',
      path: `/api/groups/${groupId}`,
      token: tokenOf(admin),
      body: { name, description: 'Ouvert à toutes et tous.', joinPolicy: 'open', visibility: 'all' },
    };
  },
  'groups.join': async () => {
    const { groupId, asker } = await groupPeople('request');
    return { method: 'POST', path: `/api/groups/${groupId}/membership`, token: tokenOf(asker) };
  },
  'groups.leave': async () => {
    const { groupId, member } = await groupPeople();
    return { method: 'DELETE', path: `/api/groups/${groupId}/membership`, token: tokenOf(member) };
  },
  'groups.members': async () => {
    const { groupId, member } = await groupPeople();
    return { method: 'GET', path: `/api/groups/${groupId}/members`, token: tokenOf(member) };
  },
  'groups.approve': async () => {
    const { groupId, admin, asker } = await groupPeople('request');
    await joinGroup(asker, groupId);
    return {
      method: 'POST',
      path: `/api/groups/${groupId}/members/${asker.id}/approve`,
      token: tokenOf(admin),
    };
  },
  'groups.removeMember': async () => {
    const { groupId, admin, member } = await groupPeople();
    return { method: 'DELETE', path: `/api/groups/${groupId}/members/${member.id}`, token: tokenOf(admin) };
  },
  'groups.setRole': async () => {
    const { groupId, admin, member } = await groupPeople();
    return {
      method: 'PUT',
      path: `/api/groups/${groupId}/members/${member.id}/role`,
      token: tokenOf(admin),
      body: { admin: true },
    };
  },
  'groups.posts': async () => {
    const { groupId, admin, member } = await groupPeople();
    await publish(admin, { audience: { kind: 'group', groupId }, title: 'Atelier', body: 'Samedi 10 h.' });
    await publish(member, { audience: { kind: 'group', groupId }, body: 'J’y serai.' });
    return { method: 'GET', path: `/api/groups/${groupId}/posts`, token: tokenOf(member) };
  },
};
