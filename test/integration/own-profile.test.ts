import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, inject, it } from 'vitest';
import { api, DEMO, memberItems, newMember, setState, signIn, uniqueEmail } from '../support/api.ts';

interface Profile {
  member: Record<string, unknown>;
}

describe('my profile and my contact details', () => {
  it('shows my profile without any contact detail in it', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    const me = await api<Profile>('/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.member).toMatchObject({
      id: DEMO.adherente.id,
      firstName: 'Camille',
      section: { name: 'Paris 11e' },
    });
    const serialized = JSON.stringify(me.body);
    expect(serialized).not.toContain('@');
    expect(serialized).not.toMatch(/phone|postalAddress|06 12/);
  });

  it('edits display fields and visibility, and keeps them', async () => {
    const member = await newMember();
    const put = await api<Profile>('/api/me', {
      method: 'PUT',
      token: member.token,
      body: {
        firstName: 'Jeanne-Marie',
        lastName: 'Dupont',
        bio: 'Militante depuis 2012.\nSyndicaliste.',
        visibility: 'adherents',
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.member).toMatchObject({
      firstName: 'Jeanne-Marie',
      bio: 'Militante depuis 2012.\nSyndicaliste.',
      visibility: 'adherents',
    });
    const again = await api<Profile>('/api/me', { token: member.token });
    expect(again.body.member).toMatchObject({ firstName: 'Jeanne-Marie', visibility: 'adherents' });
  });

  it('refuses bad profile input with 400 and changes nothing', async () => {
    const member = await newMember();
    const before = await memberItems(member.id);
    for (const body of [
      { firstName: '', lastName: 'Dupont', visibility: 'section' },
      { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'everyone' },
      { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'section', state: 'active' },
      { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'section', bio: 'x'.repeat(1001) },
      { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'section', bio: 'abc\u202Eevil' },
      { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'all' },
    ]) {
      const res = await api('/api/me', { method: 'PUT', token: member.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await memberItems(member.id)).toEqual(before);
  });

  it('records consent when I become visible to all, and its withdrawal when I leave', async () => {
    const member = await newMember();
    const base = { firstName: 'Jeanne', lastName: 'Dupont' };
    expect(
      (
        await api('/api/me', {
          method: 'PUT',
          token: member.token,
          body: { ...base, visibility: 'all', consentVisibilityAll: true },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api('/api/me', { method: 'PUT', token: member.token, body: { ...base, visibility: 'section' } }))
        .status,
    ).toBe(200);
    const consents = (await memberItems(member.id)).filter((i) => i.kind === 'visibility_all');
    expect(consents.map((c) => c.given)).toEqual([true, false]);
  });

  it('reads and edits my contact details', async () => {
    const member = await newMember();
    const initial = await api<{ contact: Record<string, unknown> }>('/api/me/contact', {
      token: member.token,
    });
    expect(initial.body.contact).toEqual({ email: member.email, phone: null, postalAddress: null });
    const put = await api<{ contact: Record<string, unknown> }>('/api/me/contact', {
      method: 'PUT',
      token: member.token,
      body: { phone: '+33 6 12 34 56 78', postalAddress: '12 rue Oberkampf\n75011 Paris' },
    });
    expect(put.status).toBe(200);
    expect(put.body.contact).toEqual({
      email: member.email,
      phone: '+33 6 12 34 56 78',
      postalAddress: '12 rue Oberkampf\n75011 Paris',
    });
    const bad = await api('/api/me/contact', {
      method: 'PUT',
      token: member.token,
      body: { phone: 'appelez-moi', postalAddress: null },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { field: 'phone' } });
  });

  it('refuses a request without a token, or with a forged one', async () => {
    expect((await api('/api/me')).status).toBe(401);
    const { token } = await signIn(DEMO.adherente.email);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(String(payload), 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, 'custom:member_id': DEMO.secretaire.id })).toString('base64url')}.${signature}`;
    expect((await api('/api/me', { token: forged })).status).toBe(401);
  });

  it('refuses a token whose member id was claimed by another Cognito user (sign-up through the public client)', async () => {
    // The attacker calls Cognito directly with the public client id, naming the secretary's member id.
    const cognito = new CognitoIdentityProviderClient({
      region: 'eu-west-3',
      endpoint: inject('cognitoUrl'),
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const email = uniqueEmail('usurpateur');
    await cognito.send(
      new SignUpCommand({
        ClientId: inject('clientId'),
        Username: email,
        Password: 'motdepasse-2026',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'custom:member_id', Value: DEMO.secretaire.id },
        ],
      }),
    );
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: inject('userPoolId'), Username: email }));
    const { token } = await signIn(email, 'motdepasse-2026');
    expect((await api('/api/me', { token })).status).toBe(401);
    expect((await api('/api/me/contact', { token })).status).toBe(401);
  });

  it('lets a suspended member with a valid token read the decision, and nothing else', async () => {
    const member = await newMember();
    await setState(member.id, 'suspended', '2099-01-01T00:00:00.000Z');
    const me = await api<Profile>('/api/me', { token: member.token });
    expect(me.status).toBe(200);
    expect(me.body.member).toMatchObject({ state: 'suspended', suspendedUntil: '2099-01-01T00:00:00.000Z' });
    const contact = await api('/api/me/contact', { token: member.token });
    expect(contact.status).toBe(403);
    expect(contact.body).toMatchObject({ error: { code: 'account.suspended' } });
    const put = await api('/api/me', {
      method: 'PUT',
      token: member.token,
      body: { firstName: 'X', lastName: 'Y', visibility: 'section' },
    });
    expect(put.status).toBe(403);
  });

  it('lets a member in again once a timed suspension has ended', async () => {
    const member = await newMember();
    await setState(member.id, 'suspended', '2020-01-01T00:00:00.000Z');
    expect((await api('/api/me/contact', { token: member.token })).status).toBe(200);
  });

  it('treats a deleted member as signed out even with a valid token', async () => {
    const member = await newMember();
    await setState(member.id, 'deleted');
    expect((await api('/api/me', { token: member.token })).status).toBe(401);
  });
});
