import type { Page } from 'playwright-core';
import type { Browser } from '../support/browser.ts';

/**
 * The policy the site is built for (no inline script, style or handler; one origin for the API).
 * `enforceStrictCsp` adds it to every page the local gateway serves, so that a test can fail on
 * any violation and the site stays ready for the header to be set on CloudFront.
 */
export const STRICT_CSP = [
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

/** Serves every document of `baseUrl` with the strict policy, and records each violation in the page. */
export async function enforceStrictCsp(browser: Browser, baseUrl: string): Promise<void> {
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
}

/** The violations the page has seen since it loaded. */
export async function cspViolationsOf(page: Page): Promise<string[]> {
  return (await page.evaluate(() => window.cspViolations)) ?? [];
}
