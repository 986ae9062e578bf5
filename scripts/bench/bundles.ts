/**
 * Function bundles and cold start: each route's handler bundled with the same esbuild options as
 * `infra/constructs/api-function.ts` (the AWS SDK left external, as it comes from the Lambda
 * runtime), its size, what fills the largest one (esbuild metafile), and the time a fresh Node
 * process takes to import it, next to empty handlers that import the same SDK clients.
 *
 * The bundles are written under `node_modules/.cache/coopol-bench/` (git-ignored) so that their
 * external `@aws-sdk/*` imports resolve from the project's node_modules — locally the SDK is not
 * "the runtime's", so handler and baseline both load it from there, the same way.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { jobs } from '../../shared/jobs.ts';
import { routes } from '../../shared/routes.ts';
import { ROOT } from '../local/emulators.ts';
import { kB, median, ms, type Report, signedMs } from './report.ts';

export const BUNDLE_BUDGET_KB = 250;
/** Import-time samples per module (after one discarded warm-up run that fills the file cache). */
export const IMPORT_RUNS = 5;
const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/coopol-bench');

/** The same options as `BUNDLING` in infra/constructs/api-function.ts (source maps aside). */
const OPTIONS: BuildOptions = {
  bundle: true,
  write: true,
  metafile: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  // sharp is native: like the AWS SDK it stays out of the bundle (a layer in Lambda, issue 10).
  external: ['@aws-sdk/*', 'sharp'],
  banner: {
    js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'silent',
};

/** The clients the functions use, as the brief's "empty handler importing the same SDK clients". */
const ALL_SDK_CLIENTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-cognito-identity-provider': 'CognitoIdentityProviderClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
};

export interface Bundle {
  id: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** External AWS SDK packages the bundle imports (from the runtime in Lambda). */
  sdk: string[];
  metafile: Metafile;
}

async function bundle(id: string, entry: BuildOptions): Promise<Bundle> {
  const file = path.join(CACHE_DIR, `${id}.mjs`);
  const result = await build({ ...OPTIONS, ...entry, outfile: file });
  const code = readFileSync(file);
  const output = Object.values(result.metafile?.outputs ?? {})[0];
  const sdk = [
    ...new Set(
      (output?.imports ?? [])
        .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path.split('/').slice(0, 2).join('/')),
    ),
  ].sort();
  return {
    id,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    sdk,
    metafile: result.metafile ?? { inputs: {}, outputs: {} },
  };
}

/** Source of an empty handler that imports (and keeps) the given SDK packages. */
function emptyHandler(packages: readonly string[]): BuildOptions {
  const imports = packages.map((p, i) => `import * as sdk${i} from '${p}';`).join('\n');
  const kept = packages.map((_, i) => `sdk${i}`).join(', ');
  return {
    stdin: {
      contents: `${imports}\nexport const sdk = [${kept}];\nexport const handler = async () => ({ statusCode: 204 });\n`,
      resolveDir: ROOT,
      sourcefile: 'empty-handler.mjs',
      loader: 'js',
    },
  };
}

const sdkKey = (sdk: readonly string[]) => sdk.join(',');
const shortSdk = (sdk: readonly string[]) =>
  sdk.length
    ? sdk
        .map((p) =>
          p
            .replace('@aws-sdk/', '')
            .replace(/^client-/, '')
            .replace(/-identity-provider$/, ''),
        )
        .join(', ')
    : 'none';

