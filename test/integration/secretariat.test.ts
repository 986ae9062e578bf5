import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, inject, it } from 'vitest';
import { api, DEMO, newMember, PARIS, signIn } from '../support/api.ts';

const LYON = '01KC0SEC000000000000000003';

interface RosterPage {
  items: {
    id: string;
    membership: { claimed: string; confirmed: boolean };
    contact: unknown;
    mandates: { id: string; verified: boolean }[];
  }[];
  cursor: string | null;
  commitmentRequired: boolean;
}

async function groupsOf(email: string): Promise<string[]> {
  const cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-3',
    endpoint: inject('cognitoUrl'),
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  // cognito-local lists groups by the internal user name: resolve it through a sign-in token's sub.
  const { token } = await signIn(
    email,
    email.startsWith('membre.') ? 'motdepasse-2026' : inject('demoPassword'),
  );
  const sub = JSON.parse(Buffer.from(String(token.split('.')[1]), 'base64url').toString()).sub as string;
  const out = await cognito.send(
    new AdminListGroupsForUserCommand({ UserPoolId: inject('userPoolId'), Username: sub }),
  );
  return (out.Groups ?? []).map((g) => String(g.GroupName)).sort();
}

/** Every pending claim of Paris (other test files add many: follow the cursor). */
async function pendingIds(token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: RosterPage } = await api<RosterPage>(
      `/api/sections/${PARIS}/members?pending=true${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    ids.push(...page.body.items.map((m) => m.id));
    cursor = page.body.cursor;
  } while (cursor);
  return ids;
}

async function secretary(): Promise<string> {
  const { token } = await signIn(DEMO.secretaire.email);
  await api('/api/me/confidentiality-commitment', { token, body: { accepted: true } });
  return token;
}

describe('secretariat: confirming members, roster, mandates, roles', () => {
  it('confirms an adherent claim: the member joins the adherents circle and the Cognito groups follow', async () => {
    const member = await newMember();
    expect(await groupsOf(member.email)).toEqual(['sympathisants']);
    expect(await pendingIds(await secretary())).toContain(member.id);

    const res = await api(`/api/sections/${PARIS}/members/${member.id}/confirm`, {
      method: 'POST',
      token: await secretary(),
    });
    expect(res.status).toBe(200);
    const me = await api<{ member: { membership: { confirmed: boolean } } }>('/api/me', {
      token: member.token,
    });
    expect(me.body.member.membership.confirmed).toBe(true);
    expect(await groupsOf(member.email)).toEqual(['adherents']);
    expect(await pendingIds(await secretary())).not.toContain(member.id);
  });

  it('declines a claim: the member stays a sympathisant of the section', async () => {
    const member = await newMember();
    const res = await api<{ member: { membership: { claimed: string } } }>(
      `/api/sections/${PARIS}/members/${member.id}/decline`,
      {
        method: 'POST',
        token: await secretary(),
      },
    );
    expect(res.body.member.membership.claimed).toBe('sympathisant');
  });

  it('refuses the roster and confirmations to anyone but the section secretary or an admin, with a 404', async () => {
    const member = await newMember();
    const { token: adherente } = await signIn(DEMO.adherente.email);
    expect((await api(`/api/sections/${PARIS}/members`, { token: adherente })).status).toBe(404);
    expect(
      (await api(`/api/sections/${PARIS}/members/${member.id}/confirm`, { method: 'POST', token: adherente }))
        .status,
    ).toBe(404);
    expect((await api(`/api/sections/${LYON}/members`, { token: await secretary() })).status).toBe(404);
    const { token: admin } = await signIn(DEMO.admin.email);
    const asAdmin = await api<RosterPage>(`/api/sections/${PARIS}/members`, { token: admin });
    expect(asAdmin.status).toBe(200);
    // Admins run sections but never see contact details (charter §1).
    expect(asAdmin.body.items.every((m) => m.contact === null)).toBe(true);
  });

  it('shows contact details in the roster only after the confidentiality commitment, and only of confirmed PS adherents', async () => {
    const fresh = await newMember();
    // A brand-new secretary of Lyon, who has not accepted the commitment yet.
    const { token: admin } = await signIn(DEMO.admin.email);
    await api(`/api/admin/members/${fresh.id}/roles`, {
      method: 'PUT',
      token: admin,
      body: { secretaryOf: [LYON], coopilote: false, admin: false },
    });
    const { token } = await signIn(fresh.email, 'motdepasse-2026');
    const before = await api<RosterPage>(`/api/sections/${LYON}/members?contacts=true`, { token });
    expect(before.body.commitmentRequired).toBe(true);
    expect(before.body.items.every((m) => m.contact === null)).toBe(true);
    expect(
      (await api('/api/me/confidentiality-commitment', { token, body: { accepted: true } })).status,
    ).toBe(200);
    const after = await api<RosterPage>(`/api/sections/${LYON}/members?contacts=true`, { token });
    expect(after.body.commitmentRequired).toBe(false);
    const withContact = after.body.items.filter((m) => m.contact !== null);
    expect(withContact.length).toBeGreaterThan(0);
    expect(withContact.every((m) => m.membership.claimed === 'adherent' && m.membership.confirmed)).toBe(
      true,
    );
    expect(await groupsOf(fresh.email)).toEqual(['secretaires', 'sympathisants']);
  });

  it('refuses the commitment to a member who is not a secretary', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    expect(
      (await api('/api/me/confidentiality-commitment', { token, body: { accepted: true } })).status,
    ).toBe(403);
  });

  it('shows a mandate on the profile once the secretary verifies it, and hides it once expired', async () => {
    const member = await newMember();
    const current = await api<{ mandate: { id: string } }>('/api/me/mandates', {
      token: member.token,
      body: { office: 'Maire adjointe', territory: 'Paris 11e', startDate: '2020-07-01' },
    });
    const expired = await api<{ mandate: { id: string } }>('/api/me/mandates', {
      token: member.token,
      body: {
        office: 'Conseillère régionale',
        territory: 'Île-de-France',
        startDate: '2015-12-13',
        endDate: '2021-06-27',
      },
    });
    const { token: camille } = await signIn(DEMO.adherente.email);
    const sec = await secretary();
    // Camille cannot vouch for a member of her own section: she is not the secretary.
    expect(
      (
        await api(`/api/members/${member.id}/mandates/${current.body.mandate.id}/verify`, {
          method: 'POST',
          token: camille,
        })
      ).status,
    ).toBe(404);
    for (const m of [current, expired]) {
      expect(
        (
          await api(`/api/members/${member.id}/mandates/${m.body.mandate.id}/verify`, {
            method: 'POST',
            token: sec,
          })
        ).status,
      ).toBe(200);
    }
    // Make the member visible to Camille's circle, then look at the public profile.
    await api(`/api/sections/${PARIS}/members/${member.id}/confirm`, { method: 'POST', token: sec });
    await api('/api/me', {
      method: 'PUT',
      token: member.token,
      body: { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'adherents' },
    });
    const profile = await api<{ member: { mandates: { office: string }[] } }>(`/api/members/${member.id}`, {
      token: camille,
    });
    expect(profile.body.member.mandates.map((m) => m.office)).toEqual(['Maire adjointe']);
  });

  it('sends an adherent who changes section back to pending confirmation', async () => {
    const member = await newMember();
    await api(`/api/sections/${PARIS}/members/${member.id}/confirm`, {
      method: 'POST',
      token: await secretary(),
    });
    const moved = await api<{ member: { section: { name: string }; membership: { confirmed: boolean } } }>(
      '/api/me/section',
      {
        method: 'PUT',
        token: member.token,
        body: { sectionId: LYON },
      },
    );
    expect(moved.status).toBe(200);
    expect(moved.body.member).toMatchObject({
      section: { name: 'Lyon 7e' },
      membership: { confirmed: false },
    });
    expect(await groupsOf(member.email)).toEqual(['sympathisants']);
    expect(
      (await api('/api/me/section', { method: 'PUT', token: member.token, body: { sectionId: null } }))
        .status,
    ).toBe(400);
  });

  it('lets only admins set roles', async () => {
    const member = await newMember();
    const { token: camille } = await signIn(DEMO.adherente.email);
    const body = { secretaryOf: [PARIS], coopilote: true, admin: true };
    expect(
      (await api(`/api/admin/members/${member.id}/roles`, { method: 'PUT', token: camille, body })).status,
    ).toBe(403);
    const me = await api<{ member: { roles: { admin: boolean } } }>('/api/me', { token: member.token });
    expect(me.body.member.roles.admin).toBe(false);
  });
});
