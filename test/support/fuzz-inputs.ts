import fc from 'fast-check';
import type * as z from 'zod/mini';
import { TARGET_PATTERN } from '../../shared/data/moderation.ts';
import type { InputSchemas } from '../../shared/http/handler.ts';
import type { RouteDef } from '../../shared/routes.ts';
import type { FixtureRequest } from './route-fixtures.ts';

/**
 * Hostile inputs for the fuzzer (test/integration/fuzz.test.ts), derived from a route's zod/mini
 * schemas (walked through their `def`) and its valid fixture: each case changes one thing of a
 * valid request made by the legitimate actor, so that it reaches validation — and is invalid.
 */

type Schema = z.ZodMiniType;
interface Def {
  type: string;
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (d: Def): CheckDef[] =>
  ((d.checks as { _zod: { def: CheckDef } }[] | undefined) ?? []).map((c) => c._zod.def);

/** One hostile request: what it changed (for the report) and what is sent. */
export interface Hostile {
  kind: string;
  /** Path with its query string, ready for the gateway. */
  path: string;
  /** Raw body text, sent as is. */
  body?: string;
  contentType?: string;
}

type Key = string | number;

/** The schema under `optional`, `nullable`, `default`, `pipe` (its input side): where the shape is. */
function core(s: Schema): { schema: Schema; optional: boolean } {
  let schema = s;
  let optional = false;
  for (;;) {
    const d = defOf(schema);
    if (d.type === 'optional' || d.type === 'default') optional = true;
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default')
      schema = d.innerType as Schema;
    else if (d.type === 'pipe') schema = d.in as Schema;
    else return { schema, optional };
  }
}

/** Every check on a field, through its wrappers and both sides of its pipes. */
function allChecks(s: Schema): { types: Set<string>; checks: CheckDef[]; values: unknown[] } {
  const out = { types: new Set<string>(), checks: [] as CheckDef[], values: [] as unknown[] };
  const visit = (x: Schema): void => {
    const d = defOf(x);
    if (['optional', 'nullable', 'default'].includes(d.type)) {
      visit(d.innerType as Schema);
      return;
    }
    if (d.type === 'pipe') {
      visit(d.in as Schema);
      visit(d.out as Schema);
      return;
    }
    if (d.type === 'union') {
      for (const o of d.options as Schema[]) visit(o);
      return;
    }
    out.types.add(d.type);
    out.checks.push(...checksOf(d));
    if (d.type === 'string' && d.format)
      out.checks.push({ check: 'string_format', format: String(d.format) });
    if (d.type === 'enum') out.values.push(...Object.values(d.entries as Record<string, unknown>));
    if (d.type === 'literal') out.values.push(...(d.values as unknown[]));
  };
  visit(s);
  return out;
}

interface Field {
  path: Key[];
  schema: Schema;
  optional: boolean;
  present: boolean;
}

interface Walked {
  fields: Field[];
  /** Object nodes (for unknown and prototype-pollution keys). */
  objects: Key[][];
  /** Object schemas that accept unknown keys: every input object must be strict. */
  loose: string[];
}

/** The fields and object nodes of a schema, following the valid value through unions. */
export function walk(schema: Schema, value: unknown, path: Key[] = [], out?: Walked): Walked {
  const acc = out ?? { fields: [], objects: [], loose: [] };
  const { schema: c } = core(schema);
  const d = defOf(c);
  if (d.type === 'union') {
    const options = d.options as Schema[];
    const option = options.find((o) => o.safeParse(value).success) ?? options[0];
    if (option) walk(option, value, path, acc);
    return acc;
  }
  if (d.type === 'object') {
    acc.objects.push(path);
    const catchall = d.catchall as Schema | undefined;
    if (!catchall || defOf(catchall).type !== 'never') acc.loose.push(path.join('.') || '(root)');
    const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    for (const [k, fs] of Object.entries(d.shape as Record<string, Schema>)) {
      const present = obj[k] !== undefined;
      acc.fields.push({ path: [...path, k], schema: fs, optional: core(fs).optional, present });
      if (present) walk(fs, obj[k], [...path, k], acc);
    }
    return acc;
  }
  if (d.type === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => {
      acc.fields.push({ path: [...path, i], schema: d.element as Schema, optional: false, present: true });
      walk(d.element as Schema, v, [...path, i], acc);
    });
    return acc;
  }
  if (d.type === 'record') {
    acc.objects.push(path);
    return acc;
  }
  return acc;
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Sets (or, with `DELETE`, removes) the value at `path`; an own `__proto__` key is a plain key. */
const DELETE = Symbol('delete');
function setAt(root: unknown, path: Key[], value: unknown): unknown {
  if (path.length === 0) return value;
  const top = clone(root ?? {}) as Record<Key, unknown>;
  let node = top;
  for (const k of path.slice(0, -1)) {
    if (node[k] === undefined || node[k] === null || typeof node[k] !== 'object') node[k] = {};
    node = node[k] as Record<Key, unknown>;
  }
  const last = path[path.length - 1] as Key;
  if (value === DELETE) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return top;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split('');
const SPECIALS = ['\u202E', '\u200B', '\u0000', '🙂', '../', '%00', ' ', '\n', 'I', 'L', 'O', 'U', '\u2066'];
const ulidLike = fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 });

