/**
 * `npm run bench`: figures, never pass/fail (ARCHITECTURE, tests; issue 9). Printed as Markdown
 * and written to `bench/results.md` (overwritten on each run). In this order:
 *  1. function bundles — size per route, the largest bundle's top inputs, the 250 kB budget;
 *  2. cold start — module import time of each handler in a fresh Node process, next to empty
 *     handlers importing the same AWS SDK clients (before the stack starts, to keep it quiet);
 *  3. site weight — JS and total bytes per page of the built site, raw and gzip;
 *  then on a throwaway local stack (real emulators, in a child process):
 *  4. latency and throughput of the main routes at 1 and 20 clients next to a raw DynamoDB Local
 *     GetItem and Query in the same run (the ratio is the figure);
 *  5. DynamoDB round trips and RCU/WCU per request;
 *  6. section-message fan-out: calls, capacity and time per member for 200 and 1,500 members;
 *  7. digest scaling (once the digest job exists);
 *  8. Lighthouse performance score of a few pages (best effort).
 * Options: BENCH_SECONDS (default 5 per load measurement).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportBundles } from './bench/bundles.ts';
import { reportDigestScaling } from './bench/digest.ts';
import { reportHttp, startChildStack, stopChildStack } from './bench/http.ts';
import { reportLighthouse } from './bench/lighthouse.ts';
import { machineLines } from './bench/machine.ts';
import { Report } from './bench/report.ts';
import { reportSectionMessageFanOut } from './bench/section-message.ts';
import { reportSiteWeight } from './bench/site-weight.ts';
import { ROOT } from './local/emulators.ts';
import { ensureSiteBuilt } from './local/site.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
if (!(SECONDS > 0))
  throw new Error(`BENCH_SECONDS must be a positive number (got ${process.env.BENCH_SECONDS})`);
const RESULTS = path.join(ROOT, 'bench/results.md');
const LIGHTHOUSE_PAGES = ['/', '/inscription/'];

const started = performance.now();
const report = new Report();
report.heading('La coopol — bench results', 1);
report.paragraph(
  'Written by `npm run bench` (overwritten on each run). Figures, not pass/fail: compare ratios across runs and machines, not milliseconds — see the README, section Bench.',
  '',
  ...machineLines(SECONDS),
);

await reportBundles(report);
const dist = path.join(ROOT, 'site/dist');
let siteNote = '';
try {
  await ensureSiteBuilt((line) => console.log(line));
} catch (error) {
  // Measure the previous build if there is one, and say so; the bench is not a build check.
  siteNote = `The site build failed (${error instanceof Error ? error.message : String(error)}): these figures are from the previous build in \`site/dist\`.`;
}
if (existsSync(path.join(dist, 'index.html'))) reportSiteWeight(report, dist, siteNote);
else {
  report.heading('Site weight');
  report.paragraph(`Not measured — no built site. ${siteNote}`);
}

let child: ChildProcess | undefined;
const stop = async () => {
  if (child) await stopChildStack(child);
};
process.once('SIGINT', () => {
  void stop().finally(() => process.exit(130));
});
try {
  const stack = await startChildStack();
  child = stack.child;
  await reportHttp(report, stack.info, SECONDS);
  await reportSectionMessageFanOut(report, stack.info);
  await reportDigestScaling(report, stack.info);
  await reportLighthouse(report, stack.info.appUrl, LIGHTHOUSE_PAGES);
} finally {
  await stop();
}

const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
report.paragraph(
  `_Bench run time: ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end: ${load}._`,
);
report.write(RESULTS);
console.log(`Written to ${path.relative(process.cwd(), RESULTS)}`);
