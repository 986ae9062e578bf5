import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, getItem, memberItems, tableClient } from '../support/api.ts';
import { createEventAs, eventBody } from '../support/events.ts';
import { newMission } from '../support/missions.ts';
import {
  freshSection,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Moderation through the real API (issue 8): « Signaler un abus », the coopilotes' queue and file,
 * decisions (remark, removal, suspension), the reporter's outcome, the suspended member's page and
 * appeal, lifting, timed suspensions ending by themselves, local moderation, the audit log.
 */

const run = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Camille',
  lastName: `Mod${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: sectionId,
  visibility: 'all',
  signsIn: true,
  ...extra,
});

interface Summary {
  target: string;
  openCount: number;
  categories: string[];
  author: { id: string } | null;
  snapshot: { title?: string; text: string };
  removed: boolean;
  status: string;
}
interface Notif {
  type: string;
  actor: { id: string; name: string };
  data: Record<string, string>;
}

let people: Map<string, Persona>;
let sectionId: string;
const p = (k: string) => persona(people, k);
const as = (k: string) => tokenOf(p(k));

async function publish(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id: string }>('/api/posts', { token: as(key), body });
  if (res.status !== 201) throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function report(key: string, target: string, category = 'injurious', comment = '') {
  return api<{ id: string; error?: { code: string } }>('/api/reports', {
    token: as(key),
    body: { target, category, ...(comment ? { comment } : {}) },
  });
}

async function notifications(key: string): Promise<Notif[]> {
  const res = await api<{ items: Notif[] }>('/api/notifications', { token: as(key) });
  return res.body.items;
}

/** The task job runs every second locally: waits until `check` holds (or fails after 15 s). */
async function eventually<T>(check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 300));
  }
}

const fileOf = (target: string, token: string) =>
  api<{ summary: Summary; reports: { reporter: { id: string } | null; snapshot: { text: string } }[] }>(
    `/api/moderation/reports/${encodeURIComponent(target)}`,
    { token },
  );
const decideOn = (target: string, token: string, body: Record<string, unknown>) =>
  api<{ decisionId: string; outcome: string }>(
    `/api/moderation/reports/${encodeURIComponent(target)}/decision`,
    {
      token,
      body,
    },
  );

beforeAll(async () => {
  const section = await freshSection();
  sectionId = section.id;
  people = await seedPersonas([
    spec('author', sectionId),
    spec('reporter', sectionId),
    spec('witness', sectionId),
    spec('hidden', sectionId, { visibility: 'section' }),
    spec('coopilote', sectionId, { roles: { coopilote: true } }),
    spec('admin', sectionId, { roles: { admin: true } }),
    spec('secretary', sectionId, { roles: { secretaryOf: [sectionId] } }),
  ]);
}, 120_000);

describe('reports', () => {
  it('takes one report per reporter and target, with a snapshot, and refuses what the reporter may not see', async () => {
    const postId = await publish('author', {
      audience: { kind: 'all' },
      title: 'Tribune',
      body: 'Texte initial.',
    });
    const target = `post:${postId}`;

    const first = await report('reporter', target, 'personal_attack', 'Attaque contre un camarade.');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await report('reporter', target, 'spam');
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('report.already_open');
    expect((await report('witness', target, 'defamation')).status).toBe(201);

    // One's own words, a hidden member's profile, an unknown post, a bad category: refused, nothing written.
    expect((await report('author', target)).status).toBe(400);
    const hidden = await report('reporter', `member:${p('hidden').id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error?.code).toBe('report.target_not_found');
    expect((await report('reporter', 'post:01KC0AAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const bad = await api('/api/reports', {
      token: as('reporter'),
      body: { target, category: 'je-ne-sais-pas' },
    });
    expect(bad.status).toBe(400);
    const reporterReports = (await memberItems(p('reporter').id)).filter((i) => i.type === 'report');
    expect(reporterReports).toHaveLength(0); // reports live with their target, not the reporter

    // The author edits the post afterwards: the file keeps the text as it was reported.
    const edit = await api(`/api/posts/${postId}`, {
      method: 'PUT',
      token: as('author'),
      body: { title: 'Tribune', body: 'Texte adouci après coup.' },
    });
    expect(edit.status).toBe(200);

    const queue = await api<{ items: Summary[] }>('/api/moderation/reports', { token: as('coopilote') });
    expect(queue.status).toBe(200);
    const entry = queue.body.items.find((s) => s.target === target);
    expect(entry).toMatchObject({
      openCount: 2,
      categories: ['defamation', 'personal_attack'],
      author: { id: p('author').id },
      status: 'open',
    });
    const file = await fileOf(target, as('coopilote'));
    expect(file.status).toBe(200);
    expect(file.body.reports).toHaveLength(2);
    expect(file.body.reports.every((r) => r.snapshot.text === 'Texte initial.')).toBe(true);
    expect(file.body.reports.map((r) => r.reporter?.id).sort()).toEqual(
      [p('reporter').id, p('witness').id].sort(),
    );
  });

  it('shows the queue, files and histories to the coopilotes only (404 for everyone else)', async () => {
    for (const key of ['author', 'reporter', 'secretary', 'admin']) {
      for (const path of [
        '/api/moderation/reports',
        '/api/moderation/appeals',
        `/api/moderation/members/${p('author').id}`,
      ]) {
        const res = await api<{ error?: { code: string } }>(path, { token: as(key) });
        expect(res.status, `${key} ${path}`).toBe(404);
        expect(res.body.error?.code).toBe('moderation.not_found');
      }
    }
    // The audit log: coopilotes and admins; a secretary or a member gets 404.
    expect((await api(`/api/moderation/audit?member=${p('author').id}`, { token: as('admin') })).status).toBe(
      200,
    );
    expect(
      (await api(`/api/moderation/audit?member=${p('author').id}`, { token: as('secretary') })).status,
    ).toBe(404);
  });
});