/** Ids that are not ids: path traversal, NUL, bidi override, zero-width, emoji, near-misses. */
export const badId: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '../../etc/passwd',
      '..%2F..%2Fadmin',
      '%00',
      '\u0000',
      'null',
      'undefined',
      '0',
      '-1',
      '*',
      '{id}',
      'me',
      '01KC0DEM00000000000000000\u202E1',
      '01KC0DEM0000000000000\u200B00001',
      '🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂',
      `${'A'.repeat(26)}/../${'B'.repeat(26)}`,
    ),
    ulidLike.map((id) => id.toLowerCase()),
    ulidLike.map((id) => id.slice(0, 25)),
    ulidLike.map((id) => `${id}A`),
    fc
      .tuple(ulidLike, fc.nat({ max: 26 }), fc.constantFrom(...SPECIALS))
      .map(([id, i, s]) => id.slice(0, i) + s + id.slice(i)),
    fc.tuple(ulidLike, fc.constantFrom(...SPECIALS)).map(([id, s]) => `${s}${id.slice(1)}`),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  )
  .filter((s) => !ULID.test(s) && !TARGET_PATTERN.test(s) && s !== '.' && s !== '..');

/** Dates and times that do not exist or are not dates at all. */
export const BAD_DATES = [
  '2026-02-30T10:00',
  '2026-02-30',
  'not-a-date',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31T10:00',
  '2026-01-01T24:00',
  '2026-01-01T10:60',
  '2026-03-29T02:30',
  '02/03/2026',
  '2026-1-1',
  '+002026-01-01',
  '2026-01-01T10:00:00.000Z\u202E',
];

/** JSON values of every kind: the ones the field does not accept are kept by the caller's filter. */
const anyJson = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1.5, 1e308, true, false, null, [], {}, '', ' ', [null], { a: 1 }, 'texte'),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A string of `n` copies of a non-blank character (a trimmed field stays over its maximum). */
const longString = (min: number, asQuery: boolean) =>
  fc
    .tuple(
      fc.integer({ min, max: min + 300 }),
      // A query string stays under the HTTP server's 16 KB header limit (a 431 is not our answer).
      asQuery ? fc.constantFrom('x', 'é', '%') : fc.constantFrom('x', 'é', '字', '🙂', 'a\u200B'),
    )
    .map(([n, ch]) => ch.repeat(n));

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const protoValue = fc.constantFrom<unknown>({ isAdmin: true }, { polluted: 'oui' }, 'x', null, [1], {
  prototype: { isAdmin: true },
});

const unknownKey = (known: readonly string[]) =>
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.constantFrom('isAdmin', 'role', 'memberId', 'pk', 'sk', 'state', 'id', '$where', 'toString'),
    )
    .filter((k) => !known.includes(k) && !PROTO_KEYS.includes(k as (typeof PROTO_KEYS)[number]));

