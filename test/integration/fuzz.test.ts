import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { inputSchemasOf } from '../../shared/http/handler.ts';
import { type RouteDef, type RouteId, routes } from '../../shared/routes.ts';
import { type Hostile, hostileRequests } from '../support/fuzz-inputs.ts';
import { routeFixtures } from '../support/route-fixtures.ts';

/**
 * Issue 12, item 1: every route of the route table gets ≥ 100 generated hostile requests, derived
 * from its zod schemas and made by its legitimate actor (test/support/fuzz-inputs.ts). Each must be
 * refused with a 4xx and our error shape, write nothing to the table (the gateway's DynamoDB meter,
 * exact per request) and send no email (its SES meter). Reproduce a run with FUZZ_SEED=<seed>.
 */

const RUNS = 100;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const WRITE_OPS =
  /^(Put|PutItem|Update|UpdateItem|Delete|DeleteItem|TransactWrite|TransactWriteItems|BatchWrite|BatchWriteItem)$/;
const ROOT = path.resolve(import.meta.dirname, '../..');

/** A per-route seed from the run's seed: routes are reproducible one by one. */
function seedOf(routeId: string): number {
  let h = SEED;
  for (const c of routeId) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

function dynamoMeter(header: string | null): { ops: string[]; wcu: number } | null {
  if (!header) return null;
  const fields = Object.fromEntries(
    header.split(';').map((part) => part.trim().split('=') as [string, string]),
  );
  return { ops: fields.ops ? fields.ops.split(',').filter(Boolean) : [], wcu: Number(fields.wcu) };
}

const cases = new Map<string, { total: number; kinds: Set<string> }>();

async function send(route: RouteDef, h: Hostile, auth: { token?: string; cookie?: string }) {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (h.body !== undefined) headers['content-type'] = h.contentType ?? 'application/json';
  const res = await fetch(`${inject('baseUrl')}${h.path}`, { method: route.method, headers, body: h.body });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return {
    status: res.status,
    body,
    dynamo: dynamoMeter(res.headers.get('x-coopol-dynamodb')),
    ses: res.headers.get('x-coopol-ses'),
  };
}

describe('fuzz: every route refuses hostile input (4xx, our error shape, no write, no email)', () => {
  afterAll(() => {
    const rows = [...cases].map(
      ([id, c]) => `  ${id.padEnd(32)} ${String(c.total).padStart(4)} cases, ${c.kinds.size} kinds`,
    );
    console.log(`fuzz seed ${SEED} (FUZZ_SEED to replay): ${cases.size} routes\n${rows.join('\n')}`);
  });

  it.concurrent.each(routes.map((r) => [r.id, r] as const))(
    '%s',
    async (id, route: RouteDef) => {
      // The route's declared input: a forgotten schema (neither body, query nor `input: 'none'`) fails.
      await import(pathToFileURL(path.join(ROOT, route.handler)).href);
      const schemas = inputSchemasOf(id as RouteId);
      expect(schemas, `${route.handler} did not register its input`).toBeDefined();
      if (!schemas) return;
      expect(
        Boolean(schemas.body || schemas.query) !== schemas.none,
        `${id}: declare a body or query schema, or \`input: 'none'\` (and not both)`,
      ).toBe(true);

      const fixture = await routeFixtures[id as RouteId]();
      const arbitrary = hostileRequests(route, schemas, fixture);
      const stats = { total: 0, kinds: new Set<string>() };
      cases.set(id, stats);
      await fc.assert(
        fc.asyncProperty(arbitrary, async (h) => {
          stats.total++;
          stats.kinds.add(h.kind.replace(/ \(.*\)$/, ''));
          const res = await send(route, h, fixture);
          const what = `${h.kind}: ${route.method} ${h.path.slice(0, 200)} ${h.body?.slice(0, 200) ?? ''} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          expect(res.status, what).toBeGreaterThanOrEqual(400);
          expect(res.status, what).toBeLessThan(500);
          const error = (res.body as { error?: { code?: unknown; message?: unknown } }).error;
          expect(typeof error?.code, what).toBe('string');
          expect(typeof error?.message, what).toBe('string');
          expect(res.dynamo, `${what} (no DynamoDB meter)`).not.toBeNull();
          expect(
            res.dynamo?.ops.filter((op) => WRITE_OPS.test(op)),
            what,
          ).toEqual([]);
          expect(res.dynamo?.wcu, what).toBe(0);
          expect(res.ses, what).toBe('sends=0');
        }),
        { numRuns: RUNS, seed: seedOf(id), endOnFailure: true },
      );
      expect(stats.total).toBeGreaterThanOrEqual(RUNS);
    },
    180_000,
  );
});
