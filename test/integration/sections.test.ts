import { describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';

interface Page {
  items: { id: string; name: string; department: string }[];
  cursor: string | null;
}

describe('sections list', () => {
  it('lists sections by folded name prefix and by department', async () => {
    const byName = await api<Page>('/api/sections?q=POINTE-A');
    expect(byName.body.items.map((s) => s.name)).toEqual(['Pointe-à-Pitre']);
    const byDept = await api<Page>('/api/sections?q=2a');
    expect(byDept.body.items.map((s) => s.name)).toEqual(['Ajaccio']);
  });

  it('paginates with an opaque cursor and refuses a forged one', async () => {
    const first = await api<Page>('/api/sections?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.cursor).toBeTruthy();
    const second = await api<Page>(`/api/sections?limit=3&cursor=${first.body.cursor}`);
    expect(second.body.items[0]?.name).not.toBe(first.body.items[0]?.name);
    const forged = Buffer.from(
      JSON.stringify({ pk: 'MEMBER#x', sk: 'PROFILE', gsi1pk: 'X', gsi1sk: 'y' }),
    ).toString('base64url');
    expect((await api(`/api/sections?cursor=${forged}`)).status).toBe(400);
    expect((await api('/api/sections?cursor=%%%')).status).toBe(400);
  });

  it('refuses unknown query parameters', async () => {
    expect((await api('/api/sections?admin=1')).status).toBe(400);
  });

  it('answers the health check', async () => {
    expect(await api('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
