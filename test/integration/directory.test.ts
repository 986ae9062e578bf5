import { describe, expect, it } from 'vitest';
import { api, DEMO, newMember, PARIS, signIn } from '../support/api.ts';

interface Page {
  items: { id: string; firstName: string; lastName: string; membership: string }[];
  cursor: string | null;
}

describe('directory (« annuaire ») and profiles of others', () => {
  it('applies a lowered visibility at once: gone from the directory and the profile, still seen by the secretary', async () => {
    const lastName = `Visibilité${Date.now().toString(36).replace(/\d/g, '')}`;
    const member = await newMember({ lastName });
    const { token: sec } = await signIn(DEMO.secretaire.email);
    await api(`/api/sections/${PARIS}/members/${member.id}/confirm`, { method: 'POST', token: sec });
    await api('/api/me', {
      method: 'PUT',
      token: member.token,
      body: { firstName: 'Jeanne', lastName, visibility: 'adherents' },
    });

    const { token: leo } = await signIn(DEMO.mjs.email);
    const found = await api<Page>(`/api/directory?q=${encodeURIComponent(lastName.slice(0, 8))}`, {
      token: leo,
    });
    expect(found.body.items.map((m) => m.id)).toContain(member.id);
    expect((await api(`/api/members/${member.id}`, { token: leo })).status).toBe(200);

    await api('/api/me', {
      method: 'PUT',
      token: member.token,
      body: { firstName: 'Jeanne', lastName, visibility: 'section' },
    });
    const after = await api<Page>(`/api/directory?q=${encodeURIComponent(lastName.slice(0, 8))}`, {
      token: leo,
    });
    expect(after.body.items.map((m) => m.id)).not.toContain(member.id);
    const hidden = await api(`/api/members/${member.id}`, { token: leo });
    const unknown = await api('/api/members/01KC0DEM000000000000099999', { token: leo });
    expect(hidden.status).toBe(404);
    // The same answer as for an id that does not exist: nothing reveals the hidden member.
    expect(hidden.body).toEqual(unknown.body);
    expect((await api(`/api/members/${member.id}`, { token: sec })).status).toBe(200);
  });

  it('folds accents and case, and lists sympathisants at `all` for the adherents circle', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    const res = await api<Page>('/api/directory?q=INES', { token });
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ id: DEMO.sympathisante.id, firstName: 'Inès', membership: 'sympathisant' }),
    );
  });

  it('shows a sympathisant only the members at `all`', async () => {
    const { token } = await signIn(DEMO.sympathisante.email);
    const paris = await api<Page>(`/api/directory?section=${PARIS}&q=durand`, { token });
    // Sophie (secretary, `all`) is listed; Camille (`adherents`) and Paul (`section`) are not.
    expect(paris.body.items.map((m) => m.id)).toContain(DEMO.secretaire.id);
    const everyone = await api<Page>(`/api/directory?section=${PARIS}&q=martin`, { token });
    expect(everyone.body.items.map((m) => m.id)).not.toContain(DEMO.adherente.id);
    const l = await api<Page>(`/api/directory?section=${PARIS}&q=lefevre`, { token });
    expect(l.body.items.map((m) => m.id)).not.toContain(DEMO.discret.id);
  });

  it('never lists the viewer themself nor a section-level member', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    // Other test files add members to Paris: page through all of it.
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await api<Page>(
        `/api/directory?section=${PARIS}${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      ids.push(...page.body.items.map((m) => m.id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(ids).not.toContain(DEMO.adherente.id);
    expect(ids).not.toContain(DEMO.discret.id);
    expect(ids).toContain(DEMO.secretaire.id);
  });

  it('refuses a search with neither a name nor a section, a forged cursor and a malformed id', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    expect((await api('/api/directory', { token })).status).toBe(400);
    const forged = Buffer.from(
      JSON.stringify({ pk: 'MEMBER#x', sk: 'CONTACT', gsi1pk: 'DIR#a', gsi1sk: 'a' }),
    ).toString('base64url');
    expect((await api(`/api/directory?q=m&cursor=${forged}`, { token })).status).toBe(400);
    expect((await api('/api/members/not-an-id', { token })).status).toBe(400);
  });

  it('tells a coopain why they see a profile', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    const leo = await api<{ member: { relation: string | null } }>(`/api/members/${DEMO.mjs.id}`, { token });
    expect(leo.body.member.relation).toBe('coopain');
    const sophie = await api<{ member: Record<string, unknown> }>(`/api/members/${DEMO.secretaire.id}`, {
      token,
    });
    expect(sophie.body.member).toMatchObject({
      relation: null,
      mandates: [{ office: 'Conseillère de Paris' }],
    });
    expect(sophie.body.member).not.toHaveProperty('visibility');
  });
});
