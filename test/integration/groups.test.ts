import { describe, expect, it } from 'vitest';
import { api, memberItems } from '../support/api.ts';
import {
  freshSection,
  letterCode,
  letters,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/** Groups through the real API (issue 5 item 5): joining, requests, admins, member lists, the group's posts. */

interface GroupView {
  id: string;
  memberCount: number;
  me: { status: string; role: string } | null;
}
interface Cards {
  items: { id: string; role: string }[];
}

const run = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Sacha',
  lastName: `Zz${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: sectionId,
  visibility: 'adherents',
  signsIn: true,
  ...extra,
});

describe('groups', () => {
  it('runs a group on request: ask, approve, post to its members, admins, and the last admin stays', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('creator', section.id),
      spec('asker', section.id),
      spec('reader', section.id),
      spec('sympathisant', section.id, { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
      spec('hidden', section.id, { visibility: 'section' }),
    ]);
    const p = (k: string) => persona(people, k);
    const as = (k: string) => tokenOf(p(k));

    const created = await api<GroupView>('/api/groups', {
      token: as('creator'),
      body: {
        name: `Écologie ${run}`,
        description: 'Transition et justice sociale',
        joinPolicy: 'request',
        visibility: 'adherents',
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { memberCount: 1, me: { status: 'active', role: 'admin' } },
    });
    const g = created.body.id;
    const base = `/api/groups/${g}`;

    // An `adherents` group does not exist for a sympathisant; a hidden member may not join.
    expect((await api(base, { token: as('sympathisant') })).status).toBe(404);
    expect((await api(`/api/groups?q=ecologie ${run}`, { token: as('sympathisant') })).body).toMatchObject({
      items: [],
    });
    expect((await api(`${base}/membership`, { method: 'POST', token: as('hidden') })).status).toBe(403);

    expect((await api(`${base}/membership`, { method: 'POST', token: as('asker') })).body).toEqual({
      status: 'pending',
    });
    expect((await memberItems(p('creator').id)).filter((i) => i.kind === 'group.request')).toHaveLength(1);
    const pending = await api<Cards>(`${base}/members?pending=true`, { token: as('creator') });
    expect(pending.body.items.map((c) => c.id)).toEqual([p('asker').id]);
    expect((await api(`${base}/members?pending=true`, { token: as('asker') })).status).toBe(403);
    expect(
      (await api(`${base}/members/${p('asker').id}/approve`, { method: 'POST', token: as('creator') }))
        .status,
    ).toBe(204);
    expect((await api<GroupView>(base, { token: as('asker') })).body).toMatchObject({
      memberCount: 2,
      me: { status: 'active' },
    });

    // A post to the group reaches its members' fil; a non-member sees nothing of it.
    const post = await api<{ id: string }>('/api/posts', {
      token: as('asker'),
      body: { audience: { kind: 'group', groupId: g }, body: 'Atelier vélo samedi' },
    });
    expect(post.status).toBe(201);
    const deadline = Date.now() + 15_000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      const fil = await api<{ items: { id: string }[] }>('/api/feed', { token: as('creator') });
      seen = fil.body.items.some((i) => i.id === post.body.id);
      if (!seen) await new Promise((r) => setTimeout(r, 300));
    }
    expect(seen).toBe(true);
    expect((await api<{ items: unknown[] }>(`${base}/posts`, { token: as('reader') })).body.items).toEqual(
      [],
    );
    expect((await api(`/api/posts/${post.body.id}`, { token: as('reader') })).status).toBe(404);
    // The group's admin removes the post.
    expect((await api(`/api/posts/${post.body.id}`, { method: 'DELETE', token: as('creator') })).status).toBe(
      204,
    );

    // The last admin cannot leave while others remain; after naming another admin they can.
    const leave = await api(`${base}/membership`, { method: 'DELETE', token: as('creator') });
    expect(leave).toMatchObject({ status: 409, body: { error: { code: 'group.last_admin' } } });
    expect(
      (
        await api(`${base}/members/${p('asker').id}/role`, {
          method: 'PUT',
          token: as('creator'),
          body: { admin: true },
        })
      ).status,
    ).toBe(204);
    expect((await api(`${base}/membership`, { method: 'DELETE', token: as('creator') })).status).toBe(204);
    const members = await api<Cards>(`${base}/members`, { token: as('asker') });
    expect(members.body.items).toEqual([expect.objectContaining({ id: p('asker').id, role: 'admin' })]);
  });

  it('lists only members the viewer may see, joins an open group at once, and lets an admin remove a member', async () => {
    const section = await freshSection();
    const people = await seedPersonas([
      spec('admin', section.id, { visibility: 'all' }),
      spec('adherent', section.id),
      spec('sympathisant', section.id, { membership: 'sympathisant', confirmed: false, visibility: 'all' }),
    ]);
    const p = (k: string) => persona(people, k);
    const as = (k: string) => tokenOf(p(k));
    const g = (
      await api<GroupView>('/api/groups', {
        token: as('admin'),
        body: { name: `Quartier ${run}`, joinPolicy: 'open', visibility: 'all' },
      })
    ).body.id;
    const base = `/api/groups/${g}`;
    for (const k of ['adherent', 'sympathisant'])
      expect((await api(`${base}/membership`, { method: 'POST', token: as(k) })).body, k).toEqual({
        status: 'active',
      });
    // The sympathisant does not see the `adherents`-level member in the list; the adherent sees everyone.
    const seenBySympathisant = await api<Cards>(`${base}/members`, { token: as('sympathisant') });
    expect(seenBySympathisant.body.items.map((c) => c.id).sort()).toEqual(
      [p('admin').id, p('sympathisant').id].sort(),
    );
    const seenByAdherent = await api<Cards>(`${base}/members`, { token: as('adherent') });
    expect(seenByAdherent.body.items).toHaveLength(3);

    expect(
      (await api(`${base}/members/${p('sympathisant').id}`, { method: 'DELETE', token: as('adherent') }))
        .status,
    ).toBe(403);
    expect(
      (await api(`${base}/members/${p('sympathisant').id}`, { method: 'DELETE', token: as('admin') })).status,
    ).toBe(204);
    expect((await api<GroupView>(base, { token: as('admin') })).body.memberCount).toBe(2);
    const mine = await api<{ items: GroupView[] }>('/api/groups?mine=true', { token: as('adherent') });
    expect(mine.body.items.map((i) => i.id)).toEqual([g]);
  });
});
