import { describe, expect, it } from 'vitest';
import { routes } from '../../shared/routes.ts';
import { api } from '../support/api.ts';
import { routeFixtures } from '../support/route-fixtures.ts';

/** Reads the local gateway's meter header: `calls=2; ops=GetItem,Query; rcu=1; wcu=0`. */
function meter(header: string | null): { calls: number; ops: string[]; rcu: number; wcu: number } {
  const fields = Object.fromEntries(
    (header ?? '').split(';').map((part) => part.trim().split('=') as [string, string]),
  );
  return {
    calls: Number(fields.calls),
    ops: fields.ops ? fields.ops.split(',').filter(Boolean) : [],
    rcu: Number(fields.rcu),
    wcu: Number(fields.wcu),
  };
}

describe('route walk: every route answers its legitimate actor within the round-trip budget', () => {
  it('has a fixture for every route in the table (and none for a route that does not exist)', () => {
    expect(Object.keys(routeFixtures).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it.each(routes.map((r) => [r.id, r] as const))('%s', async (id, route) => {
    const fixture = routeFixtures[id];
    const request = await fixture();
    expect(request.method).toBe(route.method);
    const res = await api(request.path, {
      method: request.method,
      body: request.body,
      token: request.token,
      cookie: request.cookie,
    });
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    const m = meter(res.headers.get('x-coopol-dynamodb'));
    expect(Number.isFinite(m.calls)).toBe(true);
    // The meter must see the table work a route declares (a silent meter would pass any budget).
    if (route.uses.some((u) => u.startsWith('table:'))) expect(m.calls).toBeGreaterThan(0);
    // The member-state check (profile + block lists, one BatchGet) comes first on every member route.
    if (route.auth === 'member') expect(m.ops[0]).toBe('BatchGetItem');
    // Architecture rule 4: reading one page or writing one object costs ≤ 3 round trips,
    // member-state check included; bulk routes are declared as such and counted per item.
    if (!('bulk' in route && route.bulk)) expect(m.calls, m.ops.join(',')).toBeLessThanOrEqual(3);
    expect(m.ops).not.toContain('Scan');
  });
});
