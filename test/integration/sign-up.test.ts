import { describe, expect, it } from 'vitest';
import {
  allItems,
  api,
  cognitoUserExists,
  getItem,
  mailsTo,
  memberItems,
  newMember,
  signIn,
  uniqueEmail,
  validSignUp,
  waitForMail,
} from '../support/api.ts';

describe('sign-up, confirmation and sessions (real cognito-local, DynamoDB Local, SES)', () => {
  it('registers a member who confirms with the emailed code, signs in and starts as a pending adherent', async () => {
    const email = uniqueEmail('camille');
    const res = await api('/api/auth/sign-up', { body: validSignUp(email) });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'confirmation_sent' });

    const mail = await waitForMail(email, /code de confirmation/);
    const code = /(\d{6})/.exec(mail.body.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);

    const beforeConfirm = await api('/api/auth/sign-in', { body: { email, password: 'motdepasse-2026' } });
    expect(beforeConfirm.status).toBe(403);
    expect(beforeConfirm.body).toMatchObject({ error: { code: 'auth.not_confirmed' } });

    expect((await api('/api/auth/confirm', { body: { email, code } })).status).toBe(200);
    const { token } = await signIn(email, 'motdepasse-2026');
    const me = await api<{ member: Record<string, unknown> }>('/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.member).toMatchObject({
      firstName: 'Jeanne',
      lastName: 'Dupont',
      membership: { claimed: 'adherent', confirmed: false },
      section: { name: 'Paris 11e' },
      visibility: 'section',
      state: 'active',
    });

    const items = await memberItems(String(me.body.member.id));
    const consent = items.find((i) => String(i.sk).startsWith('CONSENT#'));
    expect(consent).toMatchObject({ kind: 'charter', version: '2026-11', given: true });
    // Contact details live in their own item, never in the profile item (architecture rule 3).
    const profile = items.find((i) => i.sk === 'PROFILE');
    expect(profile).not.toHaveProperty('email');
    expect(items.find((i) => i.sk === 'CONTACT')).toMatchObject({ email });
  });

  it('refuses a malformed sign-up with 400 naming the field, and creates no Cognito user and no item', async () => {
    const email = uniqueEmail('malforme');
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'pas-une-adresse' }, 'email'],
      [{ password: 'court1' }, 'password'],
      [{ firstName: '' }, 'firstName'],
      [{ lastName: '<script>alert(1)</script>' }, 'lastName'],
      [{ membership: 'militant' }, 'membership'],
      [{ visibility: 'public' }, 'visibility'],
      [{ charterAccepted: false }, 'charterAccepted'],
      [{ sectionId: undefined }, 'sectionId'],
      [{ sectionId: '01KC0SEC000000000000009999' }, 'sectionId'],
      [{ visibility: 'all' }, 'consentVisibilityAll'],
      [{ isAdmin: true }, 'isAdmin'],
      [{ charterVersion: '1999-01' }, 'charterAccepted'],
    ];
    for (const [override, field] of cases) {
      const res = await api<{ error: { code: string; message: string; field: string } }>(
        '/api/auth/sign-up',
        { body: validSignUp(email, override) },
      );
      expect(res.status, JSON.stringify(override)).toBe(400);
      expect(res.body.error.field, JSON.stringify(override)).toBe(field);
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    expect(await cognitoUserExists(email)).toBe(false);
    // Nothing of this address anywhere in the table (other test files write beside this one, so a
    // count of the whole table would not tell).
    const traces = (await allItems()).filter((i) => {
      const text = JSON.stringify(i).toLowerCase();
      return text.includes(email.toLowerCase()) || text.includes('pas-une-adresse');
    });
    expect(traces).toEqual([]);
    expect(await mailsTo(email)).toEqual([]);
  });

  it('answers 400 to a body that is not JSON, and to no body at all', async () => {
    const notJson = await api('/api/auth/sign-up', { rawBody: '{"email": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ error: { code: 'request.invalid_json' } });
    const empty = await api('/api/auth/sign-up', { method: 'POST' });
    expect(empty.status).toBe(400);
  });

  it('gives the same answer for an address that already has an account, and tells its owner by email', async () => {
    const { email } = await newMember();
    const again = await api('/api/auth/sign-up', { body: validSignUp(email, { firstName: 'Intrus' }) });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ status: 'confirmation_sent' });
    await waitForMail(email, /existe déjà/);
    const names = (await allItems()).filter((i) => i.sk === 'PROFILE' && i.firstName === 'Intrus');
    expect(names).toEqual([]);
  });

  it('refuses a wrong confirmation code without saying whether the address exists', async () => {
    const email = uniqueEmail('code');
    await api('/api/auth/sign-up', { body: validSignUp(email) });
    const wrong = await api('/api/auth/confirm', { body: { email, code: '000000' } });
    const unknown = await api('/api/auth/confirm', {
      body: { email: uniqueEmail('inconnu'), code: '000000' },
    });
    const confirmed = await api('/api/auth/confirm', {
      body: { email: 'adherente@coopol.example', code: '000000' },
    });
    expect(confirmed.status).toBe(400);
    expect(confirmed.body).toEqual(unknown.body);
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('resends a code, with the same answer for an unknown address', async () => {
    const email = uniqueEmail('renvoi');
    await api('/api/auth/sign-up', { body: validSignUp(email) });
    await waitForMail(email, /code/);
    const resend = await api('/api/auth/resend-code', { body: { email } });
    const unknown = await api('/api/auth/resend-code', { body: { email: uniqueEmail('personne') } });
    expect(resend.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(resend.body).toEqual(unknown.body);
    await expect.poll(async () => (await mailsTo(email)).length).toBe(2);
  });

  it('records the explicit consent when a member chooses to be visible to all', async () => {
    const member = await newMember({
      visibility: 'all',
      consentVisibilityAll: true,
      membership: 'sympathisant',
      sectionId: undefined,
    });
    const consents = (await memberItems(member.id)).filter((i) => String(i.sk).startsWith('CONSENT#'));
    expect(consents.map((c) => c.kind).sort()).toEqual(['charter', 'visibility_all']);
  });

  it('refuses bad credentials with one message whatever was wrong', async () => {
    const wrongPassword = await api('/api/auth/sign-in', {
      body: { email: 'adherente@coopol.example', password: 'mauvais-mot-de-passe1' },
    });
    const unknown = await api('/api/auth/sign-in', {
      body: { email: uniqueEmail('fantome'), password: 'mauvais-mot-de-passe1' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknown.body);
  });

  it('keeps the refresh token in an HttpOnly cookie, refreshes with it, and revokes it on sign-out', async () => {
    const signInRes = await api<{ idToken: string }>('/api/auth/sign-in', {
      body: { email: 'adherente@coopol.example', password: 'coopol-demo-2026' },
    });
    const setCookie = signInRes.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^coopol_refresh=.+; HttpOnly; Secure; SameSite=Strict; Path=\/api\/auth/);
    expect(JSON.stringify(signInRes.body)).not.toContain('refresh');
    const cookie = setCookie.split(';')[0] ?? '';

    const refreshed = await api<{ idToken: string }>('/api/auth/refresh', { method: 'POST', cookie });
    expect(refreshed.status).toBe(200);
    expect((await api('/api/me', { token: refreshed.body.idToken })).status).toBe(200);

    const out = await api('/api/auth/sign-out', { method: 'POST', cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/coopol_refresh=; .*Max-Age=0/);
    const afterSignOut = await api('/api/auth/refresh', { method: 'POST', cookie });
    expect(afterSignOut.status).toBe(401);
    expect(afterSignOut.body).toMatchObject({ error: { code: 'auth.session_expired' } });
  });

  it('writes an email claim so confirmation finds the member', async () => {
    const { email, id } = await newMember();
    expect(await getItem(`EMAIL#${email}`, 'EMAIL')).toMatchObject({ memberId: id });
  });
});