describe('reports on the agenda', () => {
  it('takes reports on an event and a mission the reporter may see, and 404 for an outsider', async () => {
    const elsewhere = await freshSection();
    const outsiders = await seedPersonas([spec('outsider', elsewhere.id)]);
    const eventId = await createEventAs(
      as('author'),
      eventBody({ kind: 'section-private', sectionId }, { title: 'Réunion houleuse' }),
    );
    const mission = await newMission(
      { token: as('secretary'), key: 'secretary' },
      { audience: { kind: 'section-private', sectionId } },
    );
    for (const target of [`event:${eventId}`, `mission:${mission.id}`]) {
      const res = await report('reporter', target, 'spam');
      expect(res.status, `${target} ${JSON.stringify(res.body)}`).toBe(201);
      const outsider = await api<{ error?: { code: string } }>('/api/reports', {
        token: tokenOf(persona(outsiders, 'outsider')),
        body: { target, category: 'spam' },
      });
      expect(outsider.status).toBe(404);
      expect(outsider.body.error?.code).toBe('report.target_not_found');
    }
    const file = await fileOf(`event:${eventId}`, as('coopilote'));
    expect(file.body.summary).toMatchObject({
      author: { id: p('author').id },
      snapshot: { title: 'Réunion houleuse' },
    });
  });
});

