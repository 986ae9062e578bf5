import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { putAll, queryPage, type TxWrite } from '../../shared/data/client.ts';
import { notificationWrites } from '../../shared/data/notifications.ts';
import { queueTaskWrite, type Task } from '../../shared/data/tasks.ts';
import type { Deps } from '../../shared/domain/deps.ts';
import { NOTIFICATION_EMAIL_TASK } from '../../shared/notifications/deliver.ts';
import { addSesMiddleware } from '../../shared/notifications/mailer.ts';
import { replayFailedTasks, runTasks } from '../../shared/tasks/runner.ts';
import { api, getItem, mailsTo } from '../support/api.ts';
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
 * Notifications and their emails (issue 7): the in-site centre, email preferences, delivery
 * through the task job (the local stack runs it every second), one-click unsubscribe without a
 * session, and the fault-injection run — SES failing 30% of the time loses and doubles nothing.
 */

const run = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Noa',
  lastName: `Zz${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: sectionId,
  visibility: 'all',
  signsIn: true,
  ...extra,
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The delivery task of a notification is gone once the job handled it (sent or not). */
const delivered = (notificationId: string) =>
  until(`delivery of ${notificationId}`, async () =>
    (await getItem('TASKS', notificationId)) ? undefined : true,
  );

interface Centre {
  items: { id: string; type: string; read: boolean; actor: { name: string } }[];
  unread: number;
}

describe('notifications', () => {
  it('emails a private message at once, without its text; follows preferences; the centre counts and marks read', async () => {
    const section = await freshSection();
    const people = await seedPersonas([spec('a', section.id), spec('b', section.id)]);
    const [a, b] = [persona(people, 'a'), persona(people, 'b')];
    const secret = `Le code de la porte est ${letters(8)}`;
    const sent = await api(`/api/members/${b.id}/messages`, { token: tokenOf(a), body: { text: secret } });
    expect(sent.status).toBe(201);

    const mail = await until('the email', async () => (await mailsTo(b.email))[0]);
    expect(mail.subject).toBe(`Nouveau message de Noa ${a.lastName}`);
    expect(mail.body.text).toContain('/messages/conversation/?id=');
    expect(mail.body.text).not.toContain(secret);
    expect(mail.body.html ?? '').not.toContain(secret);
    expect(mail.body.text).not.toContain(a.email);
    expect(mail.body.text).toMatch(/\/desinscription\/\?token=[A-Za-z0-9_-]{20,}/);

    const centre = await api<Centre>('/api/notifications', { token: tokenOf(b) });
    expect(centre.body).toMatchObject({ unread: 1, items: [{ type: 'message.new', read: false }] });
    const id = centre.body.items[0]?.id as string;
    expect((await api(`/api/notifications/${id}/read`, { method: 'POST', token: tokenOf(b) })).status).toBe(
      204,
    );
    expect((await api(`/api/notifications/${id}/read`, { method: 'POST', token: tokenOf(b) })).status).toBe(
      204,
    );
    expect((await api<Centre>('/api/notifications', { token: tokenOf(b) })).body).toMatchObject({
      unread: 0,
      items: [{ read: true }],
    });

    // Site only for messages: the next one is in the centre, not in the mailbox.
    const prefs = await api<{ email: Record<string, string> }>('/api/me/notification-preferences', {
      method: 'PUT',
      token: tokenOf(b),
      body: { email: { 'message.new': 'none' } },
    });
    expect(prefs.body.email).toMatchObject({ 'message.new': 'none', 'section.message': 'immediate' });
    await api(`/api/members/${b.id}/messages`, { token: tokenOf(a), body: { text: 'Encore moi' } });
    const second = await until('the second notification', async () => {
      const c = await api<Centre>('/api/notifications', { token: tokenOf(b) });
      return c.body.items.length === 2 ? c.body : undefined;
    });
    await delivered(second.items[0]?.id as string);
    expect(await mailsTo(b.email)).toHaveLength(1);

    // Everything read at once.
    expect((await api('/api/notifications/read', { method: 'POST', token: tokenOf(b) })).status).toBe(204);
    const after = await api<Centre>('/api/notifications', { token: tokenOf(b) });
    expect(after.body.unread).toBe(0);
    expect(after.body.items.every((i) => i.read)).toBe(true);
    // A new one is unread; marking an older one (already read by « tout marquer ») changes nothing.
    await api(`/api/members/${b.id}/messages`, { token: tokenOf(a), body: { text: 'Et encore' } });
    const counted = await until('the third notification', async () => {
      const c = await api<Centre>('/api/notifications', { token: tokenOf(b) });
      return c.body.items.length === 3 ? c.body : undefined;
    });
    expect(counted.unread).toBe(1);
    const older = after.body.items[0]?.id as string;
    expect(
      (await api(`/api/notifications/${older}/read`, { method: 'POST', token: tokenOf(b) })).status,
    ).toBe(204);
    expect((await api<Centre>('/api/notifications', { token: tokenOf(b) })).body.unread).toBe(1);
    // Bad input writes nothing and says so.
    const bad = await api('/api/me/notification-preferences', {
      method: 'PUT',
      token: tokenOf(b),
      body: { email: { 'message.new': 'parfois' } },
    });
    expect(bad.status).toBe(400);
  });

  it('reaches a hidden member by email with the section message, and unsubscribes in one click without a session', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('secretary', section.id, { roles: { secretaryOf: [section.id] } }),
      spec('hidden', section.id, { visibility: 'section' }),
    ]);
    const hidden = persona(people, 'hidden');
    const text = `Collage d’affiches dimanche ${letters(4)}, rendez-vous au local à 9 h.`;
    const res = await api(`/api/sections/${section.id}/messages`, {
      token: tokenOf(persona(people, 'secretary')),
      body: { text },
    });
    expect(res.status).toBe(202);
    const mail = await until('the section email', async () => (await mailsTo(hidden.email))[0]);
    expect(mail.subject).toMatch(/^Message de votre section/);
    expect(mail.body.text).toContain(text);

    const token = /\/desinscription\/\?token=([A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')?.[1] ?? '';
    const unknown = await api('/api/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {
      method: 'POST',
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(unknown.status).toBe(404);
    // What a mail client does with List-Unsubscribe-Post (RFC 8058): no session, a form body.
    const oneClick = await api(`/api/unsubscribe?token=${token}`, {
      method: 'POST',
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick).toMatchObject({ status: 200, body: { unsubscribed: true } });
    const prefs = await api<{ email: Record<string, string> }>('/api/me/notification-preferences', {
      token: tokenOf(hidden),
    });
    expect(new Set(Object.values(prefs.body.email))).toEqual(new Set(['none']));
  });

  it('loses and doubles nothing when SES fails 30% of the time: 1,000 notifications, 1,000 emails', async () => {
    const section = await freshSection();
    const recipients: Persona[] = [
      ...(
        await seedPersonas(
          Array.from({ length: 50 }, (_, i) => spec(`r${i}`, section.id, { signsIn: false })),
        )
      ).values(),
    ];
    // Due in 2100: the local stack's own runner never takes them; this one runs on a clock set there.
    let clock = Date.parse('2100-06-01T00:00:00Z');
    const deps: Deps = { now: () => new Date(clock), newId: ulid };
    const ours = new Set<string>();
    const writes: TxWrite[] = [];
    for (let i = 0; i < 1000; i++) {
      const recipient = recipients[i % recipients.length] as Persona;
      const id = ulid();
      ours.add(id);
      const [notification] = notificationWrites({
        id,
        recipientId: recipient.id,
        type: 'message.new',
        actorId: ulid(),
        actorName: 'Sam Panne',
        at: new Date().toISOString(),
        data: { conversationId: ulid() },
      });
      writes.push(
        notification as TxWrite,
        queueTaskWrite(
          { id, kind: NOTIFICATION_EMAIL_TASK, payload: { recipientId: recipient.id, notificationId: id } },
          new Date(clock),
        ),
      );
    }
    await putAll(writes);

    // 30% of SES calls fail before they leave (a seeded generator: the same run every time);
    // the requests that do leave are recorded (aws-ses-v2-local drops custom headers).
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let failures = 0;
    const outgoing: { headers: { Name?: string; Value?: string }[] }[] = [];
    addSesMiddleware('fault-injection', (next) => async (args) => {
      if (random() < 0.3) {
        failures++;
        throw Object.assign(new Error('Injected SES failure'), { name: 'ServiceUnavailable' });
      }
      const input = args.input as {
        Content?: { Simple?: { Headers?: { Name?: string; Value?: string }[] } };
      };
      outgoing.push({ headers: input.Content?.Simple?.Headers ?? [] });
      return next(args);
    });

    const only = (t: Task) => ours.has(t.id);
    const queued = async () => {
      let n = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await queryPage({ partition: 'TASKS', limit: 500, startKey, consistent: true });
        n += page.items.filter((i) => ours.has(String(i.id))).length;
        startKey = page.lastKey;
      } while (startKey);
      return n;
    };
    for (let round = 0; round < 40; round++) {
      await runTasks({ budgetMs: 120_000, only }, deps);
      // Tasks whose 8 attempts all failed wait aside: replayed, as an operator would.
      const replayed = await replayFailedTasks(deps, only);
      if (replayed === 0 && (await queued()) === 0) break;
      clock += 3600 * 1000; // past any backoff
    }

    const store = (await (await fetch(`${inject('sesUrl')}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    const counts = new Map<string, number>(recipients.map((r) => [r.email, 0]));
    for (const mail of store.emails)
      for (const to of mail.destination.to) if (counts.has(to)) counts.set(to, (counts.get(to) ?? 0) + 1);
    expect(failures).toBeGreaterThan(200);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    // 1,000 / 50 recipients: exactly 20 each — nothing lost, nothing twice.
    expect(new Set(counts.values())).toEqual(new Set([20]));
    expect(outgoing).toHaveLength(1000);
    for (const request of outgoing.slice(0, 50)) {
      const headers = Object.fromEntries(request.headers.map((h) => [h.Name, h.Value]));
      expect(headers['List-Unsubscribe']).toMatch(/^<http.*\/api\/unsubscribe\?token=[A-Za-z0-9_-]+>$/);
      expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    }
  }, 300_000);
});
