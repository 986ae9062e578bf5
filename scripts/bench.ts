/**
 * `npm run bench`: figures, never pass/fail. On a throwaway local stack (real emulators, in a
 * child process so that the load generator does not share its event loop), for the main routes
 * at 1 and 20 concurrent clients: p50/p99 latency and throughput next to a raw DynamoDB Local
 * GetItem and Query measured the same way in the same run (the ratio is the figure), the
 * DynamoDB round trips and capacity per request, and each function's bundle size.
 * Options: BENCH_SECONDS (default 5 per measurement).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { routes } from '../shared/routes.ts';
import { ROOT } from './local/emulators.ts';

const require = createRequire(import.meta.url);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BUNDLE_BUDGET_KB = 250;

interface Stack {
  appUrl: string;
  dynamoUrl: string;
  tableName: string;
  demoPassword: string;
}

async function startChildStack(): Promise<{ info: Stack; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', require.resolve('tsx'), path.join(ROOT, 'scripts/local/ephemeral.ts'), '--exit-with-parent'],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'ERROR' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const info = await new Promise<Stack>((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`local stack exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('STACK_READY '));
      if (line) resolve(JSON.parse(line.slice('STACK_READY '.length)) as Stack);
    });
  });
  return { info, child };
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
    const req = args.request as { headers: Record<string, string>; body: string };
    captured = { headers: { ...req.headers }, body: String(req.body) };
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
  if (!captured) throw new Error('could not capture the signed request');
  const { host: _host, 'content-length': _len, ...headers } = captured.headers;
  return { method: 'POST', url: `${endpoint}/`, headers, body: captured.body };
}

interface Figures {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(req: Request, connections: number): Promise<Figures> {
  const result = await autocannon({
    url: req.url,
    method: req.method,
    headers: req.headers,
    body: req.body,
    connections,
    duration: SECONDS,
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors: non2xx };
}

async function meterOf(req: Request): Promise<string> {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  await res.text();
  return `${res.status} ${res.headers.get('x-coopol-dynamodb') ?? ''}`;
}

async function bundleSizes(): Promise<{ id: string; kb: number; gzipKb: number }[]> {
  const out: { id: string; kb: number; gzipKb: number }[] = [];
  for (const route of routes) {
    // The same options as infra/constructs/api-function.ts (SDK from the runtime).
    const result = await build({
      entryPoints: [path.join(ROOT, route.handler)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    out.push({ id: route.id, kb: code.length / 1024, gzipKb: gzipSync(code).length / 1024 });
  }
  return out;
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const ms = (n: number) => `${n.toFixed(1)} ms`;

const { info, child } = await startChildStack();
try {
  const app = info.appUrl;
  const signIn = await fetch(`${app}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'adherente@coopol.example', password: info.demoPassword }),
  });
  const { idToken } = (await signIn.json()) as { idToken: string };
  const auth = { authorization: `Bearer ${idToken}` };
  const json = { 'content-type': 'application/json' };

  const rawGet = await signedDynamoRequest(
    info.dynamoUrl,
    new GetItemCommand({
      TableName: info.tableName,
      Key: { pk: { S: 'MEMBER#01KC0DEM000000000000000001' }, sk: { S: 'PROFILE' } },
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

  const scenarios: { name: string; req: Request; raw?: boolean }[] = [
    { name: 'raw DynamoDB GetItem', req: rawGet, raw: true },
    { name: 'raw DynamoDB Query', req: rawQuery, raw: true },
    { name: 'GET /api/health', req: { method: 'GET', url: `${app}/api/health` } },
    { name: 'GET /api/sections?q=par', req: { method: 'GET', url: `${app}/api/sections?q=par` } },
    { name: 'GET /api/me (profile read)', req: { method: 'GET', url: `${app}/api/me`, headers: auth } },
    { name: 'GET /api/me/contact', req: { method: 'GET', url: `${app}/api/me/contact`, headers: auth } },
    {
      name: 'PUT /api/me (profile write)',
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
      req: {
        method: 'POST',
        url: `${app}/api/auth/sign-in`,
        headers: json,
        body: JSON.stringify({ email: 'adherente@coopol.example', password: info.demoPassword }),
      },
    },
  ];

  console.log(
    `\nLa coopol — bench (${SECONDS} s per measurement, local stack on real emulators, ${new Date().toISOString()})\n`,
  );
  console.log(
    'Latency and throughput (autocannon; the ratio is p50 / raw GetItem p50 at the same concurrency)\n',
  );
  console.log(
    `${pad('scenario', 40)}${pad('clients', 9)}${pad('p50', 11)}${pad('p99', 11)}${pad('req/s', 9)}${pad('× GetItem', 11)}errors`,
  );
  const floor = new Map<number, number>();
  for (const connections of [1, 20]) {
    for (const s of scenarios) {
      const f = await load(s.req, connections);
      if (s.name === 'raw DynamoDB GetItem') floor.set(connections, f.p50);
      const base = floor.get(connections) ?? 0;
      const ratio = base > 0 ? `${(f.p50 / base).toFixed(1)}×` : '—';
      console.log(
        `${pad(s.name, 40)}${pad(connections, 9)}${pad(ms(f.p50), 11)}${pad(ms(f.p99), 11)}${pad(f.rps.toFixed(0), 9)}${pad(ratio, 11)}${f.errors}`,
      );
    }
    console.log('');
  }

  console.log('DynamoDB round trips and capacity per request (metered by the local gateway)\n');
  for (const s of scenarios.filter((x) => !x.raw)) console.log(`${pad(s.name, 40)}${await meterOf(s.req)}`);

  console.log(
    `\nBundle sizes (esbuild, minified ESM, AWS SDK from the runtime; budget ${BUNDLE_BUDGET_KB} kB)\n`,
  );
  for (const b of await bundleSizes()) {
    console.log(
      `${pad(b.id, 22)}${pad(`${b.kb.toFixed(1)} kB`, 12)}${pad(`gzip ${b.gzipKb.toFixed(1)} kB`, 18)}${b.kb > BUNDLE_BUDGET_KB ? 'OVER BUDGET' : ''}`,
    );
  }
} finally {
  child.kill('SIGTERM');
}
