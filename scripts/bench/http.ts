/**
 * The HTTP part of the bench: a throwaway local stack on the real emulators, in a child process
 * (so that the load generator does not share its event loop), loaded with autocannon at 1 and 20
 * concurrent clients, next to a raw DynamoDB Local GetItem and Query replayed the same way — the
 * ratio to the raw GetItem is the figure. Then DynamoDB round trips and capacity per request,
 * as metered by the local gateway (`x-coopol-dynamodb` response header).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import autocannon from 'autocannon';
import { routes } from '../../shared/routes.ts';
import { ROOT } from '../local/emulators.ts';
import type { Report } from './report.ts';

const require = createRequire(import.meta.url);
export const CONCURRENCY = [1, 20] as const;
const WARM_UP_SECONDS = 2;
const STARTUP_TIMEOUT_MS = 180_000;

export interface Stack {
  appUrl: string;
  dynamoUrl: string;
  sesUrl: string;
  tableName: string;
  demoPassword: string;
}

/** Starts scripts/local/ephemeral.ts; it also exits when this process dies (its stdin closes). */
export async function startChildStack(): Promise<{ info: Stack; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', require.resolve('tsx'), path.join(ROOT, 'scripts/local/ephemeral.ts'), '--exit-with-parent'],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'ERROR' },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group (with the emulators it starts), so that a stack that will not stop
      // can be killed whole; Ctrl-C reaches it through our SIGINT handler instead.
      detached: true,
    },
  );
  forwardStderr(child);
  let timer: NodeJS.Timeout | undefined;
  const info = await new Promise<Stack>((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`local stack exited (${code})`)));
    timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`local stack not ready after ${STARTUP_TIMEOUT_MS / 1000} s`));
    }, STARTUP_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('STACK_READY '));
      if (line) resolve(JSON.parse(line.slice('STACK_READY '.length)) as Stack);
    });
  }).finally(() => clearTimeout(timer));
  return { info, child };
}

/** Client aborts the gateway logged: autocannon closes its connections mid-request when a run ends. */
let clientAborts = 0;

/**
 * Passes the stack's stderr through, except the gateway's "aborted / ECONNRESET" reports, which
 * only say that autocannon hung up at the end of a run (counted in `clientAborts`).
 */
function forwardStderr(child: ChildProcess): void {
  let pending = '';
  let skipping = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('gateway error Error: aborted')) {
        skipping = true;
        clientAborts++;
        continue;
      }
      // The rest of that report: its stack and `code: 'ECONNRESET'` lines, and the closing brace.
      if (skipping && /^(\s+at |\s+code: 'ECONNRESET'|}$)/.test(line)) continue;
      skipping = false;
      process.stderr.write(`${line}\n`);
    }
  });
  child.stderr?.on('end', () => {
    if (pending && !skipping) process.stderr.write(pending);
  });
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Stops the child stack: SIGTERM, on which it stops its emulators and exits; if it has not
 * exited after 20 s, its whole process group is killed.
 */
export async function stopChildStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => killGroup(child), 20_000);
  await exited;
  clearTimeout(timer);
}