describe('decisions', () => {
  it('removes the content, tells the author and the reporters, and logs it', async () => {
    const postId = await publish('author', { audience: { kind: 'all' }, body: 'Propos injurieux.' });
    const target = `post:${postId}`;
    expect((await report('reporter', target)).status).toBe(201);

    const decided = await decideOn(target, as('coopilote'), {
      decision: 'act',
      reason: 'Ce billet contient des propos injurieux (charte, §3).',
      remove: true,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.outcome).toBe('actioned');
    // Decided once: a second decision on the same file is a conflict.
    expect((await decideOn(target, as('coopilote'), { decision: 'dismiss' })).status).toBe(409);

    expect((await api(`/api/posts/${postId}`, { token: as('witness') })).status).toBe(404);
    // The tombstone for the moderators: the file says removed, with the reported text.
    const file = await fileOf(target, as('coopilote'));
    expect(file.body.summary).toMatchObject({ removed: true, status: 'closed' });
    expect(file.body.reports[0]?.snapshot.text).toBe('Propos injurieux.');

    // The author hears from « Les coopilotes » (never the coopilote's name) and reads the reason.
    const remark = (await notifications('author')).find((n) => n.type === 'moderation.remark');
    expect(remark?.actor).toEqual({ id: 'coopilotes', name: 'Les coopilotes' });
    const mine = await api<{ decisions: { kinds: string[]; reason: string }[] }>('/api/me/moderation', {
      token: as('author'),
    });
    expect(mine.body.decisions[0]).toMatchObject({
      kinds: ['remark', 'removed'],
      reason: 'Ce billet contient des propos injurieux (charte, §3).',
    });
    expect(JSON.stringify(mine.body)).not.toContain(p('coopilote').id);

    // The reporter learns the outcome (the task job), and may report the target again later.
    const outcome = await eventually(async () =>
      (await notifications('reporter')).find((n) => n.type === 'report.outcome' && n.data.target === target),
    );
    expect(outcome.data.outcome).toBe('actioned');
    expect(await getItem(`TARGET#${target}`, `REPORTER#${p('reporter').id}`)).toBeUndefined();

    const audit = await api<{
      items: { action: string; actorId: string; details?: Record<string, string> }[];
    }>(`/api/moderation/audit?member=${p('author').id}`, { token: as('coopilote') });
    expect(audit.body.items.find((e) => e.details?.target === target)).toMatchObject({
      action: 'moderation.act',
      actorId: p('coopilote').id,
    });
  });

  it('dismisses: nothing changes for the author, the reporter is told « pas de manquement »', async () => {
    const postId = await publish('author', { audience: { kind: 'all' }, body: 'Un désaccord argumenté.' });
    const target = `post:${postId}`;
    expect((await report('witness', target, 'disrespect')).status).toBe(201);
    const decided = await decideOn(target, as('coopilote'), { decision: 'dismiss', note: 'Débat légitime.' });
    expect(decided.status).toBe(200);
    expect((await api(`/api/posts/${postId}`, { token: as('witness') })).status).toBe(200);
    const outcome = await eventually(async () =>
      (await notifications('witness')).find((n) => n.type === 'report.outcome' && n.data.target === target),
    );
    expect(outcome.data.outcome).toBe('dismissed');
  });
});

describe('suspensions and appeals', () => {
  it('refuses a suspended member at once, lets them read, appeal once, and a coopilote lifts it', async () => {
    const people2 = await seedPersonas([spec('troll', sectionId), spec('victim', sectionId)]);
    const troll = persona(people2, 'troll');
    const victim = persona(people2, 'victim');
    const target = `member:${troll.id}`;
    const r = await api('/api/reports', {
      token: tokenOf(victim),
      body: { target, category: 'personal_attack', comment: 'Messages insultants répétés.' },
    });
    expect(r.status).toBe(201);
    const decided = await decideOn(target, as('coopilote'), {
      decision: 'act',
      reason: 'Attaques personnelles répétées malgré une première remarque.',
      remove: false,
      suspend: 7,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    // The same, still-valid token: refused on the next request, except the routes for the decision.
    const feed = await api<{ error?: { code: string } }>('/api/feed', { token: tokenOf(troll) });
    expect(feed.status).toBe(403);
    expect(feed.body.error?.code).toBe('account.suspended');
    expect((await api('/api/me', { token: tokenOf(troll) })).status).toBe(200);
    const page = await api<{ suspended: boolean; suspendedUntil: string; appealable: string }>(
      '/api/me/moderation',
      {
        token: tokenOf(troll),
      },
    );
    expect(page.body.suspended).toBe(true);
    expect(Date.parse(page.body.suspendedUntil) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(page.body.appealable).toBe(decided.body.decisionId);
    // Gone from the directory while suspended.
    expect(await getItem(`MEMBER#${troll.id}`, 'DIRALL#LAST')).toBeUndefined();

    const appeal = await api('/api/me/appeals', {
      token: tokenOf(troll),
      body: {
        decisionId: decided.body.decisionId,
        text: 'Je reconnais mes torts et m’engage à respecter la charte.',
      },
    });
    expect(appeal.status).toBe(201);
    const twice = await api<{ error?: { code: string } }>('/api/me/appeals', {
      token: tokenOf(troll),
      body: { decisionId: decided.body.decisionId, text: 'Deuxième recours, même décision.' },
    });
    expect(twice.status).toBe(409);

    const appeals = await api<{ items: { decisionId: string; member: { id: string } }[] }>(
      '/api/moderation/appeals',
      {
        token: as('coopilote'),
      },
    );
    expect(
      appeals.body.items.some((a) => a.decisionId === decided.body.decisionId && a.member.id === troll.id),
    ).toBe(true);
    const answer = await api(`/api/moderation/members/${troll.id}/appeals/${decided.body.decisionId}`, {
      token: as('coopilote'),
      body: {
        decision: 'lift',
        answer: 'Recours accepté : la suspension est levée, merci de votre engagement.',
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await api('/api/feed', { token: tokenOf(troll) })).status).toBe(200);
    expect(await getItem(`MEMBER#${troll.id}`, 'DIRALL#LAST')).toBeDefined();

    const history = await api<{ decisions: { kinds: string[] }[]; member: { state: string } }>(
      `/api/moderation/members/${troll.id}`,
      { token: as('coopilote') },
    );
    expect(history.body.member.state).toBe('active');
    expect(history.body.decisions.map((d) => d.kinds)).toEqual([['lifted'], ['remark', 'suspended']]);
    const audit = await api<{ items: { action: string }[] }>(`/api/moderation/audit?member=${troll.id}`, {
      token: as('admin'),
    });
    expect(audit.body.items.map((e) => e.action)).toEqual(['appeal.answer', 'moderation.act']);
  });

  it('ends a timed suspension by itself (the expiry job), and a coopilote may lift one at any time', async () => {
    const people3 = await seedPersonas([
      spec('brief', sectionId),
      spec('longer', sectionId),
      spec('teller', sectionId),
    ]);
    const brief = persona(people3, 'brief');
    const longer = persona(people3, 'longer');
    for (const who of [brief, longer]) {
      expect(
        (
          await api('/api/reports', {
            token: tokenOf(persona(people3, 'teller')),
            body: { target: `member:${who.id}`, category: 'spam' },
          })
        ).status,
      ).toBe(201);
      const d = await decideOn(`member:${who.id}`, as('coopilote'), {
        decision: 'act',
        reason: 'Messages publicitaires répétés.',
        remove: true,
        suspend: who === brief ? 1 : 'permanent',
      });
      expect(d.status, JSON.stringify(d.body)).toBe(200);
    }
    expect((await api('/api/feed', { token: tokenOf(brief) })).status).toBe(403);

    // A day later: the end is moved into the past as the clock would (item and its Q3 index entry).
    const past = new Date(Date.now() - 60_000).toISOString();
    await tableClient().send(
      new UpdateCommand({
        TableName: inject('tableName'),
        Key: { pk: `MEMBER#${brief.id}`, sk: 'PROFILE' },
        UpdateExpression: 'SET suspendedUntil = :u, gsi3sk = :k',
        ExpressionAttributeValues: { ':u': past, ':k': `${past}#${brief.id}` },
      }),
    );
    // The request-time check lets them in at once; the job (every 5 s locally) makes it so in the table.
    expect((await api('/api/feed', { token: tokenOf(brief) })).status).toBe(200);
    const item = await eventually(async () => {
      const i = await getItem(`MEMBER#${brief.id}`, 'PROFILE');
      return i?.state === 'active' ? i : undefined;
    });
    expect(item.suspendedUntil).toBeUndefined();
    expect(item.gsi3pk).toBeUndefined();
    const audit = await api<{ items: { action: string; actorId: string }[] }>(
      `/api/moderation/audit?member=${brief.id}`,
      {
        token: as('coopilote'),
      },
    );
    expect(audit.body.items[0]).toMatchObject({ action: 'moderation.expire', actorId: 'system' });
    // Its profile text was removed with the decision.
    expect(item.bio).toBe('');

    // The permanent one stays until a coopilote lifts it.
    expect((await api('/api/feed', { token: tokenOf(longer) })).status).toBe(403);
    expect(
      (
        await api(`/api/moderation/members/${longer.id}/lift`, {
          token: as('reporter'),
          body: { reason: `Je lève.${'x'.repeat(10)}` },
        })
      ).status,
    ).toBe(404);
    const lift = await api(`/api/moderation/members/${longer.id}/lift`, {
      token: as('coopilote'),
      body: { reason: 'Levée après échange avec le membre.' },
    });
    expect(lift.status).toBe(200);
    expect((await api('/api/feed', { token: tokenOf(longer) })).status).toBe(200);
  });
});

describe('local moderation', () => {
  it('lets the secretary remove a post on the section’s pages, and logs it against its author', async () => {
    const postId = await publish('author', {
      audience: { kind: 'section-public', sectionId },
      body: 'Hors sujet et agressif.',
    });
    const res = await api(`/api/posts/${postId}`, { method: 'DELETE', token: as('secretary') });
    expect(res.status).toBe(204);
    const audit = await api<{
      items: { action: string; actorId: string; details?: Record<string, string> }[];
    }>(`/api/moderation/audit?actor=${p('secretary').id}`, { token: as('coopilote') });
    expect(audit.body.items.find((e) => e.details?.target === `post:${postId}`)).toMatchObject({
      action: 'content.remove',
    });
  });
});
