/**
 * Lighthouse performance score of a few pages of the running local stack, with Debian's Chromium
 * (the `lighthouse` Node API and `chrome-launcher`). Lighthouse's defaults: mobile form factor,
 * simulated throttling (Lantern), so the score does not depend on this machine's network.
 * Best effort: if anything is missing or fails, the section says why and the bench carries on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Report } from './report.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags the e2e tests use (ARCHITECTURE, tests). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGE_TIMEOUT_MS = 120_000;

interface PageScore {
  path: string;
  score: number | null;
  metrics: Record<string, string>;
  warning?: string;
  seconds: number;
}

const METRICS: [id: string, label: string][] = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'Speed Index'],
];

function chromiumVersion(): string {
  const out = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return out.stdout.match(/Chromium [\d.]+/)?.[0] ?? 'Chromium';
}

function withTimeout<T>(promise: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: no answer after ${PAGE_TIMEOUT_MS / 1000} s`)),
      PAGE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function scores(
  baseUrl: string,
  paths: readonly string[],
): Promise<{ pages: PageScore[]; versions: string }> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const [{ default: lighthouse }, chromeLauncher] = await Promise.all([
    import('lighthouse'),
    import('chrome-launcher'),
  ]);
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: FLAGS,
    logLevel: 'silent',
  });
  try {
    const pages: PageScore[] = [];
    let versions = '';
    for (const p of paths) {
      const started = performance.now();
      const result = await withTimeout(
        lighthouse(new URL(p, baseUrl).href, {
          port: chrome.port,
          output: 'json',
          logLevel: 'silent',
          onlyCategories: ['performance'],
        }),
        `Lighthouse on ${p}`,
      );
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`Lighthouse returned no result for ${p}`);
      versions = `Lighthouse ${lhr.lighthouseVersion}, ${chromiumVersion()}`;
      const metrics: Record<string, string> = {};
      for (const [id, label] of METRICS) metrics[label] = lhr.audits[id]?.displayValue ?? '—';
      const warning =
        lhr.runtimeError?.message ?? (lhr.runWarnings.length ? lhr.runWarnings.join(' ') : undefined);
      pages.push({
        path: p,
        score: lhr.categories.performance?.score ?? null,
        metrics,
        seconds: (performance.now() - started) / 1000,
        ...(warning ? { warning } : {}),
      });
    }
    return { pages, versions };
  } finally {
    chrome.kill();
  }
}

export async function reportLighthouse(
  report: Report,
  baseUrl: string,
  paths: readonly string[],
): Promise<void> {
  report.heading('Lighthouse (performance)');
  const started = performance.now();
  try {
    const { pages, versions } = await scores(baseUrl, paths);
    report.paragraph(
      `${versions} (headless), against the local stack's pages. Lighthouse defaults: mobile form factor, simulated throttling — the network is modelled, but script work is timed on this machine, so a busy machine lowers the score (TBT first).`,
    );
    report.table({
      headers: ['page', 'score', ...METRICS.map(([, label]) => label), 'run time'],
      rows: pages.map((p) => [
        `\`${p.path}\``,
        p.score === null ? '—' : Math.round(p.score * 100),
        ...METRICS.map(([, label]) => p.metrics[label] ?? '—'),
        `${p.seconds.toFixed(0)} s`,
      ]),
      right: [1, 2, 3, 4, 5, 6, 7],
    });
    const warnings = pages.filter((p) => p.warning).map((p) => `\`${p.path}\`: ${p.warning}`);
    if (warnings.length) report.paragraph(`Lighthouse warnings — ${warnings.join('; ')}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    report.paragraph(
      `Lighthouse: not measured — it could not run here (${reason}), after ${((performance.now() - started) / 1000).toFixed(0)} s. The rest of the bench is unaffected.`,
    );
  }
}
