import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { ensureSiteBuilt } from '../../scripts/local/site.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    sesUrl: string;
    dynamoUrl: string;
    cognitoUrl: string;
    s3Url: string;
    mediaBucket: string;
    tableName: string;
    userPoolId: string;
    clientId: string;
    demoPassword: string;
    /** The local stack's whole output (JSON logs from INFO up), for the log-scrubbing test. */
    stackLog: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/**
 * Starts one throwaway local stack (real emulators, ephemeral ports) for the project's run, in a
 * child process that dies with us, and hands its addresses to the tests through `inject`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.name === 'e2e') await ensureSiteBuilt((line) => console.log(line));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', require.resolve('tsx'), path.join(ROOT, 'scripts/local/ephemeral.ts'), '--exit-with-parent'],
    {
      cwd: ROOT,
      // A low invitation limit so that the rate-limit test reaches it quickly (the production default is 20).
      env: {
        ...process.env,
        // Everything from INFO goes to the stack's log file (the log-scrubbing test reads it);
        // only warnings and errors reach the console.
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'INFO',
        RATE_LIMIT_INVITATIONS_PER_DAY: '5',
        // Thousands of personas sign in from 127.0.0.1: the sign-in guards' limits are raised here;
        // test/integration/auth-guards.test.ts checks the real ones in-process.
        RATE_LIMIT_SIGN_INS_PER_IP: '1000000',
        RATE_LIMIT_SIGN_INS_PER_ACCOUNT: '1000000',
        RATE_LIMIT_SIGN_UPS_PER_IP: '1000000',
        RATE_LIMIT_RESEND_CODES_PER_IP: '1000000',
        RATE_LIMIT_RESEND_CODES_PER_ACCOUNT: '1000000',
        RATE_LIMIT_PASSWORD_RESETS_PER_IP: '1000000',
        RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT: '1000000',
        RATE_LIMIT_CONFIRMS_PER_IP: '1000000',
        RATE_LIMIT_CONFIRMS_PER_ACCOUNT: '1000000',
        RATE_LIMIT_NEW_PASSWORDS_PER_IP: '1000000',
        RATE_LIMIT_NEW_PASSWORDS_PER_ACCOUNT: '1000000',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const logFile = path.join(ROOT, '.test-artifacts', `stack-${project.name}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'w' });
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    process.stderr.write(chunk);
  });
  const info = await new Promise<Record<string, string>>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('The local stack did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`The local stack exited early (code ${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('STACK_READY '));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice('STACK_READY '.length)) as Record<string, string>);
      }
      // Keep the stack's later logs visible.
      if (!line && buffer.length > 100_000) buffer = buffer.slice(-10_000);
    });
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim() && !/^\{"level":"(DEBUG|INFO)"/.test(line)) process.stdout.write(`${line}\n`);
  });
  child.removeAllListeners('exit');
  project.provide('stackLog', logFile);

  project.provide('baseUrl', String(info.appUrl));
  project.provide('sesUrl', String(info.sesUrl));
  project.provide('dynamoUrl', String(info.dynamoUrl));
  project.provide('cognitoUrl', String(info.cognitoUrl));
  project.provide('s3Url', String(info.s3Url));
  project.provide('mediaBucket', String(info.mediaBucket));
  project.provide('tableName', String(info.tableName));
  project.provide('userPoolId', String(info.userPoolId));
  project.provide('clientId', String(info.clientId));
  project.provide('demoPassword', String(info.demoPassword));

  return async () => {
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
}
