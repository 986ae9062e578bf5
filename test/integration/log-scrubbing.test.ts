import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { api, validSignUp } from '../support/api.ts';
import {
  acceptCommitment,
  letters,
  PERSONA_PASSWORD,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Log scrubbing (issue 12, item 4): a member with distinctive contact details goes through the
 * flows that touch them and their credentials — sign-in (right and wrong password), sign-up and
 * code resend on a taken address, a forged token, reading and changing their contact details, their
 * secretary reading them, a session refresh and sign-out, a calendar feed — then the local stack's
 * whole log (every line from INFO up, of every test file run so far) is read: none of the values,
 * and none of the tokens, may be in it.
 */

const tag = letters(8).toLowerCase();
const EMAIL = `journal.${tag}@fuite-logs.example`;
const PHONE = '06 98 12 34 57';
const NEW_PHONE = '07 41 52 63 74';
const ADDRESS = `7 impasse des Journaux ${tag}, 75020 Paris`;

describe('log scrubbing', () => {
  it('keeps contact details and tokens out of the logs', async () => {
    const { section, secretary } = await sectionWithSecretary();
    await acceptCommitment(secretary);
    const seeded = await seedPersonas([
      {
        key: 'member',
        firstName: 'Josette',
        lastName: `Zj${tag}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
        email: EMAIL,
        phone: PHONE,
        postalAddress: ADDRESS,
        signsIn: true,
      },
    ]);
    const member = persona(seeded, 'member');
    const token = tokenOf(member);
    const secrets: string[] = [token, member.cookie?.split('=')[1] ?? ''];

    // Credentials: a wrong password, a good one, a forged token, a refresh, a sign-out.
    expect(
      (await api('/api/auth/sign-in', { body: { email: EMAIL, password: 'mauvais-mot-de-passe-1' } })).status,
    ).toBe(401);
    const again = await api<{ idToken: string }>('/api/auth/sign-in', {
      body: { email: EMAIL, password: PERSONA_PASSWORD },
    });
    expect(again.status).toBe(200);
    secrets.push(again.body.idToken);
    const cookie = (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    secrets.push(cookie.split('=')[1] ?? '');
    expect((await api('/api/me', { method: 'GET', token: `${token.slice(0, -4)}AAAA` })).status).toBe(401);
    const refreshed = await api<{ idToken: string }>('/api/auth/refresh', { method: 'POST', cookie });
    expect(refreshed.status).toBe(200);
    secrets.push(refreshed.body.idToken);

    // The address taken: a sign-up and a code resend answer neutrally.
    await api('/api/auth/sign-up', { body: validSignUp(EMAIL) });
    await api('/api/auth/resend-code', { body: { email: EMAIL } });

    // Contact details: read, changed (one bad value refused), read by the secretary.
    expect((await api('/api/me/contact', { method: 'GET', token })).status).toBe(200);
    expect(
      (await api('/api/me/contact', { method: 'PUT', token, body: { phone: `${PHONE} poste 12 ${EMAIL}` } }))
        .status,
    ).toBe(400);
    expect(
      (
        await api('/api/me/contact', {
          method: 'PUT',
          token,
          body: { phone: NEW_PHONE, postalAddress: ADDRESS },
        })
      ).status,
    ).toBe(200);
    const read = await api(`/api/members/${member.id}/contact`, { method: 'GET', token: tokenOf(secretary) });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).toContain(tag);

    // A calendar feed: its URL carries a secret token.
    const calendar = await api<{ url: string }>('/api/me/calendar', { method: 'POST', token });
    expect(calendar.status).toBe(201);
    const feedPath = new URL(calendar.body.url).pathname;
    secrets.push(feedPath.split('/').at(-1) ?? '');
    expect((await fetch(`${inject('baseUrl')}${feedPath}`)).status).toBe(200);
    // A wrong token: refused (a malformed one is bad input, 400; a well-formed wrong one, 404).
    const wrong = await fetch(`${inject('baseUrl')}${feedPath}x`);
    expect([400, 404]).toContain(wrong.status);

    expect((await api('/api/auth/sign-out', { method: 'POST', cookie })).status).toBeLessThan(300);

    // The stack writes its log as it goes; give the last lines a moment.
    await new Promise((r) => setTimeout(r, 1500));
    const log = await readFile(inject('stackLog'), 'utf8');
    // The file is the real log: the background jobs of this very run wrote to it.
    expect(log).toMatch(/"service":"coopol"/);
    const lower = log.toLowerCase();
    const squeezed = log.replace(/[\s.-]+/g, '');
    expect(lower).not.toContain(EMAIL);
    expect(lower).not.toContain(`journal.${tag}`);
    expect(lower).not.toContain('fuite-logs');
    expect(lower).not.toContain('impasse des journaux');
    for (const phone of [PHONE, NEW_PHONE])
      expect(squeezed).not.toContain(phone.replace(/\D+/g, '').slice(1));
    for (const secret of secrets.filter((s) => s.length > 8)) expect(log).not.toContain(secret);
    // No token of any kind at all, whoever it belongs to (an ID token starts with a JSON header).
    expect(log).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
  });
});
