import { describe, expect, it } from 'vitest';
import {
  allItems,
  api,
  cognitoUserExists,
  DEMO,
  getItem,
  memberItems,
  newMember,
  signIn,
  waitForMail,
} from '../support/api.ts';
import { answerAs, createEventAs, eventBody } from '../support/events.ts';
import { newMission } from '../support/missions.ts';
import {
  acceptCommitment,
  freshSection,
  letters,
  type Persona,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Personal-data rights (SPEC §7, issue 8): the export holds what is the member's and nothing
 * private of others; the deletion erases the member everywhere — the whole table is scanned
 * afterwards (test-only) for their id, address, name and phone number.
 */

const run = letters(6);
const PHONE = '+33 6 98 76 54 32';
const ADDRESS = `12 rue de l’Effacement ${run}, 75011 Paris`;

type Req = { token?: string; body?: unknown; method?: string };
async function ok<T = Record<string, unknown>>(path: string, req: Req, status = 200): Promise<T> {
  const res = await api<T>(path, req);
  if (res.status !== status)
    throw new Error(
      `${req.method ?? (req.body ? 'POST' : 'GET')} ${path}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  return res.body;
}

async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Every place a value shows in an item (any attribute, any depth, sets included). */
function mentions(item: Record<string, unknown>, needles: string[]): string[] {
  const text = JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v)).toLowerCase();
  const digits = text.replace(/\D+/g, '');
  return needles.filter((n) =>
    /^\+?[\d ]+$/.test(n) ? digits.includes(n.replace(/\D+/g, '')) : text.includes(n.toLowerCase()),
  );
}

describe('personal data', () => {
  it('exports everything of the member, and erases it all on deletion (the whole table scanned)', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      {
        key: 'other',
        firstName: 'Odile',
        lastName: `Autre${run}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'all',
        signsIn: true,
      },
      {
        key: 'third',
        firstName: 'Tom',
        lastName: `Tiers${run}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'all',
        signsIn: true,
      },
      {
        key: 'fourth',
        firstName: 'Flore',
        lastName: `Quart${run}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'all',
        signsIn: true,
      },
      {
        key: 'secretary',
        firstName: 'Sam',
        lastName: `Secret${run}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
        roles: { secretaryOf: [section.id] },
        signsIn: true,
      },
      {
        key: 'coopilote',
        firstName: 'Coline',
        lastName: `Pilote${run}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
        roles: { coopilote: true },
        signsIn: true,
      },
    ]);
    const p = (k: string): Persona => persona(people, k);
    const as = (k: string) => tokenOf(p(k));

    // The member to erase: a real sign-up (consents, address claim, Cognito user), confirmed by
    // their secretary, with contact details.
    const lastName = `Effacement${run}`;
    const me = await newMember({
      firstName: 'Eugénie',
      lastName,
      sectionId: section.id,
      visibility: 'all',
      consentVisibilityAll: true,
    });
    const t = me.token;
    await ok('/api/me/contact', { method: 'PUT', token: t, body: { phone: PHONE, postalAddress: ADDRESS } });
    await acceptCommitment(p('secretary'));
    await ok(`/api/sections/${section.id}/members/${me.id}/confirm`, {
      token: as('secretary'),
      method: 'POST',
    });
    await ok(`/api/members/${me.id}/contact`, { token: as('secretary') });

    // Coopains, invitations both ways, blocks both ways.
    await ok(`/api/members/${p('other').id}/invitation`, { method: 'POST', token: t }, 201);
    await ok(`/api/me/invitations/${me.id}/accept`, { method: 'POST', token: as('other') }, 204);
    await ok(`/api/members/${p('fourth').id}/invitation`, { method: 'POST', token: t }, 201);
    await ok(`/api/members/${me.id}/invitation`, { method: 'POST', token: as('secretary') }, 201);
    await ok(`/api/me/blocks/${p('third').id}`, { method: 'PUT', token: t }, 204);

    // A conversation both ways (an immediate email, so an unsubscribe token exists).
    const conv = await ok<{ conversationId: string }>(
      `/api/members/${me.id}/messages`,
      { token: as('other'), body: { text: 'Bonjour Eugénie !' } },
      201,
    );
    await waitForMail(me.email, /message/i);
    await ok(
      `/api/members/${p('other').id}/messages`,
      { token: t, body: { text: `Bonjour, signé ${lastName}.` } },
      201,
    );

    // Posts (to all, to the section's page, to coopains — fanned out to the coopain's fil), a
    // comment of theirs on another's post, others' comments and a reply on theirs.
    const post = await ok<{ id: string }>(
      '/api/posts',
      { token: t, body: { audience: { kind: 'all' }, title: 'Mon billet', body: `Texte de ${lastName}` } },
      201,
    );
    await ok(
      '/api/posts',
      {
        token: t,
        body: { audience: { kind: 'section-public', sectionId: section.id }, body: 'Permanence samedi.' },
      },
      201,
    );
    const forCoopains = await ok<{ id: string }>(
      '/api/posts',
      { token: t, body: { audience: { kind: 'coopains' }, body: 'Entre coopains.' } },
      201,
    );
    const othersPost = await ok<{ id: string }>(
      '/api/posts',
      { token: as('other'), body: { audience: { kind: 'all' }, body: 'Le billet d’Odile.' } },
      201,
    );
    const myComment = await ok<{ id: string }>(
      `/api/posts/${othersPost.id}/comments`,
      { token: t, body: { body: `Commentaire de ${lastName}` } },
      201,
    );
    await ok(
      `/api/posts/${othersPost.id}/comments`,
      { token: as('fourth'), body: { body: 'Je réponds.', replyTo: myComment.id } },
      201,
    );
    await ok(`/api/posts/${post.id}/comments`, { token: as('other'), body: { body: 'Bravo !' } }, 201);
    await eventually(async () => {
      const fil = await api<{ items: { id: string }[] }>('/api/feed', { token: as('other') });
      return fil.body.items.some((i) => i.id === forCoopains.id);
    });

    // Groups: one they run with another member (passes on), one alone (goes), one they joined.
    const shared = await ok<{ id: string }>(
      '/api/groups',
      {
        token: t,
        body: {
          name: `Groupe partagé ${run}`,
          description: 'À transmettre',
          joinPolicy: 'open',
          visibility: 'all',
        },
      },
      201,
    );
    await ok(`/api/groups/${shared.id}/membership`, { method: 'POST', token: as('other') });
    const alone = await ok<{ id: string }>(
      '/api/groups',
      {
        token: t,
        body: {
          name: `Groupe solitaire ${run}`,
          description: 'À supprimer',
          joinPolicy: 'open',
          visibility: 'all',
        },
      },
      201,
    );
    const othersGroup = await ok<{ id: string }>(
      '/api/groups',
      {
        token: as('other'),
        body: { name: `Groupe d’Odile ${run}`, description: 'Ouvert', joinPolicy: 'open', visibility: 'all' },
      },
      201,
    );
    await ok(`/api/groups/${othersGroup.id}/membership`, { method: 'POST', token: t });

    // Reports by them and about them, a coopilote's decision (audit), a daily digest pending.
    await ok('/api/reports', { token: t, body: { target: `post:${othersPost.id}`, category: 'spam' } }, 201);
    await ok(
      '/api/reports',
      { token: as('fourth'), body: { target: `member:${me.id}`, category: 'spam' } },
      201,
    );
    await ok(
      '/api/reports',
      { token: as('fourth'), body: { target: `post:${post.id}`, category: 'injurious' } },
      201,
    );
    await ok(`/api/moderation/reports/${encodeURIComponent(`post:${post.id}`)}/decision`, {
      token: as('coopilote'),
      body: { decision: 'act', reason: 'Un rappel de la charte, sans plus.', remove: false },
    });
    await ok('/api/me/notification-preferences', {
      method: 'PUT',
      token: t,
      body: { email: { 'comment.new': 'daily' } },
    });
    await ok(
      `/api/posts/${post.id}/comments`,
      { token: as('fourth'), body: { body: 'Pour le résumé du jour.' } },
      201,
    );

    // The agenda: an event of theirs someone answered, their answer to another's event, their
    // calendar feed; a mission they run (they are made secretary) with a volunteer, and their
    // own sign-up on another's mission.
    const admin = await signIn(DEMO.admin.email);
    await ok(`/api/admin/members/${me.id}/roles`, {
      method: 'PUT',
      token: admin.token,
      body: { secretaryOf: [section.id], coopilote: false, admin: false },
    });
    const myEvent = await createEventAs(
      t,
      eventBody({ kind: 'section-public', sectionId: section.id }, { title: `Réunion de ${lastName}` }),
    );
    expect(await answerAs(as('other'), myEvent, 'yes')).toBe('yes');
    const othersEvent = await createEventAs(
      as('other'),
      eventBody({ kind: 'section-public', sectionId: section.id }),
    );
    await answerAs(t, othersEvent, 'yes');
    await ok('/api/me/calendar', { method: 'POST', token: t }, 201);
    const myMission = await newMission(
      { token: t, key: 'erased' },
      { audience: { kind: 'section-private', sectionId: section.id }, title: `Tractage de ${lastName}` },
    );
    await ok(
      `/api/missions/${myMission.id}/slots/${myMission.slots[0]?.id}/sign-up`,
      { method: 'POST', token: as('other') },
      201,
    );
    const othersMission = await newMission(
      { token: as('secretary'), key: 'secretary' },
      { audience: { kind: 'section-private', sectionId: section.id } },
    );
    await ok(
      `/api/missions/${othersMission.id}/slots/${othersMission.slots[0]?.id}/sign-up`,
      { method: 'POST', token: t },
      201,
    );

    // ————— Export —————
    const exported = await ok<Record<string, unknown>>('/api/me/export', { token: t });
    const text = JSON.stringify(exported);
    for (const part of [
      'profile',
      'contact',
      'consents',
      'coopains',
      'invitations',
      'blocks',
      'conversations',
      'posts',
      'comments',
      'groups',
      'events',
      'missions',
      'notifications',
      'preferences',
      'moderation',
      'contactReads',
    ])
      expect(exported, part).toHaveProperty(part);
    expect(exported.contact).toMatchObject({ phone: PHONE, postalAddress: ADDRESS, email: me.email });
    expect((exported.consents as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect(exported.coopains).toEqual([expect.objectContaining({ id: p('other').id })]);
    expect(exported.blocks).toEqual([expect.objectContaining({ id: p('third').id })]);
    expect((exported.posts as unknown[]).length).toBe(3);
    expect((exported.comments as unknown[]).length).toBe(1);
    expect((exported.groups as unknown[]).length).toBe(3);
    expect((exported.events as { answers: unknown[] }).answers).toHaveLength(1);
    expect((exported.missions as { signUps: unknown[] }).signUps).toHaveLength(1);
    expect(text).toContain('Bonjour Eugénie !');
    expect((exported.contactReads as { by: string }[])[0]?.by).toContain(`Secret${run}`);
    // Nothing private of others: no one else's contact details, no reporter, no coopilote.
    expect(text).not.toContain(p('coopilote').id);
    expect(text).not.toContain(p('fourth').email);
    expect(text).not.toContain(p('other').email);

    // ————— Deletion —————
    expect((await api('/api/me', { method: 'DELETE', token: t, body: { confirm: 'oui' } })).status).toBe(400);
    expect(await getItem(`MEMBER#${me.id}`, 'PROFILE')).toMatchObject({ state: 'active' });
    await ok('/api/me', { method: 'DELETE', token: t, body: { confirm: 'SUPPRIMER' } }, 202);
    // The still-valid token is refused at once.
    expect((await api('/api/me', { token: t })).status).toBe(401);
    // The erasure task (every second locally) ends with the profile itself.
    await eventually(async () => (await getItem(`MEMBER#${me.id}`, 'PROFILE')) === undefined, 60_000);

    expect(await cognitoUserExists(me.email)).toBe(false);
    expect(await memberItems(me.id)).toEqual([]);
    const needles = [me.id, me.email, lastName, PHONE, `Effacement ${run}`];
    // The documented exceptions (docs/data-model.md, D1): the messages they sent stay in the other
    // person's conversation (SPEC §7) — the words they typed, and that conversation's inbox
    // preview — authored by a pseudonym: their id, address and phone appear nowhere.
    const keptWords = (item: Record<string, unknown>, found: string[]) =>
      found.every((n) => n === lastName) &&
      ((item.type === 'message' &&
        String(item.text).includes(lastName) &&
        String(item.authorId).startsWith('deleted-')) ||
        (item.type === 'conversation-membership' && String(item.preview).includes(lastName)) ||
        // and the title of an event or mission of theirs, in the notice that tells its attendees
        // it is cancelled (sent by the platform, expiring with the notification after 90 days).
        (item.type === 'notification' &&
          item.actorId === 'coopol' &&
          String((item.data as { title?: string }).title).includes(lastName)));
    const left = (await allItems())
      .map((item) => ({ item, found: mentions(item, needles) }))
      .filter((x) => x.found.length > 0 && !keptWords(x.item, x.found))
      .map(
        (x) => `${String(x.item.pk)} / ${String(x.item.sk)} (${String(x.item.type)}): ${x.found.join(', ')}`,
      );
    expect(left).toEqual([]);

    // What stays for the others: the conversation (as « Membre supprimé »), the shared group
    // (passed to Odile), the reply in Odile's thread (the comment answered is a tombstone).
    const messages = await ok<{ items: { text: string; mine: boolean }[]; with: string }>(
      `/api/conversations/${conv.conversationId}/messages`,
      { token: as('other') },
    );
    expect(messages.items.map((m) => m.text)).toContain('Bonjour Eugénie !');
    expect(messages.with).toMatch(/^deleted-/);
    const group = await ok<{ me: { role: string } | null }>(`/api/groups/${shared.id}`, {
      token: as('other'),
    });
    expect(group.me?.role).toBe('admin');
    expect((await api(`/api/groups/${alone.id}`, { token: as('other') })).status).toBe(404);
    const thread = await ok<{ comments: { items: { deleted: boolean; parentId: string | null }[] } }>(
      `/api/posts/${othersPost.id}`,
      { token: as('other') },
    );
    expect(JSON.stringify(thread)).not.toContain(lastName);
    // The audit log keeps the actions, pseudonymised.
    // Their event to come is cancelled with notice, by the platform; their answer and sign-up freed their places.
    const cancelled = await eventually(async () => {
      const n = await api<{
        items: { type: string; actor: { name: string }; data: Record<string, string> }[];
      }>('/api/notifications', { token: as('other') });
      return n.body.items.find((i) => i.type === 'event.cancelled' && i.data.eventId === myEvent);
    });
    expect(cancelled.actor.name).toBe('La coopol');
    expect((await api(`/api/events/${myEvent}`, { token: as('other') })).status).toBe(404);
    const theirs = await ok<{ going?: number; counts?: { going: number } }>(`/api/events/${othersEvent}`, {
      token: as('other'),
    });
    expect(JSON.stringify(theirs)).not.toContain(me.id);
    const mission = await ok<{ slots: { signedUp: number }[] }>(`/api/missions/${othersMission.id}`, {
      token: as('secretary'),
    });
    expect(mission.slots[0]?.signedUp).toBe(0);
    expect((await api(`/api/missions/${myMission.id}`, { token: as('other') })).status).toBe(404);

    const audit = await ok<{ items: { action: string; subjectId: string }[] }>(
      `/api/moderation/audit?actor=${p('secretary').id}`,
      { token: as('coopilote') },
    );
    expect(
      audit.items.filter((e) => e.action === 'contact.read' && e.subjectId.startsWith('deleted-')),
    ).toHaveLength(1);
  }, 180_000);
});
