import { type ChildProcess, spawn } from 'node:child_process';
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
    tableName: string;
    userPoolId: string;
    clientId: string;
    demoPassword: string;
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
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
        RATE_LIMIT_INVITATIONS_PER_DAY: '5',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
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
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  child.removeAllListeners('exit');

  project.provide('baseUrl', String(info.appUrl));
  project.provide('sesUrl', String(info.sesUrl));
  project.provide('dynamoUrl', String(info.dynamoUrl));
  project.provide('cognitoUrl', String(info.cognitoUrl));
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
