import { describe, expect, it } from 'vitest';
import { api, DEMO, getItem, memberItems, newMember, signIn } from '../support/api.ts';

const visible = { visibility: 'all', consentVisibilityAll: true };

interface Cards {
  items: { id: string }[];
}
interface Invitations {
  received: { from: { id: string } }[];
  sent: { to: { id: string } }[];
}

async function pair() {
  const [a, b] = await Promise.all([newMember(visible), newMember(visible)]);
  return { a, b };
}

describe('coopains and blocking', () => {
  it('invites, notifies, accepts both ways at once, and removes', async () => {
    const { a, b } = await pair();
    expect((await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token })).status).toBe(
      201,
    );
    expect(
      (await api<Invitations>('/api/me/invitations', { token: b.token })).body.received.map((i) => i.from.id),
    ).toEqual([a.id]);
    expect(
      (await api<Invitations>('/api/me/invitations', { token: a.token })).body.sent.map((i) => i.to.id),
    ).toEqual([b.id]);
    const notifications = (await memberItems(b.id)).filter((i) => String(i.sk).startsWith('NOTIF#'));
    expect(notifications).toEqual([
      expect.objectContaining({ kind: 'coopain.invitation', actorId: a.id, read: false }),
    ]);

    const again = await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'coopain.pending' } } });
    const reverse = await api(`/api/members/${a.id}/invitation`, { method: 'POST', token: b.token });
    expect(reverse).toMatchObject({ status: 409, body: { error: { code: 'coopain.invited_you' } } });

    expect((await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token })).status).toBe(
      204,
    );
    expect((await api<Cards>('/api/me/coopains', { token: a.token })).body.items.map((c) => c.id)).toEqual([
      b.id,
    ]);
    expect((await api<Cards>('/api/me/coopains', { token: b.token })).body.items.map((c) => c.id)).toEqual([
      a.id,
    ]);
    expect((await api<Invitations>('/api/me/invitations', { token: b.token })).body.received).toEqual([]);
    // The coopain sets read with each member on every request follow the links (G6).
    const coopainSet = async (id: string) => [
      ...(((await getItem(`MEMBER#${id}`, 'COOPAINSET'))?.ids as Set<string> | undefined) ?? []),
    ];
    expect(await coopainSet(a.id)).toEqual([b.id]);
    expect(await coopainSet(b.id)).toEqual([a.id]);

    expect((await api(`/api/me/coopains/${a.id}`, { method: 'DELETE', token: b.token })).status).toBe(204);
    expect((await api<Cards>('/api/me/coopains', { token: a.token })).body.items).toEqual([]);
    expect(await coopainSet(a.id)).toEqual([]);
    expect(await coopainSet(b.id)).toEqual([]);
  });

  it('refuses and cancels invitations', async () => {
    const { a, b } = await pair();
    await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    expect((await api(`/api/me/invitations/${a.id}/refuse`, { method: 'POST', token: b.token })).status).toBe(
      204,
    );
    expect((await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token })).status).toBe(
      404,
    );
    await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    expect((await api(`/api/members/${b.id}/invitation`, { method: 'DELETE', token: a.token })).status).toBe(
      204,
    );
    expect((await api<Invitations>('/api/me/invitations', { token: b.token })).body.received).toEqual([]);
  });

  it('lets no member at `section` visibility make coopains, and never reveals a hidden member', async () => {
    const hidden = await newMember();
    const { token: camille } = await signIn(DEMO.adherente.email);
    const toHidden = await api(`/api/members/${hidden.id}/invitation`, { method: 'POST', token: camille });
    const toNobody = await api('/api/members/01KC0DEM000000000000099998/invitation', {
      method: 'POST',
      token: camille,
    });
    expect(toHidden.status).toBe(404);
    expect(toHidden.body).toEqual(toNobody.body);
    const fromHidden = await api(`/api/members/${DEMO.secretaire.id}/invitation`, {
      method: 'POST',
      token: hidden.token,
    });
    expect(fromHidden).toMatchObject({
      status: 403,
      body: { error: { code: 'coopain.visibility_too_low' } },
    });
  });

  it('keeps the invitation of a member who chose `section` without effect: not listed, not accepted, until they show again', async () => {
    const { a, b } = await pair();
    expect((await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token })).status).toBe(
      201,
    );
    const me = await api<{ member: { firstName: string; lastName: string } }>('/api/me', { token: a.token });
    const setVisibility = (visibility: string) =>
      api('/api/me', {
        method: 'PUT',
        token: a.token,
        body: {
          firstName: me.body.member.firstName,
          lastName: me.body.member.lastName,
          visibility,
          ...(visibility === 'all' ? { consentVisibilityAll: true } : {}),
        },
      });
    expect((await setVisibility('section')).status).toBe(200);

    const hidden = await api<Invitations>('/api/me/invitations', { token: b.token });
    expect(hidden.body.received).toEqual([]);
    expect(JSON.stringify(hidden.body)).not.toContain(a.id);
    const accepted = await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token });
    expect(accepted).toMatchObject({ status: 404, body: { error: { code: 'coopain.no_invitation' } } });
    expect((await memberItems(b.id)).filter((i) => String(i.sk).startsWith('COOPAIN#'))).toEqual([]);

    expect((await setVisibility('all')).status).toBe(200);
    const shown = await api<Invitations>('/api/me/invitations', { token: b.token });
    expect(shown.body.received.map((i) => i.from.id)).toEqual([a.id]);
    expect((await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token })).status).toBe(
      204,
    );
  });

  it('blocks: the link and invitations go at once, each is hidden from the other, and nothing says why', async () => {
    const { a, b } = await pair();
    await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token });
    await api(`/api/members/${a.id}/invitation`, { method: 'POST', token: b.token });

    expect((await api(`/api/me/blocks/${a.id}`, { method: 'PUT', token: b.token })).status).toBe(204);
    expect((await api<Cards>('/api/me/coopains', { token: a.token })).body.items).toEqual([]);
    expect((await api<Cards>('/api/me/blocks', { token: b.token })).body.items.map((c) => c.id)).toEqual([
      a.id,
    ]);
    // The blocked member sees the blocker as if they did not exist…
    const profile = await api(`/api/members/${b.id}`, { token: a.token });
    const unknown = await api('/api/members/01KC0DEM000000000000099997', { token: a.token });
    expect(profile.status).toBe(404);
    expect(profile.body).toEqual(unknown.body);
    const invite = await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    expect(invite.status).toBe(404);
    expect(invite.body).toEqual(
      (await api('/api/members/01KC0DEM000000000000099997/invitation', { method: 'POST', token: a.token }))
        .body,
    );
    // …and the blocker no longer sees them either.
    expect((await api(`/api/members/${a.id}`, { token: b.token })).status).toBe(404);
    // A's list of blocks does not reveal B's block.
    expect((await api<Cards>('/api/me/blocks', { token: a.token })).body.items).toEqual([]);

    // Unblocking restores nothing.
    expect((await api(`/api/me/blocks/${a.id}`, { method: 'DELETE', token: b.token })).status).toBe(204);
    expect((await api(`/api/members/${b.id}`, { token: a.token })).status).toBe(200);
    expect((await api<Cards>('/api/me/coopains', { token: a.token })).body.items).toEqual([]);
  });

  it('answers a block of an unknown id like any other block', async () => {
    const { token } = await signIn(DEMO.adherente.email);
    expect((await api('/api/me/blocks/01KC0DEM000000000000099996', { method: 'PUT', token })).status).toBe(
      204,
    );
  });

  it('limits invitations per member and day, with Retry-After (the test stack sets the limit to 5)', async () => {
    const inviter = await newMember(visible);
    const targets = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newMember(visible)));
    for (const t of targets.slice(0, 5)) {
      expect(
        (await api(`/api/members/${t.id}/invitation`, { method: 'POST', token: inviter.token })).status,
      ).toBe(201);
    }
    const sixth = await api(`/api/members/${targets[5]?.id}/invitation`, {
      method: 'POST',
      token: inviter.token,
    });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sixth.body).toMatchObject({ error: { code: 'coopain.rate_limited' } });
    // The refused invitation wrote nothing.
    const invitations = await api<Invitations>('/api/me/invitations', { token: inviter.token });
    expect(invitations.body.sent).toHaveLength(5);
  });
});