export interface Failed {
  id: string;
  error: string;
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/**
 * Builds every route's bundle and the empty-handler baselines into the cache folder. A route
 * whose bundle does not build is reported as such, and the others are still measured.
 */
export async function buildBundles(): Promise<{
  functions: Bundle[];
  failed: Failed[];
  baselines: Map<string, Bundle>;
}> {
  rmSync(CACHE_DIR, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const functions: Bundle[] = [];
  const failed: Failed[] = [];
  for (const fn of [...routes, ...jobs]) {
    try {
      functions.push(await bundle(fn.id, { entryPoints: [path.join(ROOT, fn.handler)] }));
    } catch (error) {
      failed.push({ id: fn.id, error: firstLine(error) });
    }
  }
  // One baseline per distinct set of SDK packages, plus "none" and "all the clients we use".
  const sets = new Map<string, string[]>([
    ['', []],
    [sdkKey(Object.keys(ALL_SDK_CLIENTS).sort()), Object.keys(ALL_SDK_CLIENTS).sort()],
  ]);
  for (const f of functions) sets.set(sdkKey(f.sdk), f.sdk);
  const baselines = new Map<string, Bundle>();
  let n = 0;
  for (const [key, sdk] of sets) baselines.set(key, await bundle(`empty-${n++}`, emptyHandler(sdk)));
  return { functions, failed, baselines };
}

const TIMER = `import { pathToFileURL } from 'node:url';
const url = pathToFileURL(process.argv[2]).href;
const cpuStart = process.cpuUsage();
const start = performance.now();
const mod = await import(url);
const wall = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
if (typeof mod.handler !== 'function') {
  process.stderr.write('no handler export\\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1000 }), () => process.exit(0));
`;

/** One import: wall-clock and CPU milliseconds. */
interface Sample {
  wall: number;
  cpu: number;
}

/** Times `await import()` of the module in a fresh process of this Node (the pinned 24). */
function importOnce(timer: string, file: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    // A Lambda-like environment: the region is set; nothing else is read at import time.
    const child = spawn(process.execPath, [timer, file], {
      cwd: CACHE_DIR,
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-3', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timeout);
      try {
        const sample = JSON.parse(out) as Sample;
        if (code === 0 && Number.isFinite(sample.wall)) return resolve(sample);
      } catch {
        // reported below
      }
      reject(new Error(`importing ${path.basename(file)} failed (${code}): ${err.trim()}`));
    });
  });
}

/**
 * Import-time samples per bundle file; runs are interleaved so that drift hits every module
 * alike. A module that fails to import is left out of later runs, with its error.
 */
export async function importTimes(
  files: readonly string[],
): Promise<{ samples: Map<string, Sample[]>; errors: Map<string, string> }> {
  const timer = path.join(CACHE_DIR, 'import-timer.mjs');
  writeFileSync(timer, TIMER);
  const samples = new Map<string, Sample[]>(files.map((f) => [f, []]));
  const errors = new Map<string, string>();
  for (let run = -1; run < IMPORT_RUNS; run++) {
    for (const f of files) {
      if (errors.has(f)) continue;
      try {
        const sample = await importOnce(timer, f);
        if (run >= 0) samples.get(f)?.push(sample); // run -1 is the warm-up, discarded
      } catch (error) {
        errors.set(f, firstLine(error));
      }
    }
  }
  return { samples, errors };
}

/** The largest bundle's top inputs by bytes in the output (esbuild metafile). */
function topInputs(b: Bundle, count: number): { input: string; bytes: number }[] {
  const output = Object.values(b.metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {})
    .map(([input, v]) => ({ input, bytes: v.bytesInOutput }))
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, count);
}

