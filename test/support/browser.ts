import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Site and `/api` on one origin, e.g. `http://127.0.0.1:PORT` (no trailing slash). */
    baseUrl: string;
    /** aws-ses-v2-local: `GET ${sesUrl}/store` lists the mails sent. */
    sesUrl: string;
    /** The password of the seeded demo members. */
    demoPassword: string;
  }
}

/** Debian's `chromium` package (ARCHITECTURE "Tests"): e2e tests drive it, never a downloaded build. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and other files for people to look at after a run (git-ignored). */
export const ARTIFACTS_DIR = path.resolve(process.cwd(), '.test-artifacts');

export interface Browser {
  context: BrowserContext;
  /** A new tab; every page of one `Browser` shares cookies and storage origins. */
  newPage: () => Promise<Page>;
  /** Uncaught script errors seen on any page (a broken client script must fail the test). */
  pageErrors: string[];
  close: () => Promise<void>;
}

/**
 * Starts Chromium with a fresh profile in a temporary directory. There is no skipping: without
 * Chromium the e2e tests fail with this error (the test runner prints how to install it).
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with apt-get install chromium`);
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'coopol-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'fr-FR',
    viewport: { width: 1280, height: 900 },
  });
  const pageErrors: string[] = [];
  const watch = (page: Page) =>
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    pageErrors,
    newPage: async () => {
      // A persistent context opens with one blank tab: use it first.
      const blank = context.pages().find((page) => page.url() === 'about:blank');
      return blank ?? context.newPage();
    },
    close: async () => {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs axe (WCAG 2 A and AA rules) on the page as it is now, and fails on any violation of
 * impact `serious` or `critical`, listing each rule with the elements it found.
 */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length === 0) return;
  const lines = serious.map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map(
        (node) =>
          `      ${node.target.join(' ')}\n        ${node.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`,
      )
      .join('\n');
    const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
    return `  - [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
  });
  throw new Error(`Accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
}

/** Saves a full-page screenshot under `.test-artifacts/`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