interface Request {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Signs one DynamoDB request with the SDK and returns it as raw HTTP, to replay with autocannon. */
async function signedDynamoRequest(
  endpoint: string,
  command: GetItemCommand | QueryCommand,
): Promise<Request> {
  const client = new DynamoDBClient({
    region: 'eu-west-3',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let captured: { headers: Record<string, string>; body: string } | undefined;
  const capture: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    const req = args.request as { headers: Record<string, string>; body: unknown };
    const body = typeof req.body === 'string' ? req.body : new TextDecoder().decode(req.body as Uint8Array);
    captured = { headers: { ...req.headers }, body };
    return next(args);
  };
  client.middlewareStack.addRelativeTo(
    capture as Parameters<typeof client.middlewareStack.addRelativeTo>[0],
    {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'capture',
    },
  );
  await client.send(command as GetItemCommand);
  client.destroy();
  if (!captured) throw new Error('could not capture the signed request');
  const { host: _host, 'content-length': _len, ...headers } = captured.headers;
  return { method: 'POST', url: `${endpoint}/`, headers, body: captured.body };
}

interface Figures {
  p50: number;
  p99: number;
  rps: number;
  /** Non-2xx answers by status, then connection errors and timeouts: "17 (409×17)". */
  errors: string;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/**
 * One autocannon run. Latencies are taken from its per-response timings (`response` event,
 * sub-millisecond, 2xx answers only) rather than from its histogram, which keeps whole
 * milliseconds — too coarse next to a 1 ms GetItem.
 */
function load(req: Request, connections: number, seconds: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: req.url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        connections,
        duration: seconds,
      },
      (error, result) => {
        if (error) return reject(error);
        const total = result.non2xx + result.errors + result.timeouts;
        const detail = [
          ...Object.entries(result.statusCodeStats ?? {})
            .filter(([code, v]) => !code.startsWith('2') && (v.count ?? 0) > 0)
            .map(([code, v]) => `${code}×${v.count}`),
          ...(result.errors ? [`errors×${result.errors}`] : []),
          ...(result.timeouts ? [`timeouts×${result.timeouts}`] : []),
        ];
        latencies.sort((a, b) => a - b);
        resolve({
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          rps: result.requests.average,
          errors: total ? `${total} (${detail.join(', ')})` : '0',
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

const warmUpText = (seconds: number) => `${Math.min(WARM_UP_SECONDS, seconds)} s`;

/** Two decimals under 10 ms, one above. */
const latency = (n: number) => (Number.isNaN(n) ? '—' : `${n.toFixed(n < 10 ? 2 : 1)} ms`);

interface Meter {
  status: number;
  calls: string;
  rounds: string;
  ops: string;
  rcu: string;
  wcu: string;
}

async function meterOf(req: Request): Promise<Meter> {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  await res.text();
  const header = res.headers.get('x-coopol-dynamodb') ?? '';
  const field = (name: string) => header.match(new RegExp(`${name}=([^;]*)`))?.[1]?.trim() ?? '';
  return {
    status: res.status,
    calls: field('calls'),
    rounds: field('rounds'),
    ops: field('ops'),
    rcu: field('rcu'),
    wcu: field('wcu'),
  };
}

interface Scenario {
  name: string;
  req: Request;
  raw?: boolean;
  /** The route it calls: a scenario whose route is not in the route table (yet) is left out. */
  route?: string;
  /** Every connection writes the same item: concurrent writers lose the version check (409). */
  conflicts?: boolean;
}

// Demo data from scripts/local/seed.ts.
const ADHERENTE = { email: 'adherente@coopol.example', id: '01KC0DEM000000000000000001' };
const SECRETAIRE_ID = '01KC0DEM000000000000000002';
/** The section's pinned welcome post (scripts/local/seed-content.ts), with a comment. */
const DEMO_POST = '01KC0PST000000000000000001';

async function scenarios(info: Stack): Promise<Scenario[]> {
  const app = info.appUrl;
  const signIn = await fetch(`${app}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADHERENTE.email, password: info.demoPassword }),
  });
  const { idToken } = (await signIn.json()) as { idToken: string };
  const auth = { authorization: `Bearer ${idToken}` };
  const secretary = await fetch(`${app}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'secretaire@coopol.example', password: info.demoPassword }),
  });
  const secretaryAuth = {
    authorization: `Bearer ${((await secretary.json()) as { idToken: string }).idToken}`,
  };
  const json = { 'content-type': 'application/json' };

  const rawGet = await signedDynamoRequest(
    info.dynamoUrl,
    new GetItemCommand({
      TableName: info.tableName,
      Key: { pk: { S: `MEMBER#${ADHERENTE.id}` }, sk: { S: 'PROFILE' } },
      ConsistentRead: true,
    }),
  );
  const rawQuery = await signedDynamoRequest(
    info.dynamoUrl,
    new QueryCommand({
      TableName: info.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
      ExpressionAttributeValues: { ':pk': { S: 'SECTIONS' }, ':p': { S: 'par' } },
    }),
  );

  const list: Scenario[] = [
    { name: 'raw DynamoDB GetItem', req: rawGet, raw: true },
    { name: 'raw DynamoDB Query', req: rawQuery, raw: true },
    { name: 'GET /api/health', route: 'system.health', req: { method: 'GET', url: `${app}/api/health` } },
    {
      name: 'GET /api/sections?q=par',
      route: 'sections.list',
      req: { method: 'GET', url: `${app}/api/sections?q=par` },
    },
    {
      name: 'GET /api/me (own profile)',
      route: 'me.get',
      req: { method: 'GET', url: `${app}/api/me`, headers: auth },
    },
    {
      name: 'GET /api/me/contact',
      route: 'me.getContact',
      req: { method: 'GET', url: `${app}/api/me/contact`, headers: auth },
    },
    {
      name: 'GET /api/members/{id} (profile read)',
      route: 'members.get',
      req: { method: 'GET', url: `${app}/api/members/${SECRETAIRE_ID}`, headers: auth },
    },
    {
      name: 'GET /api/directory?q=dur (search)',
      route: 'directory.search',
      req: { method: 'GET', url: `${app}/api/directory?q=dur`, headers: auth },
    },
    {
      name: 'GET /api/conversations (inbox)',
      route: 'messages.inbox',
      req: { method: 'GET', url: `${app}/api/conversations`, headers: auth },
    },
    {
      name: 'GET /api/feed (le fil, a page)',
      route: 'feed.home',
      req: { method: 'GET', url: `${app}/api/feed`, headers: auth },
    },
    {
      name: 'GET /api/feed/party (Toute la coopol)',
      route: 'feed.party',
      req: { method: 'GET', url: `${app}/api/feed/party`, headers: auth },
    },
    {
      name: 'GET /api/agenda (mon agenda, a page)',
      route: 'agenda.mine',
      req: { method: 'GET', url: `${app}/api/agenda`, headers: auth },
    },
    {
      name: 'GET /api/agenda/party (toute la coopol)',
      route: 'agenda.party',
      req: { method: 'GET', url: `${app}/api/agenda/party`, headers: auth },
    },
    {
      name: 'GET /api/missions (mes missions)',
      route: 'missions.list',
      req: { method: 'GET', url: `${app}/api/missions`, headers: auth },
    },
    {
      name: 'GET /api/sections/{id}/dashboard (secretary)',
      route: 'sections.dashboard',
      req: {
        method: 'GET',
        url: `${app}/api/sections/01KC0SEC000000000000000001/dashboard`,
        headers: secretaryAuth,
      },
    },
    {
      name: 'GET /api/me/moderation (my decisions)',
      route: 'me.moderation',
      req: { method: 'GET', url: `${app}/api/me/moderation`, headers: auth },
    },
    {
      name: 'GET /api/posts/{id} (post + comments)',
      route: 'posts.get',
      req: { method: 'GET', url: `${app}/api/posts/${DEMO_POST}`, headers: auth },
    },
    {
      name: 'POST /api/posts (adherents)',
      route: 'posts.create',
      req: {
        method: 'POST',
        url: `${app}/api/posts`,
        headers: { ...auth, ...json },
        body: JSON.stringify({ audience: { kind: 'adherents' }, body: 'Message du bench' }),
      },
    },
    {
      name: 'PUT /api/me (profile write)',
      conflicts: true,
      route: 'me.update',
      req: {
        method: 'PUT',
        url: `${app}/api/me`,
        headers: { ...auth, ...json },
        body: JSON.stringify({
          firstName: 'Camille',
          lastName: 'Martin',
          bio: 'Bench',
          visibility: 'adherents',
        }),
      },
    },
    {
      name: 'POST /api/auth/sign-in (cognito-local)',
      route: 'auth.signIn',
      req: {
        method: 'POST',
        url: `${app}/api/auth/sign-in`,
        headers: json,
        body: JSON.stringify({ email: ADHERENTE.email, password: info.demoPassword }),
      },
    },
  ];
  const ids = new Set<string>(routes.map((r) => r.id));
  return list.filter((s) => !s.route || ids.has(s.route));
}

export async function reportHttp(report: Report, info: Stack, seconds: number): Promise<void> {
  const all = await scenarios(info);
  // One metered request per scenario first: it also tells which scenarios answer 2xx. One that
  // does not (a request shape that changed with the code) is reported, not loaded.
  const meters = new Map<Scenario, Meter>();
  for (const s of all.filter((x) => !x.raw)) meters.set(s, await meterOf(s.req));
  const answers = (s: Scenario) =>
    s.raw || ((meters.get(s)?.status ?? 0) >= 200 && (meters.get(s)?.status ?? 0) < 300);
  const list = all.filter(answers);

  report.heading('Latency and throughput');
  report.paragraph(
    `autocannon, ${seconds} s per row, at ${CONCURRENCY.join(' and ')} concurrent clients, after a ${warmUpText(seconds)} warm-up of every scenario, against the local gateway (functions in-process, real emulators). "× GetItem" is the row's p50 over the raw DynamoDB Local GetItem's p50 at the same concurrency in this run: the figure to compare across runs and machines. Latencies are autocannon's per-response timings of 2xx answers; req/s counts every answer.`,
  );
  // Warm-up, discarded: DynamoDB Local's JVM and the handlers' code start cold, and the raw
  // GetItem (the floor) would otherwise be measured first, at its coldest.
  const warmUp = Math.min(WARM_UP_SECONDS, seconds);
  for (const s of list) await load(s.req, Math.max(...CONCURRENCY), warmUp);
  const rows: (string | number)[][] = [];
  for (const connections of CONCURRENCY) {
    let floor = 0;
    for (const s of list) {
      const f = await load(s.req, connections, seconds);
      if (s.name === 'raw DynamoDB GetItem') floor = f.p50;
      const ratio = floor > 0 ? `${(f.p50 / floor).toFixed(1)}×` : '—';
      rows.push([s.name, connections, latency(f.p50), latency(f.p99), f.rps.toFixed(0), ratio, f.errors]);
    }
  }
  report.table({
    headers: ['scenario', 'clients', 'p50', 'p99', 'req/s', '× GetItem p50', 'non-2xx / errors'],
    rows,
    right: [1, 2, 3, 4, 5, 6],
  });
  const conflicting = list.filter((s) => s.conflicts).map((s) => `\`${s.name}\``);
  if (conflicting.length) {
    report.paragraph(
      `${conflicting.join(', ')}: every connection writes the same member's profile, so at 20 clients most writes lose the optimistic version check and get a 409 by design (conditional writes, architecture rule 9); its p50/p99 are those of the writes that succeeded.`,
    );
  }
  if (clientAborts) {
    report.paragraph(
      `(${clientAborts} requests were cut off when autocannon closed its connections at the end of a run — the gateway logs them; they are not errors of the app.)`,
    );
  }
  const skipped = all.filter((s) => !answers(s));
  if (skipped.length) {
    report.paragraph(
      `Not loaded (their probe request did not answer 2xx — see the status below): ${skipped.map((s) => `\`${s.name}\``).join(', ')}.`,
    );
  }

  report.heading('DynamoDB round trips and capacity per request');
  report.paragraph(
    'One request per scenario, metered by the local gateway (an SDK middleware with `ReturnConsumedCapacity: TOTAL`); RCU/WCU as DynamoDB Local reports them. Calls are every DynamoDB request; round trips count calls sent in parallel once (`Promise.all`). Budget (architecture rule 4): ≤ 3 calls to read a page or write an object, member-state check included — `test/integration/route-walk.test.ts` asserts it for every route not declared bulk; this table only shows it.',
  );
  report.table({
    headers: ['scenario', 'status', 'calls', 'round trips', 'operations', 'RCU', 'WCU'],
    rows: [...meters.entries()].map(([s, m]) => [
      s.name,
      m.status,
      m.calls,
      m.rounds,
      m.ops || '—',
      m.rcu,
      m.wcu,
    ]),
    right: [1, 2, 3, 5, 6],
  });
}
