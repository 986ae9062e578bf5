/**
 * `npm test`: type-check, lint (which also forbids focused and skipped tests), then every vitest
 * project — unit, integration (real emulators), infra (CDK + cdk-nag), e2e (Chromium + axe).
 * Without Chromium the browser tests cannot run: that is said loudly, and is a failure in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { hasJava, JAVA_HELP, ROOT } from './local/emulators.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = process.env.CI === 'true';
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' };

function run(title: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const out = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
  console.log(
    `◀ ${title}: ${out.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (out.status !== 0) process.exit(out.status ?? 1);
}

function banner(lines: string[]): void {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n${lines.map((l) => `!!  ${l}`).join('\n')}\n${bar}\n`);
}

if (!hasJava()) {
  console.error(JAVA_HELP);
  process.exit(1);
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && inCi) {
  banner([
    `Chromium is missing (${CHROMIUM}) and CI=true: the browser tests must run in CI.`,
    'Install it with: apt-get install -y chromium',
  ]);
  process.exit(1);
}

const bin = (p: string) => path.join(ROOT, 'node_modules', p);
run('typecheck (tsc --noEmit)', [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
run('lint and format (biome ci)', [bin('@biomejs/biome/bin/biome'), 'ci', '.']);

// The browser tests run after the others rather than beside them: on two cores, Chromium, two
// local stacks and the CDK synth at once starve each other and page waits time out.
run('tests (unit, integration, infra)', [
  bin('vitest/vitest.mjs'),
  'run',
  '--project',
  'unit',
  '--project',
  'integration',
  '--project',
  'infra',
]);
if (hasChromium)
  run('browser tests (e2e, Chromium + axe)', [bin('vitest/vitest.mjs'), 'run', '--project', 'e2e']);

if (!hasChromium) {
  banner([
    `BROWSER TESTS DID NOT RUN: Chromium was not found at ${CHROMIUM}.`,
    'The e2e and accessibility tests were skipped on this machine only.',
    'Install it with: sudo apt-get install -y chromium   (or set CHROMIUM_PATH)',
  ]);
}