export async function reportBundles(report: Report): Promise<void> {
  const { functions, failed, baselines } = await buildBundles();

  report.heading('Function bundles');
  report.paragraph(
    `esbuild with the options of \`infra/constructs/api-function.ts\` (minified ESM, node24, AWS SDK external: it comes from the Lambda runtime). Budget: ${BUNDLE_BUDGET_KB} kB minified per function.`,
  );
  report.table({
    headers: ['function', 'minified', 'gzip', `budget ${BUNDLE_BUDGET_KB} kB`],
    rows: [
      ...functions.map((b) => [
        b.id,
        kB(b.bytes),
        kB(b.gzipBytes),
        b.bytes / 1024 > BUNDLE_BUDGET_KB ? '**OVER BUDGET**' : 'ok',
      ]),
      ...failed.map((f) => [f.id, '—', '—', `**build failed**: ${f.error}`]),
    ],
    right: [1, 2],
  });
  const largest = [...functions].sort((a, b) => b.bytes - a.bytes)[0];
  if (largest) {
    report.paragraph(`Largest bundle: \`${largest.id}\` (${kB(largest.bytes)}) — its top 3 inputs:`);
    report.table({
      headers: ['input', 'bytes in bundle', 'share'],
      rows: topInputs(largest, 3).map((i) => [
        `\`${i.input}\``,
        kB(i.bytes),
        `${((100 * i.bytes) / largest.bytes).toFixed(0)} %`,
      ]),
      right: [1, 2],
    });
  }

  const all = sdkKey(Object.keys(ALL_SDK_CLIENTS).sort());
  const allBaseline = baselines.get(all);
  const noneBaseline = baselines.get('');
  if (!allBaseline || !noneBaseline) throw new Error('baselines missing');
  const files = [
    ...new Set([...[...baselines.values()].map((b) => b.file), ...functions.map((f) => f.file)]),
  ];
  const importStarted = performance.now();
  const { samples, errors } = await importTimes(files);
  const importSeconds = (performance.now() - importStarted) / 1000;
  const ok = (b: Bundle | undefined) => b !== undefined && !errors.has(b.file);
  const wall = (b: Bundle) => median((samples.get(b.file) ?? []).map((x) => x.wall));
  const cpu = (b: Bundle) => median((samples.get(b.file) ?? []).map((x) => x.cpu));
  const range = (b: Bundle) => {
    const s = (samples.get(b.file) ?? []).map((x) => x.wall);
    return s.length ? `${Math.min(...s).toFixed(0)}–${Math.max(...s).toFixed(0)}` : '—';
  };
  const delta = (b: Bundle, base: Bundle | undefined, of: (b: Bundle) => number) =>
    base && ok(b) && ok(base) ? signedMs(of(b) - of(base)) : '—';
  const cell = (b: Bundle, of: (b: Bundle) => number) =>
    ok(b) ? ms(of(b)) : `**import failed**: ${errors.get(b.file)}`;

  report.heading('Cold start: module import time');
  report.paragraph(
    `\`await import(bundle)\` in a fresh \`node\` process (${process.version}): wall time (\`performance.now()\`) and CPU time (\`process.cpuUsage()\`, less sensitive to other work on the machine), median of ${IMPORT_RUNS} runs after one discarded warm-up, runs interleaved across modules (${importSeconds.toFixed(0)} s in all). The AWS SDK is loaded from node_modules for handlers and baselines alike. This is the module-load part of a cold start only (no Lambda init, no network).`,
    `Baseline: an empty handler importing the clients the functions use — DynamoDB + DocumentClient, Cognito, SESv2 (${cell(allBaseline, wall)}); an empty handler importing no SDK takes ${cell(noneBaseline, wall)}. "Δ same SDK" compares with an empty handler importing exactly the SDK packages that function imports: the cost of our own code, wall / CPU.`,
  );
  const baselineRows = [...baselines.entries()].map(([key, b]) => [
    key === all ? '_empty handler (baseline)_' : '_empty handler_',
    shortSdk(b.sdk),
    cell(b, wall),
    range(b),
    cell(b, cpu),
    key === all ? '—' : delta(b, allBaseline, wall),
    '—',
  ]);
  report.table({
    headers: [
      'module',
      'SDK packages imported',
      'wall p50',
      'wall range (ms)',
      'CPU p50',
      'Δ baseline (wall)',
      'Δ same SDK (wall / CPU)',
    ],
    rows: [
      ...baselineRows,
      ...functions.map((f) => {
        const same = baselines.get(sdkKey(f.sdk));
        return [
          f.id,
          shortSdk(f.sdk),
          cell(f, wall),
          range(f),
          cell(f, cpu),
          delta(f, allBaseline, wall),
          `${delta(f, same, wall)} / ${delta(f, same, cpu)}`,
        ];
      }),
      ...failed.map((f) => [f.id, '—', 'not built', '—', '—', '—', '—']),
    ],
    right: [2, 3, 4, 5, 6],
  });
}
