/**
 * A throwaway stack for the test run: ephemeral ports (so tests run beside `npm start`), DynamoDB
 * in memory, Cognito data in a temp folder. Prints one `STACK_READY <json>` line, then runs until
 * SIGTERM (or, with `--exit-with-parent`, until its parent closes stdin).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from './seed.ts';
import { startStack } from './stack.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'coopol-test-'));
const stack = await startStack({
  dataDir,
  persist: false,
  ports: { app: 0, dynamo: 0, cognito: 0, ses: 0, s3: 0 },
  seed: true,
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.argv.includes('--exit-with-parent')) {
  // The test runner holds our stdin: when it goes away (even killed), so do we and our emulators.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

const { stop: _ignored, ...info } = stack;
process.stdout.write(`STACK_READY ${JSON.stringify({ ...info, demoPassword: DEMO_PASSWORD })}\n`);
