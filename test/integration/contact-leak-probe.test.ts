import { ulid } from 'ulid';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { invitationWrites } from '../../shared/data/coopains.ts';
import { coopainWrites } from '../../shared/data/members.ts';
import { type RouteId, routes } from '../../shared/routes.ts';
import { api, validSignUp } from '../support/api.ts';
import { answerAs, createEventAs, eventBody, feedPathOf } from '../support/events.ts';
import { type MissionDetail, newMission, signUpTo, slot } from '../support/missions.ts';
import {
  acceptCommitment,
  letters,
  PERSONA_PASSWORD,
  type Persona,
  type PersonaSpec,
  persona,
  SECTIONS,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';
import { type FixtureRequest, routeFixtures } from '../support/route-fixtures.ts';

/**
 * Contact-leak probe (issue 3, item 9): a member with distinctive contact details; every route of
 * the route table is called by every viewer who must never see them (anyone but the member and
 * the secretary of their own section), and no response — raw text, parsed values, headers — may
 * carry any of them. The probe is shown to work: the member and their secretary do get the values.
 */

const PHONE = '+33 6 00 00 00 42';
const ADDRESS = '42 rue de la Fuite, 75011 Paris';
const EMAIL = `sonde.${letters(10)}@fuite.example`;
const VALUES = [PHONE, EMAIL, ADDRESS];

/** Every place a probe value shows in a response, in any spacing or case. */
function leaksIn(raw: string, headers: Headers = new Headers()): string[] {
  const found: string[] = [];
  const texts = [raw, ...[...headers.entries()].map(([k, v]) => `${k}: ${v}`)];
  try {
    // Parsed string values too: an escaped form (\u0040…) would slip past the raw text.
    const strings: string[] = [];
    JSON.parse(raw || 'null', (_k, v) => {
      if (typeof v === 'string') strings.push(v);
      return v;
    });
    texts.push(...strings);
  } catch {
    // not JSON: the raw text is checked
  }
  for (const text of texts) {
    const lower = text.toLowerCase();
    const squeezed = lower.replace(/\s+/g, '');
    const digits = text.replace(/\D+/g, '');
    if (lower.includes(EMAIL) || lower.includes(EMAIL.split('@')[0] as string))
      found.push(`email in «${text}»`);
    if (squeezed.includes('+33600000042') || digits.includes('33600000042') || digits.includes('0600000042'))
      found.push(`phone in «${text}»`);
    if (lower.includes('rue de la fuite') || squeezed.includes('ruedelafuite'))
      found.push(`address in «${text}»`);
  }
  return found;
}

interface ProbeRequest extends FixtureRequest {
  /** Follow the `cursor` of the answer to the last page. */
  pages?: boolean;
}
/** The probe member's content (SPEC §4): their name shows with it, never their contact details. */
interface ProbeContent {
  /** Posts to `all` (with a title, mentioning their coopain), `adherents`, `coopains`, Paris pages. */
  all: string;
  adherents: string;
  coopains: string;
  sectionPublic: string;
  sectionPrivate: string;
  /** The probe's own comment on their post to `all`. */
  comment: string;
  /** A post to the probe's group. */
  group: string;
}
interface ProbeContext {
  viewer: Persona;
  probe: Persona;
  mandateId: string;
  content: ProbeContent;
  /** The probe's group (the probe its admin), open to every member: every viewer is a member. */
  group: { id: string; name: string };
}
type ProbeFixture = (ctx: ProbeContext) => Promise<ProbeRequest[]>;

const as = (viewer: Persona, req: Omit<ProbeRequest, 'token'>): ProbeRequest => ({
  ...req,
  token: tokenOf(viewer),
});

/** A setup call (its answer is not probed: made by the probe member, or to reset a relation). */
async function setup(who: Persona, method: string, path: string): Promise<string | undefined> {
  const res = await api<{ error?: { code: string } }>(path, { method, token: tokenOf(who) });
  if (res.status >= 500)
    throw new Error(`setup ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.status < 300 ? 'ok' : res.body.error?.code;
}

/** Viewer and probe end up with no coopain link and no invitation either way. */
async function unlinked(viewer: Persona, probe: Persona): Promise<void> {
  await setup(viewer, 'DELETE', `/api/me/coopains/${probe.id}`);
  await setup(viewer, 'DELETE', `/api/members/${probe.id}/invitation`);
  await setup(viewer, 'POST', `/api/me/invitations/${probe.id}/refuse`);
}

/**
 * Viewer and probe end up coopains (`linked`) or with an invitation from the probe pending
 * (`probeInvites`): written through the data layer (the writes the app makes), since the test
 * stack allows 5 invitations a day per member and the probe meets six viewers.
 */
async function linked(viewer: Persona, probe: Persona): Promise<void> {
  await unlinked(viewer, probe);
  await transact(coopainWrites(viewer.id, probe.id, new Date().toISOString()));
}

async function probeInvites(viewer: Persona, probe: Persona): Promise<void> {
  await unlinked(viewer, probe);
  await transact(invitationWrites(probe.id, viewer.id, new Date().toISOString()));
}

/** The viewer writes to the probe (a setup call); the id of their conversation. */
async function conversationWithProbe(viewer: Persona, probe: Persona): Promise<string> {
  const res = await api<{ conversationId?: string }>(`/api/members/${probe.id}/messages`, {
    token: tokenOf(viewer),
    body: { text: 'Bonjour, une question sur la réunion de section.' },
  });
  if (res.status >= 300 || !res.body.conversationId)
    throw new Error(`${viewer.key} could not write to the probe: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.conversationId;
}

/** A post (a setup call: it must succeed); its id. */
async function publishAs(who: Persona, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id?: string }>('/api/posts', { token: tokenOf(who), body });
  if (res.status !== 201 || !res.body.id)
    throw new Error(`${who.key} could not publish: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A comment (a setup call: it must succeed); its id. */
async function commentAs(who: Persona, postId: string, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id?: string }>(`/api/posts/${postId}/comments`, { token: tokenOf(who), body });
  if (res.status !== 201 || !res.body.id)
    throw new Error(`${who.key} could not comment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

const probePosts = (c: ProbeContent) => [
  c.all,
  c.adherents,
  c.coopains,
  c.sectionPublic,
  c.sectionPrivate,
  c.group,
];

/** A group (a setup call: it must succeed); its id. Open to every member, so the sympathisant too. */
async function groupAs(who: Persona, name: string, joinPolicy: 'open' | 'request'): Promise<string> {
  const res = await api<{ id?: string }>('/api/groups', {
    token: tokenOf(who),
    body: { name, description: `Animé par ${who.firstName} ${who.lastName}.`, joinPolicy, visibility: 'all' },
  });
  if (res.status !== 201 || !res.body.id)
    throw new Error(`${who.key} could not create a group: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Joins a group or asks to (a setup call: it must succeed). */
async function joinAs(who: Persona, groupId: string): Promise<void> {
  const res = await api(`/api/groups/${groupId}/membership`, { method: 'POST', token: tokenOf(who) });
  if (res.status !== 200)
    throw new Error(`${who.key} could not join ${groupId}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A group of the viewer's own (the viewer its admin) that the probe joined (`open`) or asked to
 * join (`request`): the probe's card is in its lists, the viewer acts on the probe.
 */
async function viewerGroupWithProbe(
  viewer: Persona,
  probe: Persona,
  joinPolicy: 'open' | 'request',
): Promise<string> {
  const id = await groupAs(viewer, `Groupe de ${viewer.lastName} ${letters(6)}`, joinPolicy);
  await joinAs(probe, id);
  return id;
}

/** The widest audience the viewer may publish to while mentioning the probe (who reads both). */
const widest = (viewer: Persona) => ({ kind: viewer.visibility === 'all' ? 'all' : 'adherents' });

async function freshSession(viewer: Persona): Promise<string> {
  const res = await api('/api/auth/sign-in', { body: { email: viewer.email, password: PERSONA_PASSWORD } });
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

// ————— Missions (issue 6) —————
let probeMissionMade: Promise<MissionDetail> | undefined;
/** The probe's mission in the probe's group (made once), the probe a volunteer of its first slot. */
function probeMission(probe: Persona, group: { id: string }): Promise<MissionDetail> {
  probeMissionMade ??= (async () => {
    const m = await newMission(probe, {
      title: 'Collage avec la sonde',
      audience: { kind: 'group', groupId: group.id },
      slots: [slot(5, '18:00', '20:00', 2), slot(5, '20:00', '22:00', 10)],
    });
    await signUpTo(probe, m.id, m.slots[0]?.id ?? '');
    return m;
  })();
  return probeMissionMade;
}

/** A mission the viewer runs, in a group of theirs the probe joined, the probe its volunteer. */
async function viewerMissionWithProbe(viewer: Persona, probe: Persona): Promise<MissionDetail> {
  const groupId = await viewerGroupWithProbe(viewer, probe, 'open');
  const m = await newMission(viewer, { audience: { kind: 'group', groupId } });
  await signUpTo(probe, m.id, m.slots[0]?.id ?? '');
  return m;
}

// ————— Events and agenda (issue 6) —————
let probeEventMade: Promise<string> | undefined;
/** The probe's event in the probe's group (made once, every viewer may read it), the probe going. */
function probeEvent(probe: Persona, group: { id: string }): Promise<string> {
  probeEventMade ??= (async () => {
    const id = await createEventAs(
      tokenOf(probe),
      eventBody({ kind: 'group', groupId: group.id }, { title: 'Réunion avec la sonde', capacity: 50 }),
    );
    await answerAs(tokenOf(probe), id, 'yes');
    return id;
  })();
  return probeEventMade;
}

/** An event the viewer organises, in a group of theirs the probe joined, the probe going. */
async function viewerEventWithProbe(viewer: Persona, probe: Persona): Promise<string> {
  const groupId = await viewerGroupWithProbe(viewer, probe, 'open');
  const id = await createEventAs(tokenOf(viewer), eventBody({ kind: 'group', groupId }));
  await answerAs(tokenOf(probe), id, 'yes');
  return id;
}

/**
 * The probe's fixture registry: for every route id, requests that aim at the probe member where
 * the route takes a member (or an address), made by the viewer under test.
 */
const probeFixtures: Record<RouteId, ProbeFixture> = {
  'system.health': async ({ viewer }) => [
    { ...(await routeFixtures['system.health']()), token: tokenOf(viewer) },
  ],
  'sections.list': async ({ viewer }) => [
    { ...(await routeFixtures['sections.list']()), token: tokenOf(viewer) },
  ],
  'auth.signUp': async () => [{ method: 'POST', path: '/api/auth/sign-up', body: validSignUp(EMAIL) }],
  'auth.confirm': async () => [
    { method: 'POST', path: '/api/auth/confirm', body: { email: EMAIL, code: '000000' } },
  ],
  'auth.resendCode': async () => [{ method: 'POST', path: '/api/auth/resend-code', body: { email: EMAIL } }],
  'auth.forgotPassword': async ({ viewer }) => [
    { method: 'POST', path: '/api/auth/forgot-password', body: { email: EMAIL } },
    { method: 'POST', path: '/api/auth/forgot-password', body: { email: viewer.email } },
  ],
  'auth.resetPassword': async () => [
    {
      method: 'POST',
      path: '/api/auth/reset-password',
      body: { email: EMAIL, code: '000000', password: 'pas-le-bon-2026' },
    },
  ],
  'auth.signIn': async ({ viewer }) => [
    { method: 'POST', path: '/api/auth/sign-in', body: { email: viewer.email, password: PERSONA_PASSWORD } },
    { method: 'POST', path: '/api/auth/sign-in', body: { email: EMAIL, password: 'pas-le-bon-2026' } },
  ],
  'auth.refresh': async ({ viewer }) => [
    { method: 'POST', path: '/api/auth/refresh', ...(viewer.cookie ? { cookie: viewer.cookie } : {}) },
  ],
  'auth.signOut': async ({ viewer }) => [
    { method: 'POST', path: '/api/auth/sign-out', cookie: await freshSession(viewer) },
  ],
  'me.get': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/me' })],
  'me.update': async ({ viewer }) => [
    as(viewer, {
      method: 'PUT',
      path: '/api/me',
      body: {
        firstName: viewer.firstName,
        lastName: viewer.lastName,
        bio: 'Sonde.',
        visibility: viewer.visibility,
      },
    }),
  ],
  'me.getContact': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/me/contact' })],
  'me.updateContact': async ({ viewer }) => [
    as(viewer, {
      method: 'PUT',
      path: '/api/me/contact',
      body: { phone: viewer.phone, postalAddress: viewer.postalAddress },
    }),
  ],
  'me.changeSection': async ({ viewer }) => [
    as(viewer, { method: 'PUT', path: '/api/me/section', body: { sectionId: viewer.sectionId } }),
  ],
  'me.addMandate': async ({ viewer }) => [
    as(viewer, {
      method: 'POST',
      path: '/api/me/mandates',
      body: { office: 'Conseillère municipale', territory: 'Paris 11e', startDate: '2020-07-01' },
    }),
  ],
  'media.createUpload': async ({ viewer }) => [
    as(viewer, {
      method: 'POST',
      path: '/api/media/uploads',
      body: { purpose: 'avatar', contentType: 'image/webp', size: 3000 },
    }),
  ],
  'media.process': async ({ viewer }) => [
    as(viewer, { method: 'POST', path: '/api/media/01KC0MED000000000000009999/process' }),
  ],
  'me.setAvatar': async ({ viewer }) => [
    as(viewer, { method: 'PUT', path: '/api/me/avatar', body: { mediaId: '01KC0MED000000000000009999' } }),
  ],
  'me.removeAvatar': async ({ viewer }) => [as(viewer, { method: 'DELETE', path: '/api/me/avatar' })],
  'me.deleteMandate': async ({ viewer }) => {
    const added = await api<{ mandate: { id: string } }>('/api/me/mandates', {
      token: tokenOf(viewer),
      body: { office: 'Conseiller de quartier', territory: 'Paris 11e', startDate: '2021-01-01' },
    });
    return [as(viewer, { method: 'DELETE', path: `/api/me/mandates/${added.body.mandate.id}` })];
  },
  'me.contactReads': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/me/contact-reads', pages: true }),
  ],
  'me.acceptCommitment': async ({ viewer }) => [
    as(viewer, { method: 'POST', path: '/api/me/confidentiality-commitment', body: { accepted: true } }),
  ],
  'members.get': async ({ viewer, probe }) => [
    as(viewer, { method: 'GET', path: `/api/members/${probe.id}` }),
  ],
  'members.getContact': async ({ viewer, probe }) => [
    as(viewer, { method: 'GET', path: `/api/members/${probe.id}/contact` }),
  ],
  'members.verifyMandate': async ({ viewer, probe, mandateId }) => [
    as(viewer, { method: 'POST', path: `/api/members/${probe.id}/mandates/${mandateId}/verify` }),
  ],
  'directory.search': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'GET',
      path: `/api/directory?q=${encodeURIComponent(probe.lastName)}`,
      pages: true,
    }),
    as(viewer, {
      method: 'GET',
      path: `/api/directory?q=${encodeURIComponent(probe.firstName)}`,
      pages: true,
    }),
    as(viewer, {
      method: 'GET',
      path: `/api/directory?section=${SECTIONS.paris}&q=${encodeURIComponent(probe.lastName)}`,
      pages: true,
    }),
  ],
  'sections.roster': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/members`, pages: true }),
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/members?contacts=true`, pages: true }),
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/members?pending=true`, pages: true }),
    ...(viewer.sectionId && viewer.sectionId !== SECTIONS.paris
      ? [
          as(viewer, {
            method: 'GET',
            path: `/api/sections/${viewer.sectionId}/members?contacts=true`,
            pages: true,
          }),
        ]
      : []),
  ],
  // Never sent to the viewer's own section here: that would reach other tests' members.
  'sections.sendMessage': async ({ viewer }) => [
    as(viewer, {
      method: 'POST',
      path: `/api/sections/${SECTIONS.paris}/messages`,
      body: { text: 'Rappelez-moi au numéro de la section' },
    }),
  ],
  'sections.listMessages': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/messages`, pages: true }),
    ...(viewer.sectionId
      ? [as(viewer, { method: 'GET', path: `/api/sections/${viewer.sectionId}/messages`, pages: true })]
      : []),
  ],
  'sections.confirmMembership': async ({ viewer, probe }) => [
    as(viewer, { method: 'POST', path: `/api/sections/${SECTIONS.paris}/members/${probe.id}/confirm` }),
  ],
  'sections.declineMembership': async ({ viewer, probe }) => [
    as(viewer, { method: 'POST', path: `/api/sections/${SECTIONS.paris}/members/${probe.id}/decline` }),
  ],
  // Issue 11. The welcome template names no member; the export is the probe's section's roster
  // (never the viewer's to read: no viewer is the Paris secretary) and the viewer's own section's.
  'sections.getWelcomeTemplate': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/welcome-template` }),
    ...(viewer.sectionId
      ? [as(viewer, { method: 'GET', path: `/api/sections/${viewer.sectionId}/welcome-template` })]
      : []),
  ],
  // Only Paris: a template saved on the viewer's own section would reach other tests' newcomers.
  'sections.putWelcomeTemplate': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'PUT',
      path: `/api/sections/${SECTIONS.paris}/welcome-template`,
      body: { text: `Bienvenue {prénom}, écrivez à ${probe.firstName}.` },
    }),
  ],
  'sections.exportRoster': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/roster-export` }),
    ...(viewer.sectionId && viewer.sectionId !== SECTIONS.paris
      ? [as(viewer, { method: 'GET', path: `/api/sections/${viewer.sectionId}/roster-export` })]
      : []),
  ],
  'sections.dashboard': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/dashboard` }),
    ...(viewer.sectionId && viewer.sectionId !== SECTIONS.paris
      ? [as(viewer, { method: 'GET', path: `/api/sections/${viewer.sectionId}/dashboard` })]
      : []),
  ],
  // Issue 11: the newcomers list, party-wide (coopilotes), of Paris and of the viewer's section.
  'newcomers.list': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/newcomers' }),
    as(viewer, { method: 'GET', path: `/api/newcomers?section=${SECTIONS.paris}` }),
    ...(viewer.sectionId
      ? [as(viewer, { method: 'GET', path: `/api/newcomers?section=${viewer.sectionId}` })]
      : []),
  ],
  'admin.setRoles': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'PUT',
      path: `/api/admin/members/${probe.id}/roles`,
      body: { secretaryOf: [], coopilote: false, admin: false },
    }),
  ],
  // Coopains and blocks: each fixture sets the relation with the probe it needs, so that the
  // probe's card is in the answer (coopains, invitations sent and received, blocks).
  'coopains.list': async ({ viewer, probe }) => {
    await linked(viewer, probe);
    return [as(viewer, { method: 'GET', path: '/api/me/coopains', pages: true })];
  },
  'coopains.remove': async ({ viewer, probe }) => {
    await linked(viewer, probe);
    return [as(viewer, { method: 'DELETE', path: `/api/me/coopains/${probe.id}` })];
  },
  'coopains.invitations': async ({ viewer, probe }) => {
    await unlinked(viewer, probe);
    return [
      as(viewer, { method: 'POST', path: `/api/members/${probe.id}/invitation` }),
      as(viewer, { method: 'GET', path: '/api/me/invitations' }),
    ];
  },
  'coopains.accept': async ({ viewer, probe }) => {
    await probeInvites(viewer, probe);
    return [
      as(viewer, { method: 'GET', path: '/api/me/invitations' }),
      as(viewer, { method: 'POST', path: `/api/me/invitations/${probe.id}/accept` }),
    ];
  },
  'coopains.refuse': async ({ viewer, probe }) => {
    await probeInvites(viewer, probe);
    return [as(viewer, { method: 'POST', path: `/api/me/invitations/${probe.id}/refuse` })];
  },
  'coopains.invite': async ({ viewer, probe }) => {
    await unlinked(viewer, probe);
    return [as(viewer, { method: 'POST', path: `/api/members/${probe.id}/invitation` })];
  },
  'coopains.cancel': async ({ viewer, probe }) => {
    await unlinked(viewer, probe);
    return [
      as(viewer, { method: 'POST', path: `/api/members/${probe.id}/invitation` }),
      as(viewer, { method: 'DELETE', path: `/api/members/${probe.id}/invitation` }),
    ];
  },
  'blocks.list': async ({ viewer, probe }) => [
    as(viewer, { method: 'PUT', path: `/api/me/blocks/${probe.id}` }),
    as(viewer, { method: 'GET', path: '/api/me/blocks' }),
    as(viewer, { method: 'DELETE', path: `/api/me/blocks/${probe.id}` }),
  ],
  'blocks.block': async ({ viewer, probe }) => [
    as(viewer, { method: 'PUT', path: `/api/me/blocks/${probe.id}` }),
    as(viewer, { method: 'DELETE', path: `/api/me/blocks/${probe.id}` }),
  ],
  'messages.send': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'POST',
      path: `/api/members/${probe.id}/messages`,
      body: { text: 'Bonjour, pouvez-vous me rappeler ?' },
    }),
  ],
  'messages.inbox': async ({ viewer, probe }) => {
    await conversationWithProbe(viewer, probe);
    return [as(viewer, { method: 'GET', path: '/api/conversations', pages: true })];
  },
  'messages.list': async ({ viewer, probe }) => {
    const id = await conversationWithProbe(viewer, probe);
    return [as(viewer, { method: 'GET', path: `/api/conversations/${id}/messages`, pages: true })];
  },
  'messages.markRead': async ({ viewer, probe }) => {
    const id = await conversationWithProbe(viewer, probe);
    return [as(viewer, { method: 'POST', path: `/api/conversations/${id}/read` })];
  },
  'blocks.unblock': async ({ viewer, probe }) => [
    as(viewer, { method: 'PUT', path: `/api/me/blocks/${probe.id}` }),
    as(viewer, { method: 'DELETE', path: `/api/me/blocks/${probe.id}` }),
  ],
  // Posts, comments, feeds: the probe's posts and comments are read, answered, listed by every
  // viewer (or refused), the viewer's own content names the probe; no answer carries the details.
  'posts.create': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'POST',
      path: '/api/posts',
      body: {
        audience: widest(viewer),
        title: `Merci à ${probe.firstName}`,
        body: `Bravo à **${probe.firstName} ${probe.lastName}** pour la réunion.`,
        mentions: [probe.id],
      },
    }),
  ],
  'posts.get': async ({ viewer, content }) =>
    probePosts(content).map((id) => as(viewer, { method: 'GET', path: `/api/posts/${id}` })),
  'posts.update': async ({ viewer, content }) => {
    const own = await publishAs(viewer, { audience: { kind: 'coopains' }, body: 'Brouillon' });
    return [
      as(viewer, { method: 'PUT', path: `/api/posts/${own}`, body: { body: 'Version finale' } }),
      as(viewer, { method: 'PUT', path: `/api/posts/${content.all}`, body: { body: 'Réécrit' } }),
    ];
  },
  'posts.delete': async ({ viewer, probe }) => {
    // A post of the probe's own for this attempt: the shared ones stay for the other viewers.
    const theirs = await publishAs(probe, { audience: { kind: 'all' }, body: 'À supprimer ?' });
    const own = await publishAs(viewer, { audience: { kind: 'coopains' }, body: 'À supprimer' });
    return [
      as(viewer, { method: 'DELETE', path: `/api/posts/${theirs}` }),
      as(viewer, { method: 'DELETE', path: `/api/posts/${own}` }),
    ];
  },
  'posts.pin': async ({ viewer, content }) =>
    [content.sectionPublic, content.sectionPrivate].map((id) =>
      as(viewer, { method: 'PUT', path: `/api/posts/${id}/pin`, body: { pinned: true } }),
    ),
  'comments.list': async ({ viewer, content }) =>
    probePosts(content).map((id) =>
      as(viewer, { method: 'GET', path: `/api/posts/${id}/comments`, pages: true }),
    ),
  'comments.create': async ({ viewer, content }) => [
    as(viewer, { method: 'POST', path: `/api/posts/${content.all}/comments`, body: { body: 'Merci !' } }),
    as(viewer, {
      method: 'POST',
      path: `/api/posts/${content.all}/comments`,
      body: { body: 'Je viendrai.', replyTo: content.comment },
    }),
  ],
  'comments.update': async ({ viewer, content }) => {
    const mine = await commentAs(viewer, content.all, { body: 'Premier jet' });
    const base = `/api/posts/${content.all}/comments`;
    return [
      as(viewer, { method: 'PUT', path: `${base}/${mine}`, body: { body: 'Relu et corrigé' } }),
      as(viewer, { method: 'PUT', path: `${base}/${content.comment}`, body: { body: 'Réécrit' } }),
    ];
  },
  'comments.delete': async ({ viewer, content }) => {
    const mine = await commentAs(viewer, content.all, { body: 'Je retire.' });
    const base = `/api/posts/${content.all}/comments`;
    return [
      as(viewer, { method: 'DELETE', path: `${base}/${mine}` }),
      as(viewer, { method: 'DELETE', path: `${base}/${content.comment}` }),
    ];
  },
  'feed.home': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/feed', pages: true })],
  'feed.party': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/feed/party', pages: true })],
  'sections.posts': async ({ viewer }) =>
    [...new Set([SECTIONS.paris, viewer.sectionId])].flatMap((section) =>
      section
        ? ['public', 'private'].map((page) =>
            as(viewer, { method: 'GET', path: `/api/sections/${section}/posts?page=${page}`, pages: true }),
          )
        : [],
    ),
  'members.posts': async ({ viewer, probe }) => [
    as(viewer, { method: 'GET', path: `/api/members/${probe.id}/posts`, pages: true }),
  ],
  // Notifications: the probe's name may appear (their actions), never their contact details.
  'notifications.list': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/notifications', pages: true }),
  ],
  'notifications.markRead': async ({ viewer }) => {
    const list = await api<{ items: { id: string }[] }>('/api/notifications', { token: tokenOf(viewer) });
    const id = list.body.items[0]?.id ?? '01KC0DEM000000000000099998';
    return [as(viewer, { method: 'POST', path: `/api/notifications/${id}/read` })];
  },
  'notifications.markAllRead': async ({ viewer }) => [
    as(viewer, { method: 'POST', path: '/api/notifications/read' }),
  ],
  'notifications.getPreferences': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/me/notification-preferences' }),
  ],
  'notifications.setPreferences': async ({ viewer }) => [
    as(viewer, {
      method: 'PUT',
      path: '/api/me/notification-preferences',
      body: { email: { 'comment.new': 'weekly' } },
    }),
  ],
  'notifications.unsubscribe': async ({ viewer }) => [
    as(viewer, { method: 'POST', path: '/api/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
  ],
  // Groups: the probe runs a group every viewer is in; each viewer runs groups the probe joins or
  // asks to join. The probe's card is in every member list and request list, the viewer acts on
  // the probe as an admin: names only, never contact details.
  'groups.create': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'POST',
      path: '/api/groups',
      body: {
        name: `Amis de ${probe.firstName} ${letters(6)}`,
        description: `Avec ${probe.firstName} ${probe.lastName}.`,
        joinPolicy: 'request',
        visibility: 'all',
      },
    }),
  ],
  'groups.list': async ({ viewer, group }) => [
    as(viewer, { method: 'GET', path: `/api/groups?q=${encodeURIComponent(group.name)}`, pages: true }),
    as(viewer, { method: 'GET', path: '/api/groups?mine=true', pages: true }),
  ],
  'groups.get': async ({ viewer, group }) => [as(viewer, { method: 'GET', path: `/api/groups/${group.id}` })],
  'groups.update': async ({ viewer, probe, group }) => {
    const own = await viewerGroupWithProbe(viewer, probe, 'open');
    const body = (name: string) => ({
      name,
      description: 'Mis à jour.',
      joinPolicy: 'open',
      visibility: 'all',
    });
    return [
      as(viewer, { method: 'PUT', path: `/api/groups/${own}`, body: body(`Groupe renommé ${letters(6)}`) }),
      as(viewer, { method: 'PUT', path: `/api/groups/${group.id}`, body: body(group.name) }),
    ];
  },
  'groups.join': async ({ viewer, probe, group }) => {
    const onRequest = await groupAs(probe, `Sur demande ${letters(6)}`, 'request');
    return [
      as(viewer, { method: 'POST', path: `/api/groups/${onRequest}/membership` }),
      as(viewer, { method: 'POST', path: `/api/groups/${group.id}/membership` }),
    ];
  },
  'groups.leave': async ({ viewer, probe }) => {
    const theirs = await groupAs(probe, `Passage ${letters(6)}`, 'open');
    return [
      as(viewer, { method: 'POST', path: `/api/groups/${theirs}/membership` }),
      as(viewer, { method: 'DELETE', path: `/api/groups/${theirs}/membership` }),
    ];
  },
  'groups.members': async ({ viewer, probe, group }) => {
    const own = await viewerGroupWithProbe(viewer, probe, 'request');
    return [
      as(viewer, { method: 'GET', path: `/api/groups/${group.id}/members`, pages: true }),
      as(viewer, { method: 'GET', path: `/api/groups/${group.id}/members?pending=true`, pages: true }),
      as(viewer, { method: 'GET', path: `/api/groups/${own}/members?pending=true`, pages: true }),
    ];
  },
  'groups.approve': async ({ viewer, probe, group }) => {
    const own = await viewerGroupWithProbe(viewer, probe, 'request');
    return [
      as(viewer, { method: 'POST', path: `/api/groups/${own}/members/${probe.id}/approve` }),
      as(viewer, { method: 'GET', path: `/api/groups/${own}/members`, pages: true }),
      as(viewer, { method: 'POST', path: `/api/groups/${group.id}/members/${probe.id}/approve` }),
    ];
  },
  'groups.removeMember': async ({ viewer, probe, group }) => {
    const own = await viewerGroupWithProbe(viewer, probe, 'open');
    return [
      as(viewer, { method: 'DELETE', path: `/api/groups/${own}/members/${probe.id}` }),
      as(viewer, { method: 'DELETE', path: `/api/groups/${group.id}/members/${probe.id}` }),
    ];
  },
  'groups.setRole': async ({ viewer, probe, group }) => {
    const own = await viewerGroupWithProbe(viewer, probe, 'open');
    return [
      as(viewer, {
        method: 'PUT',
        path: `/api/groups/${own}/members/${probe.id}/role`,
        body: { admin: true },
      }),
      as(viewer, { method: 'GET', path: `/api/groups/${own}/members`, pages: true }),
      as(viewer, {
        method: 'PUT',
        path: `/api/groups/${group.id}/members/${probe.id}/role`,
        body: { admin: false },
      }),
    ];
  },
  'groups.posts': async ({ viewer, group }) => [
    as(viewer, { method: 'GET', path: `/api/groups/${group.id}/posts`, pages: true }),
  ],
  // ————— Missions (issue 6): the probe organises a mission in their group (every viewer is in it)
  // and volunteers for it; each viewer runs a mission the probe volunteers for. Names only. —————
  'missions.create': async ({ viewer, probe }) => {
    const groupId = await viewerGroupWithProbe(viewer, probe, 'open');
    return [
      as(viewer, {
        method: 'POST',
        path: '/api/missions',
        body: {
          title: `Tractage avec ${probe.firstName}`,
          description: `Rendez-vous avec ${probe.firstName} ${probe.lastName}.`,
          kind: 'tractage',
          place: 'Marché',
          audience: { kind: 'group', groupId },
          slots: [slot(6, '09:00', '11:00', 3)],
        },
      }),
    ];
  },
  'missions.list': async ({ viewer, probe, group }) => {
    await probeMission(probe, group);
    return [
      as(viewer, { method: 'GET', path: `/api/missions?group=${group.id}`, pages: true }),
      as(viewer, { method: 'GET', path: '/api/missions', pages: true }),
      as(viewer, { method: 'GET', path: `/api/missions?section=${SECTIONS.paris}`, pages: true }),
      as(viewer, { method: 'GET', path: '/api/missions?near=75', pages: true }),
    ];
  },
  'missions.get': async ({ viewer, probe, group }) => {
    const m = await probeMission(probe, group);
    return [as(viewer, { method: 'GET', path: `/api/missions/${m.id}` })];
  },
  'missions.signUp': async ({ viewer, probe, group }) => {
    const m = await probeMission(probe, group);
    return [
      as(viewer, { method: 'POST', path: `/api/missions/${m.id}/slots/${m.slots[1]?.id}/sign-up` }),
      as(viewer, { method: 'GET', path: `/api/missions/${m.id}` }),
    ];
  },
  'missions.withdraw': async ({ viewer, probe, group }) => {
    const m = await probeMission(probe, group);
    return [as(viewer, { method: 'DELETE', path: `/api/missions/${m.id}/slots/${m.slots[1]?.id}/sign-up` })];
  },
  'missions.attendance': async ({ viewer, probe, group }) => {
    const own = await viewerMissionWithProbe(viewer, probe);
    const theirs = await probeMission(probe, group);
    const at = (m: MissionDetail) =>
      `/api/missions/${m.id}/slots/${m.slots[0]?.id}/volunteers/${probe.id}/attendance`;
    return [
      as(viewer, { method: 'PUT', path: at(own), body: { attended: true } }),
      as(viewer, { method: 'GET', path: `/api/missions/${own.id}` }),
      as(viewer, { method: 'PUT', path: at(theirs), body: { attended: false } }),
    ];
  },
  'missions.close': async ({ viewer, probe, group }) => {
    const own = await viewerMissionWithProbe(viewer, probe);
    const theirs = await probeMission(probe, group);
    return [
      as(viewer, {
        method: 'POST',
        path: `/api/missions/${own.id}/close`,
        body: { outcome: 'cancelled', reason: `Sans ${probe.firstName}` },
      }),
      as(viewer, { method: 'POST', path: `/api/missions/${theirs.id}/close`, body: { outcome: 'done' } }),
    ];
  },
  'missions.mySignUps': async ({ viewer, probe, group }) => {
    const m = await probeMission(probe, group);
    return [
      as(viewer, { method: 'POST', path: `/api/missions/${m.id}/slots/${m.slots[1]?.id}/sign-up` }),
      as(viewer, { method: 'GET', path: '/api/me/mission-sign-ups', pages: true }),
      as(viewer, { method: 'DELETE', path: `/api/missions/${m.id}/slots/${m.slots[1]?.id}/sign-up` }),
    ];
  },
  // ————— Moderation (issue 8): reports about the probe, the coopilotes' file on them —————
  'reports.create': async ({ viewer, probe, content }) => [
    as(viewer, {
      method: 'POST',
      path: '/api/reports',
      body: { target: `member:${probe.id}`, category: 'spam', comment: 'Sonde.' },
    }),
    as(viewer, {
      method: 'POST',
      path: '/api/reports',
      body: { target: `post:${content.all}`, category: 'spam' },
    }),
  ],
  'moderation.queue': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/moderation/reports', pages: true }),
  ],
  'moderation.file': async ({ viewer, probe, content }) => [
    as(viewer, {
      method: 'GET',
      path: `/api/moderation/reports/${encodeURIComponent(`member:${probe.id}`)}`,
    }),
    as(viewer, {
      method: 'GET',
      path: `/api/moderation/reports/${encodeURIComponent(`post:${content.all}`)}`,
    }),
  ],
  'moderation.decide': async ({ viewer, content }) => [
    // Only ever a dismissal: the probe must stay active for the other routes.
    as(viewer, {
      method: 'POST',
      path: `/api/moderation/reports/${encodeURIComponent(`post:${content.all}`)}/decision`,
      body: { decision: 'dismiss' },
    }),
  ],
  'moderation.history': async ({ viewer, probe }) => [
    as(viewer, { method: 'GET', path: `/api/moderation/members/${probe.id}` }),
  ],
  'moderation.lift': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'POST',
      path: `/api/moderation/members/${probe.id}/lift`,
      body: { reason: 'Sonde : aucune suspension en cours.' },
    }),
  ],
  'moderation.appeals': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/moderation/appeals', pages: true }),
  ],
  'moderation.answerAppeal': async ({ viewer, probe }) => [
    as(viewer, {
      method: 'POST',
      path: `/api/moderation/members/${probe.id}/appeals/01KC0AAAAAAAAAAAAAAAAAAAAA`,
      body: { decision: 'uphold', answer: 'Sonde : ce recours n’existe pas.' },
    }),
  ],
  'moderation.audit': async ({ viewer, probe }) => [
    as(viewer, { method: 'GET', path: `/api/moderation/audit?member=${probe.id}`, pages: true }),
    as(viewer, { method: 'GET', path: `/api/moderation/audit?actor=${probe.id}`, pages: true }),
  ],
  'me.moderation': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/me/moderation' })],
  // ————— Personal data (issue 8): the viewer's own export names the probe where they are linked —————
  'me.export': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/me/export' })],
  // Never the real thing here (the viewers are shared): a wrong confirmation is refused, nothing erased.
  'me.delete': async ({ viewer }) => [
    as(viewer, { method: 'DELETE', path: '/api/me', body: { confirm: 'supprimer le profil de la sonde' } }),
  ],
  'me.appeal': async ({ viewer }) => [
    as(viewer, {
      method: 'POST',
      path: '/api/me/appeals',
      body: { decisionId: '01KC0AAAAAAAAAAAAAAAAAAAAA', text: 'Sonde : aucune décision à contester.' },
    }),
  ],
  // ————— Events and agenda (issue 6): the probe organises an event in their group (every viewer
  // is in it) and goes; each viewer organises an event the probe goes to. Names only. —————
  'events.create': async ({ viewer, probe }) => {
    const groupId = await viewerGroupWithProbe(viewer, probe, 'open');
    return [
      as(viewer, {
        method: 'POST',
        path: '/api/events',
        body: eventBody({ kind: 'group', groupId }, { title: `Avec ${probe.firstName} ${probe.lastName}` }),
      }),
    ];
  },
  'events.get': async ({ viewer, probe, group }) => {
    const theirs = await probeEvent(probe, group);
    const own = await viewerEventWithProbe(viewer, probe);
    return [
      as(viewer, { method: 'GET', path: `/api/events/${theirs}` }),
      as(viewer, { method: 'GET', path: `/api/events/${own}` }),
    ];
  },
  'events.update': async ({ viewer, probe, group }) => {
    const own = await viewerEventWithProbe(viewer, probe);
    const theirs = await probeEvent(probe, group);
    const { audience: _audience, ...body } = eventBody({ kind: 'all' }, {}, 11);
    return [
      as(viewer, { method: 'PUT', path: `/api/events/${own}`, body }),
      as(viewer, { method: 'GET', path: `/api/events/${own}` }),
      as(viewer, { method: 'PUT', path: `/api/events/${theirs}`, body }),
    ];
  },
  'events.cancel': async ({ viewer, probe, group }) => {
    const own = await viewerEventWithProbe(viewer, probe);
    const theirs = await probeEvent(probe, group);
    return [
      as(viewer, { method: 'POST', path: `/api/events/${own}/cancel` }),
      as(viewer, { method: 'POST', path: `/api/events/${theirs}/cancel` }),
    ];
  },
  'events.rsvp': async ({ viewer, probe, group }) => {
    const theirs = await probeEvent(probe, group);
    return [
      as(viewer, { method: 'PUT', path: `/api/events/${theirs}/rsvp`, body: { answer: 'maybe' } }),
      as(viewer, { method: 'PUT', path: `/api/events/${theirs}/rsvp`, body: { answer: 'yes' } }),
    ];
  },
  'events.attendees': async ({ viewer, probe, group }) => {
    const theirs = await probeEvent(probe, group);
    const own = await viewerEventWithProbe(viewer, probe);
    return [
      as(viewer, { method: 'GET', path: `/api/events/${theirs}/attendees`, pages: true }),
      as(viewer, { method: 'GET', path: `/api/events/${own}/attendees`, pages: true }),
    ];
  },
  'agenda.mine': async ({ viewer, probe, group }) => {
    await probeEvent(probe, group);
    return [as(viewer, { method: 'GET', path: '/api/agenda', pages: true })];
  },
  'agenda.party': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: '/api/agenda/party', pages: true }),
  ],
  'sections.events': async ({ viewer }) => [
    as(viewer, { method: 'GET', path: `/api/sections/${SECTIONS.paris}/events`, pages: true }),
  ],
  'groups.events': async ({ viewer, probe, group }) => {
    await probeEvent(probe, group);
    return [as(viewer, { method: 'GET', path: `/api/groups/${group.id}/events`, pages: true })];
  },
  'calendar.status': async ({ viewer }) => [as(viewer, { method: 'GET', path: '/api/me/calendar' })],
  'calendar.rotate': async ({ viewer }) => [as(viewer, { method: 'POST', path: '/api/me/calendar' })],
  'calendar.revoke': async ({ viewer }) => [as(viewer, { method: 'DELETE', path: '/api/me/calendar' })],
  // The viewer's own feed, with the probe's event in it (the viewer answered it).
  'calendar.feed': async ({ viewer, probe, group }) => {
    const theirs = await probeEvent(probe, group);
    await answerAs(tokenOf(viewer), theirs, 'maybe');
    return [{ method: 'GET', path: await feedPathOf(tokenOf(viewer)) }];
  },
};

interface RawResponse {
  status: number;
  text: string;
  headers: Headers;
}

async function call(req: ProbeRequest, cursor?: string): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  if (req.cookie) headers.cookie = req.cookie;
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  const path = cursor ? `${req.path}${req.path.includes('?') ? '&' : '?'}cursor=${cursor}` : req.path;
  const res = await fetch(`${inject('baseUrl')}${path}`, {
    method: req.method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Every page of the answer (following `cursor` when asked). */
async function callAllPages(req: ProbeRequest): Promise<RawResponse[]> {
  const out: RawResponse[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await call(req, cursor);
    out.push(res);
    if (!req.pages || res.status !== 200) return out;
    const next = (JSON.parse(res.text) as { cursor?: string | null }).cursor;
    if (!next) return out;
    cursor = next;
  }
  throw new Error(`${req.path}: more than 100 pages`);
}

const routePattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

const VIEWERS = [
  'sympathisant',
  'adherent_same_section',
  'adherent_other_section',
  'coopilote',
  'admin',
  'secretary_other_section',
] as const;

let personas: Map<string, Persona>;
let mandateId: string;
let content: ProbeContent;
let group: { id: string; name: string };

beforeAll(async () => {
  mandateId = ulid();
  const tok = letters(6);
  const base = (key: string, extra: Partial<PersonaSpec>): PersonaSpec => ({
    key,
    firstName: 'Lecteur',
    lastName: `Zx${tok}${key.replace(/[^a-z]/g, '')}`,
    membership: 'adherent',
    confirmed: true,
    section: 'paris',
    visibility: 'adherents',
    signsIn: true,
    ...extra,
  });
  personas = await seedPersonas(
    [
      base('probe', {
        firstName: `Sonde${tok}`,
        lastName: `Fuite${tok}`,
        visibility: 'all',
        email: EMAIL,
        phone: PHONE,
        postalAddress: ADDRESS,
        mandates: [
          {
            id: mandateId,
            office: 'Conseillère municipale',
            territory: 'Paris 11e',
            startDate: '2020-07-01',
            endDate: null,
            verified: false,
          },
        ],
      }),
      base('paris_secretary', { roles: { secretaryOf: [SECTIONS.paris] } }),
      base('sympathisant', { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
      base('adherent_same_section', {}),
      base('adherent_other_section', { section: 'lille' }),
      base('coopilote', { section: 'lyon', roles: { coopilote: true } }),
      base('admin', { section: 'toulouse', roles: { admin: true } }),
      base('secretary_other_section', { section: 'lille', roles: { secretaryOf: [SECTIONS.lille] } }),
    ],
    // The probe's coopain sees it through that link too.
    { coopains: [['probe', 'sympathisant']] },
  );
  await acceptCommitment(persona(personas, 'paris_secretary'));
  await acceptCommitment(persona(personas, 'secretary_other_section'));

  // The probe member publishes everywhere they may, and comments their own post.
  const probe = persona(personas, 'probe');
  const sympathisant = persona(personas, 'sympathisant');
  const paris = (kind: string) => ({ kind, sectionId: SECTIONS.paris });
  // The probe runs a group every viewer joined (open to every member).
  group = { id: '', name: `Groupe sonde ${tok}` };
  group.id = await groupAs(probe, group.name, 'open');
  for (const key of VIEWERS) await joinAs(persona(personas, key), group.id);
  const all = await publishAs(probe, {
    audience: { kind: 'all' },
    title: 'Compte rendu du conseil',
    body: 'Le conseil a voté le budget. Questions en commentaire.',
    mentions: [sympathisant.id],
  });
  content = {
    all,
    adherents: await publishAs(probe, { audience: { kind: 'adherents' }, body: 'Entre adhérent·es' }),
    coopains: await publishAs(probe, { audience: { kind: 'coopains' }, body: 'Entre coopains' }),
    sectionPublic: await publishAs(probe, { audience: paris('section-public'), body: 'Permanence samedi' }),
    sectionPrivate: await publishAs(probe, { audience: paris('section-private'), body: 'Entre nous' }),
    comment: await commentAs(probe, all, { body: 'Je réponds à vos questions ici.' }),
    group: await publishAs(probe, { audience: { kind: 'group', groupId: group.id }, body: 'Entre membres' }),
  };
  // The fan-out (every second locally) brings the coopains post to the probe's coopain's fil.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const fil = await api<{ items: { id: string }[] }>('/api/feed', { token: tokenOf(sympathisant) });
    if (fil.body.items.some((i) => i.id === content.coopains)) break;
    if (Date.now() > deadline) throw new Error('the probe’s coopains post never reached the fil');
    await new Promise((r) => setTimeout(r, 300));
  }
}, 120_000);

describe('contact-leak probe', () => {
  it('has a probe fixture for every route of the route table, and none for a route that does not exist', () => {
    expect(Object.keys(probeFixtures).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it('detects the values where they must be: the member themself and their own section secretary', async () => {
    const probe = persona(personas, 'probe');
    const own = await call({ method: 'GET', path: '/api/me/contact', token: tokenOf(probe) });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.text)).toEqual({ contact: { email: EMAIL, phone: PHONE, postalAddress: ADDRESS } });
    expect(leaksIn(own.text).join('\n')).toMatch(/email[\s\S]*phone[\s\S]*address/);

    const secretary = tokenOf(persona(personas, 'paris_secretary'));
    const read = await call({ method: 'GET', path: `/api/members/${probe.id}/contact`, token: secretary });
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toEqual({
      contact: { email: EMAIL, phone: PHONE, postalAddress: ADDRESS },
    });
    for (const kind of ['email', 'phone', 'address'])
      expect(leaksIn(read.text).some((l) => l.startsWith(kind))).toBe(true);

    // And on the roster of their section (one of its pages).
    const roster = await callAllPages({
      method: 'GET',
      path: `/api/sections/${SECTIONS.paris}/members?contacts=true`,
      token: secretary,
      pages: true,
    });
    expect(roster.some((page) => leaksIn(page.text).length >= 3)).toBe(true);
    // And in the roster export of their section (issue 11), once for the whole file.
    const exported = await call({
      method: 'GET',
      path: `/api/sections/${SECTIONS.paris}/roster-export`,
      token: secretary,
    });
    expect(exported.status).toBe(200);
    for (const kind of ['email', 'phone', 'address'])
      expect(leaksIn(exported.text).some((l) => l.startsWith(kind))).toBe(true);
    // The detector also catches values re-formatted or escaped.
    expect(leaksIn(JSON.stringify({ x: EMAIL.replace('@', '\\u0040') }).replace(/\\\\/g, '\\'))).not.toEqual(
      [],
    );
    expect(leaksIn('{"tel":"+33600000042"}')).not.toEqual([]);
    expect(leaksIn('{"adresse":"42 RUE DE LA FUITE"}')).not.toEqual([]);
    expect(leaksIn('{"ok":true}')).toEqual([]);
  });

  it('shows the probe member’s posts with their name, never their contact details', async () => {
    const probe = persona(personas, 'probe');
    for (const viewerKey of VIEWERS) {
      const read = await call({
        method: 'GET',
        path: `/api/posts/${content.all}`,
        token: tokenOf(persona(personas, viewerKey)),
      });
      expect(read.status, `${viewerKey}: ${read.text}`).toBe(200);
      expect(read.text, viewerKey).toContain(probe.lastName);
      expect(leaksIn(read.text, read.headers), viewerKey).toEqual([]);
    }
    const fil = await call({
      method: 'GET',
      path: '/api/feed',
      token: tokenOf(persona(personas, 'sympathisant')),
    });
    expect(fil.text).toContain(content.coopains);
    expect(fil.text).toContain(probe.lastName);
    expect(leaksIn(fil.text, fil.headers)).toEqual([]);
  });

  it('lists the probe member in their group with their name, never their contact details', async () => {
    const probe = persona(personas, 'probe');
    for (const viewerKey of VIEWERS) {
      const token = tokenOf(persona(personas, viewerKey));
      const members = await call({ method: 'GET', path: `/api/groups/${group.id}/members`, token });
      expect(members.status, `${viewerKey}: ${members.text}`).toBe(200);
      expect(members.text, viewerKey).toContain(probe.id);
      expect(members.text, viewerKey).toContain(probe.lastName);
      expect(leaksIn(members.text, members.headers), viewerKey).toEqual([]);
      const posts = await call({ method: 'GET', path: `/api/groups/${group.id}/posts`, token });
      expect(posts.text, viewerKey).toContain(content.group);
      expect(leaksIn(posts.text, posts.headers), viewerKey).toEqual([]);
    }
  });

  it('shows the probe as organiser and volunteer of their mission by name, never their contact details', async () => {
    const probe = persona(personas, 'probe');
    const m = await probeMission(probe, group);
    for (const viewerKey of VIEWERS) {
      const token = tokenOf(persona(personas, viewerKey));
      const res = await call({ method: 'GET', path: `/api/missions/${m.id}`, token });
      expect(res.status, `${viewerKey}: ${res.text}`).toBe(200);
      expect(res.text, viewerKey).toContain(probe.lastName);
      expect(leaksIn(res.text, res.headers), viewerKey).toEqual([]);
    }
  });

  describe.each(VIEWERS)('seen by %s', (viewerKey) => {
    it.each(routes.map((r) => r.id))('%s leaks nothing', async (id) => {
      const fixture = probeFixtures[id];
      expect(fixture, `no probe fixture for ${id}`).toBeDefined();
      const viewer = persona(personas, viewerKey);
      const requests = await fixture({
        viewer,
        probe: persona(personas, 'probe'),
        mandateId,
        content,
        group,
      });
      expect(requests.length).toBeGreaterThan(0);
      // Every request is a call of some route of the table, and one at least of this route.
      const routeOf = (req: ProbeRequest) =>
        routes.find(
          (r) => r.method === req.method && routePattern(r.path).test(req.path.split('?')[0] ?? ''),
        );
      expect(requests.map((r) => `${r.method} ${r.path} → ${routeOf(r)?.id}`).join('\n')).toContain(
        `→ ${id}`,
      );
      for (const req of requests) {
        expect(routeOf(req), `${req.method} ${req.path} is no route of the table`).toBeDefined();
        for (const res of await callAllPages(req)) {
          expect(res.status, `${req.method} ${req.path}: ${res.text}`).toBeLessThan(500);
          expect(leaksIn(res.text, res.headers), `${req.method} ${req.path} → ${res.status}`).toEqual([]);
        }
      }
    });
  });

  it('the probe values are nowhere a viewer could list them, even after all the calls above', async () => {
    // The admin's roster of Paris (no contact details for an admin) and the probe's profile.
    const admin = tokenOf(persona(personas, 'admin'));
    const pages = await callAllPages({
      method: 'GET',
      path: `/api/sections/${SECTIONS.paris}/members?contacts=true`,
      token: admin,
      pages: true,
    });
    expect(pages.every((p) => p.status === 200)).toBe(true);
    const probe = persona(personas, 'probe');
    expect(pages.some((p) => p.text.includes(probe.id))).toBe(true);
    for (const page of pages) expect(leaksIn(page.text, page.headers)).toEqual([]);
    for (const v of VALUES) expect(pages.map((p) => p.text).join('')).not.toContain(v);
  });
});
