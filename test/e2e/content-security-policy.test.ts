import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, launchBrowser } from '../support/browser.ts';
import { registerMember, signInThroughPage } from './members.ts';

/**
 * The policy the site is built for (no inline script, style or handler; one origin for the API).
 * The test adds it to every page the local gateway serves and fails on any violation, so the
 * site stays ready for the header to be set on CloudFront.
 */
const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

describe('content security policy', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    await browser.context.route(`${baseUrl}/**`, async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': STRICT_CSP },
      });
    });
    await browser.context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations?.push(`${event.violatedDirective} ${event.blockedURI || '(inline)'}`);
      });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('runs every page, signed out and signed in, under a strict policy', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    const collect = async () => violations.push(...((await page.evaluate(() => window.cspViolations)) ?? []));

    for (const path of ['/', '/inscription/', '/confirmation/', '/connexion/', '/charte/']) {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
      await collect();
    }
    // The sign-up page's script ran: it filled the list of sections through `connect-src 'self'`.
    await page.goto(`${baseUrl}/inscription/`);
    await page.locator('#sectionId option:not([value=""])').first().waitFor({ state: 'attached' });
    await collect();

    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION);
    await signInThroughPage(page, baseUrl, member);
    await page.getByText(member.email, { exact: true }).waitFor();
    await collect();

    expect(violations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 90_000);
});