/** Values for one field that the field's checks refuse (the caller keeps the invalid ones). */
function fieldValues(field: Field, asQuery: boolean): fc.Arbitrary<{ kind: string; value: unknown }>[] {
  const { types, checks, values } = allChecks(field.schema);
  const name = field.path.join('.');
  const arbs: fc.Arbitrary<{ kind: string; value: unknown }>[] = [];
  if (!asQuery) arbs.push(anyJson.map((value) => ({ kind: `wrong type ${name}`, value })));
  if (!field.optional && field.present) arbs.push(fc.constant({ kind: `missing ${name}`, value: DELETE }));
  const max = checks.find((c) => c.check === 'max_length')?.maximum;
  if (max !== undefined && types.has('string'))
    arbs.push(
      longString(max + 1, asQuery).map((value) => ({ kind: `oversized ${name} (max ${max})`, value })),
    );
  if (max !== undefined && types.has('array'))
    arbs.push(
      fc.integer({ min: max + 1, max: max + 20 }).map((n) => ({
        kind: `too many ${name} (max ${max})`,
        value: Array(n).fill('01KC0DEM000000000000000001'),
      })),
    );
  if (values.length)
    arbs.push(
      fc
        .oneof(
          fc.constantFrom(
            ...values.map((v) => `${String(v).toUpperCase()}`),
            ...values.map((v) => ` ${String(v)}`),
          ),
          fc.constantFrom(...values.map((v) => `${String(v)}\u200B`), 'ALL', '*', 'true ', 'admin'),
          fc.string({ maxLength: 20 }),
        )
        .filter((v) => !values.includes(v))
        .map((value) => ({ kind: `bad enum ${name}`, value })),
    );
  if (checks.some((c) => c.format === 'regex' || c.format === 'email' || c.check === 'string_format'))
    arbs.push(
      fc
        .oneof(badId, fc.constantFrom(...BAD_DATES), fc.string({ maxLength: 40 }))
        .map((value) => ({ kind: `bad format ${name}`, value })),
    );
  if (types.has('string') && !arbs.length)
    arbs.push(fc.string().map((value) => ({ kind: `bad ${name}`, value })));
  return arbs;
}

/** Fields that look like dates (a `\d{4}` pattern): the bad dates must be refused, not filtered. */
function dateFields(fields: Field[]): Field[] {
  return fields.filter((f) =>
    allChecks(f.schema).checks.some(
      (c) => c.pattern instanceof RegExp && c.pattern.source.includes('\\d{4}'),
    ),
  );
}

interface Parsed {
  pathname: string;
  query: Record<string, string>;
  /** Segment index of each path parameter. */
  params: { name: string; index: number }[];
}

function parse(route: RouteDef, fixture: FixtureRequest): Parsed {
  const url = new URL(fixture.path, 'http://fuzz.local');
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const params = route.path
    .split('/')
    .map((seg, index) => ({ seg, index }))
    .filter(({ seg }) => /^\{\w+\}$/.test(seg))
    .map(({ seg, index }) => ({ name: seg.slice(1, -1), index }));
  return { pathname: url.pathname, query, params };
}

function withQuery(pathname: string, query: [string, string][]): string {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

/** The hostile requests of a route: one arbitrary mixing every applicable kind. */
export function hostileRequests(
  route: RouteDef,
  schemas: InputSchemas,
  fixture: FixtureRequest,
): fc.Arbitrary<Hostile> {
  const p = parse(route, fixture);
  const validQuery = Object.entries(p.query);
  const validPath = withQuery(p.pathname, validQuery);
  const validBody = fixture.body;
  const kinds: fc.Arbitrary<Hostile>[] = [];
  const json = (v: unknown) => JSON.stringify(v);
  const bodyRefused = (v: unknown) => !schemas.body?.safeParse(v === undefined ? {} : v).success;
  const queryRefused = (q: Record<string, string>) => !schemas.query?.safeParse(q).success;

  // Path parameters: each replaced by a bad id (percent-encoded, so it stays one segment).
  for (const param of p.params) {
    kinds.push(
      badId.map((bad) => {
        const segs = p.pathname.split('/');
        segs[param.index] = encodeURIComponent(bad);
        return { kind: `bad path id {${param.name}}`, path: withQuery(segs.join('/'), validQuery) };
      }),
    );
  }

  // Query parameters: unknown ones and prototype-pollution keys always; the schema's fields mutated.
  const queryKnown = schemas.query
    ? Object.keys((defOf(core(schemas.query).schema).shape ?? {}) as object)
    : [];
  kinds.push(
    fc.tuple(unknownKey(queryKnown), fc.string({ maxLength: 30 })).map(([k, v]) => ({
      kind: 'unknown query parameter',
      path: withQuery(p.pathname, [...validQuery, [k, v]]),
    })),
    fc
      .tuple(fc.constantFrom(...PROTO_KEYS, '__proto__[isAdmin]', 'constructor[prototype][x]'), fc.string())
      .map(([k, v]) => ({
        kind: `query key ${k}`,
        path: withQuery(p.pathname, [...validQuery, [k, v || 'x']]),
      })),
  );
  if (schemas.query) {
    const walked = walk(schemas.query, p.query);
    for (const field of walked.fields) {
      const name = String(field.path[0]);
      for (const arb of fieldValues(field, true)) {
        kinds.push(
          arb
            .filter(({ value }) => value === DELETE || typeof value === 'string')
            .map(({ kind, value }) => {
              const q = { ...p.query };
              if (value === DELETE) delete q[name];
              else q[name] = String(value);
              return { kind: `query: ${kind}`, q };
            })
            .filter(({ q }) => queryRefused(q))
            .map(({ kind, q }) => ({ kind, path: withQuery(p.pathname, Object.entries(q)) })),
        );
      }
    }
    for (const field of dateFields(walked.fields))
      kinds.push(
        fc.constantFrom(...BAD_DATES).map((bad) => ({
          kind: `query: bad date ${field.path.join('.')}`,
          path: withQuery(p.pathname, Object.entries({ ...p.query, [String(field.path[0])]: bad })),
        })),
      );
  }

  if (route.method !== 'GET') {
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
    );
    const raw = (kind: string, body: fc.Arbitrary<string>) =>
      fc.tuple(body, contentType).map(([b, ct]) => ({ kind, path: validPath, body: b, contentType: ct }));
    // Not JSON, JSON that is not an object, bodies over 64 KB.
    kinds.push(
      raw(
        'non-JSON body',
        fc
          .oneof(
            fc.constantFrom(
              '{',
              '{"a":',
              'undefined',
              "{'a':1}",
              'NaN',
              '<xml/>',
              '{"a":1}}',
              'a=1&b=2',
              '\u0000',
            ),
            fc.string({ minLength: 1, maxLength: 60 }),
          )
          .filter((s) => {
            if (s.trim() === '' || s.trim() === 'List-Unsubscribe=One-Click') return false;
            try {
              JSON.parse(s);
              return false;
            } catch {
              return true;
            }
          }),
      ),
      raw(
        'JSON body not an object',
        fc.oneof(
          fc.constantFrom('null', '[]', '"texte"', '42', 'true', '0', '-1e999', json([validBody ?? {}])),
          fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }).map(json),
          fc.string().map(json),
        ),
      ),
      raw(
        'body over 64 KB',
        fc
          .tuple(fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }), fc.boolean())
          .map(([n, asField]) =>
            asField ? json({ ...((validBody as object) ?? {}), pad: 'x'.repeat(n) }) : 'x'.repeat(n),
          ),
      ),
    );
    if (!schemas.body) {
      // A route without a body refuses any, even an empty object.
      kinds.push(
        raw(
          'unexpected body',
          fc.oneof(fc.constant('{}'), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })).map(json)),
        ),
      );
    } else {
      const walked = walk(schemas.body, validBody ?? {});
      const send = (kind: string, body: unknown): Hostile => ({
        kind,
        path: validPath,
        body: json(body),
        contentType: 'application/json',
      });
      for (const field of walked.fields)
        for (const arb of fieldValues(field, false))
          kinds.push(
            arb
              .map(({ kind, value }) => ({ kind, body: setAt(validBody ?? {}, field.path, value) }))
              .filter(({ body }) => bodyRefused(body))
              .map(({ kind, body }) => send(kind, body)),
          );
      for (const field of dateFields(walked.fields))
        kinds.push(
          fc
            .constantFrom(...BAD_DATES)
            .map((bad) => send(`bad date ${field.path.join('.')}`, setAt(validBody ?? {}, field.path, bad))),
        );
      for (const at of walked.objects) {
        const where = at.join('.') || 'top level';
        kinds.push(
          fc
            .tuple(unknownKey([]), fc.jsonValue({ maxDepth: 1 }))
            .map(([k, v]) => setAt(validBody ?? {}, [...at, k], v))
            .filter(bodyRefused)
            .map((body) => send(`unknown key at ${where}`, body)),
          fc
            .tuple(fc.constantFrom(...PROTO_KEYS), protoValue)
            .map(([k, v]) => send(`${k} at ${where}`, setAt(validBody ?? {}, [...at, k], v))),
        );
      }
      if (walked.loose.length)
        throw new Error(`${route.id}: body object not strict at ${walked.loose.join(', ')}`);
    }
  }
  if (schemas.query) {
    const loose = walk(schemas.query, p.query).loose;
    if (loose.length) throw new Error(`${route.id}: query object not strict at ${loose.join(', ')}`);
  }
  return fc.oneof(...kinds);
}
