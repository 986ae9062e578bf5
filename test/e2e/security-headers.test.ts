import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { originOf, securityHeaders } from '../../infra/security-headers.ts';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, launchBrowser } from '../support/browser.ts';
import {
  type NewMember,
  registerMember,
  signInApi,
  signInThroughPage,
  signOutThroughPage,
} from './members.ts';

/**
 * Browser hardening (issue 12): every page of the built site — whatever pages exist in site/dist,
 * so a new page is covered without touching this file — and the API answer with the shared
 * security headers (infra/security-headers.ts); the build has no inline code; an inline script,
 * handler or style injected into any page is refused by the CSP; the ID token never appears in a
 * URL; and « Se déconnecter » leaves nothing behind.
 */

const DIST = path.resolve(import.meta.dirname, '../../site/dist');
const REFRESH_COOKIE = 'coopol_refresh';

/** Pages meant to be used signed out; every other page is visited signed in. */
const SIGNED_OUT_PAGES = new Set([
  '/',
  '/404.html',
  '/charte/',
  '/confirmation/',
  '/connexion/',
  '/desinscription/',
  '/inscription/',
]);

/** Every HTML file of the build, as the path the site serves it at (`agenda/index.html` → `/agenda/`). */
function builtPages(): { path: string; file: string }[] {
  return readdirSync(DIST, { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.html'))
    .map((rel) => {
      const web = `/${rel.split(path.sep).join('/')}`;
      return { path: web.endsWith('/index.html') ? web.slice(0, -'index.html'.length) : web, file: rel };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

declare global {
  interface Window {
    __pwned?: boolean;
    __pwnedHandler?: boolean;
    __siteViolations?: string[];
  }
}

interface Injection {
  directives: string[];
  pwned: boolean | undefined;
  pwnedHandler: boolean | undefined;
  outlineWidth: string;
}

/**
 * What an attacker who got markup into the page would try: an inline `<script>`, an inline event
 * handler (fired by a click) and an inline `<style>`. Returns the CSP violations they caused and
 * whether any of them ran.
 */
function injectInline(page: Page): Promise<Injection> {
  return page.evaluate(async () => {
    const directives: string[] = [];
    const listener = (event: SecurityPolicyViolationEvent) => {
      if (event.blockedURI === 'inline') directives.push(event.effectiveDirective);
    };
    document.addEventListener('securitypolicyviolation', listener);
    const script = document.createElement('script');
    script.textContent = 'window.__pwned = true;';
    document.body.append(script);
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.__pwnedHandler = true;');
    document.body.append(button);
    button.click();
    const style = document.createElement('style');
    style.textContent = 'body { outline: 7px solid red; }';
    document.head.append(style);
    // Violation events are queued as tasks: wait for the three.
    const deadline = Date.now() + 3000;
    while (directives.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    document.removeEventListener('securitypolicyviolation', listener);
    for (const node of [script, button, style]) node.remove();
    return {
      directives: directives.sort(),
      pwned: window.__pwned,
      pwnedHandler: window.__pwnedHandler,
      outlineWidth: getComputedStyle(document.body).outlineWidth,
    };
  });
}

/** Loads a page, lets its scripts (and any redirect they make) settle, then injects. */
async function visitAndInject(
  page: Page,
  url: string,
): Promise<{ finalUrl: string; site: string[]; injection: Injection }> {
  await page.goto(url, { waitUntil: 'load' });
  for (let attempt = 0; ; attempt++) {
    await page.waitForLoadState('networkidle');
    try {
      const site = (await page.evaluate(() => window.__siteViolations ?? [])) as string[];
      return { finalUrl: page.url(), site, injection: await injectInline(page) };
    } catch (error) {
      // The page's script navigated (a redirect to sign-in, say) while we were evaluating: retry there.
      if (attempt >= 2 || !/context was destroyed|navigation/i.test(String(error))) throw error;
    }
  }
}

function storageOf(page: Page): Promise<{ session: Record<string, string>; local: Record<string, string> }> {
  return page.evaluate(() => ({ session: { ...window.sessionStorage }, local: { ...window.localStorage } }));
}

describe('browser hardening', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  const expected = securityHeaders({ mediaOrigin: originOf(inject('s3Url')), https: false });
  let browser: Browser;
  let member: NewMember;

  beforeAll(async () => {
    // A member of our own: a newcomer (the « Premiers pas » card keeps its dismissal in
    // localStorage), and the shared demo accounts stay untouched.
    member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, { firstName: 'Rose', visibility: 'all' });
    browser = await launchBrowser();
    // Records any violation the site's own code causes, from the first byte of every page.
    await browser.context.addInitScript(() => {
      window.__siteViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__siteViolations?.push(`${event.effectiveDirective} ${event.blockedURI}`);
      });
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('builds pages with no inline script, style, style attribute or event handler', () => {
    const pages = builtPages();
    expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining([...SIGNED_OUT_PAGES, '/fil/']));
    const found: string[] = [];
    for (const { path: page, file } of pages) {
      const html = readFileSync(path.join(DIST, file), 'utf8');
      const checks: [string, RegExp][] = [
        ['inline <script>', /<script\b(?![^>]*\ssrc=)[^>]*>/gi],
        ['<style>', /<style\b/gi],
        ['style= attribute', /<[a-z][^>]*\sstyle\s*=/gi],
        ['on…= handler', /<[a-z][^>]*\son[a-z]+\s*=/gi],
        ['javascript: URL', /\s(?:href|src|action)\s*=\s*["']?\s*javascript:/gi],
      ];
      for (const [what, pattern] of checks) {
        for (const match of html.matchAll(pattern)) found.push(`${page}: ${what}: ${match[0].slice(0, 80)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('answers every page, asset and API call with the shared security headers', async () => {
    const pages = builtPages();
    const firstPage = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const assets = [
      /<script[^>]*\ssrc="([^"]+)"/.exec(firstPage)?.[1],
      /<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]*href="([^"]+\.css)"/
        .exec(firstPage)
        ?.slice(1)
        .find(Boolean),
    ];
    expect(assets.every(Boolean)).toBe(true);
    const token = await signInApi(baseUrl, member);
    const requests: { what: string; url: string; init?: RequestInit; status: number }[] = [
      ...pages.map((p) => ({ what: p.path, url: p.path, status: 200 })),
      ...assets.map((a) => ({ what: `asset ${a}`, url: String(a), status: 200 })),
      { what: 'a missing page', url: '/pas-de-page-ici/', status: 404 },
      { what: 'a public route', url: '/api/health', status: 200 },
      {
        what: 'a member route',
        url: '/api/me',
        init: { headers: { authorization: `Bearer ${token}` } },
        status: 200,
      },
      { what: 'a member route without a token', url: '/api/me', status: 401 },
      { what: 'an unknown route', url: '/api/pas-de-route', status: 404 },
      { what: 'invalid input', url: '/api/auth/sign-in', init: { method: 'POST', body: '{}' }, status: 400 },
    ];
    const wrong: string[] = [];
    for (const request of requests) {
      const response = await fetch(`${baseUrl}${request.url}`, request.init);
      await response.arrayBuffer();
      if (response.status !== request.status) wrong.push(`${request.what}: status ${response.status}`);
      for (const [name, value] of Object.entries(expected)) {
        const got = response.headers.get(name);
        if (got !== value) wrong.push(`${request.what}: ${name} is ${JSON.stringify(got)}`);
      }
      // Plain HTTP locally: no HSTS (infra/security-headers.ts says why; CloudFront sends it).
      if (response.headers.has('strict-transport-security')) wrong.push(`${request.what}: HSTS over HTTP`);
    }
    expect(wrong).toEqual([]);
    expect(requests.length).toBeGreaterThan(pages.length);
  });

  it('refuses an injected inline script, handler and style on every page, and keeps the ID token out of URLs', async () => {
    const pages = builtPages();
    const page = await browser.newPage();
    const urls: string[] = [];
    const onRequest = (request: { url: () => string }) => urls.push(request.url());
    browser.context.on('request', onRequest);
    // A header the browser cannot parse (an unknown feature in Permissions-Policy, a bad CSP
    // directive) is reported on the console; the injected code's own refusals are expected there.
    const consoleProblems: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (
        /Permissions-Policy|Unrecognized feature|Unrecognized Content-Security-Policy|directive .* is ignored/i.test(
          text,
        )
      )
        consoleProblems.push(`${page.url()}: ${text}`);
    });

    const failures: string[] = [];
    const check = async (pagePath: string) => {
      const { finalUrl, site, injection } = await visitAndInject(page, `${baseUrl}${pagePath}`);
      const where = finalUrl === `${baseUrl}${pagePath}` ? pagePath : `${pagePath} (→ ${finalUrl})`;
      if (site.length) failures.push(`${where}: the page itself violates the CSP: ${site.join(', ')}`);
      if (injection.pwned !== undefined) failures.push(`${where}: the injected script ran`);
      if (injection.pwnedHandler !== undefined) failures.push(`${where}: the injected handler ran`);
      if (injection.outlineWidth === '7px') failures.push(`${where}: the injected style applied`);
      const want = ['script-src-attr', 'script-src-elem', 'style-src-elem'];
      if (JSON.stringify(injection.directives) !== JSON.stringify(want))
        failures.push(
          `${where}: violations ${JSON.stringify(injection.directives)}, expected ${JSON.stringify(want)}`,
        );
    };

    const signedOut = pages.filter((p) => SIGNED_OUT_PAGES.has(p.path));
    const signedIn = pages.filter((p) => !SIGNED_OUT_PAGES.has(p.path));
    for (const p of signedOut) await check(p.path);

    await signInThroughPage(page, baseUrl, member);
    const secrets = new Set<string>();
    const collectSecrets = async () => {
      const { session } = await storageOf(page);
      for (const value of Object.values(session)) if (value.split('.').length === 3) secrets.add(value);
      for (const cookie of await browser.context.cookies(`${baseUrl}/api/auth/`))
        if (cookie.name === REFRESH_COOKIE && cookie.value) secrets.add(cookie.value);
    };
    await collectSecrets();
    // The ID token (a JWT in sessionStorage) and the refresh token (the cookie) are both there.
    expect(secrets.size).toBe(2);
    for (const p of signedIn) {
      await check(p.path);
      await collectSecrets();
    }
    browser.context.off('request', onRequest);

    expect(failures).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(urls.length).toBeGreaterThan(pages.length);
    const leaking = urls.filter((url) => [...secrets].some((secret) => url.includes(secret)));
    expect(leaking).toEqual([]);
    await page.close();
  }, 240_000);

  it('forgets everything on « Se déconnecter »: storage, refresh cookie and refresh token', async () => {
    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, member);
    // The newcomer hides « Premiers pas »: a choice this browser remembers under the member's id.
    await page.getByRole('button', { name: 'Masquer les premiers pas' }).click();
    const before = await storageOf(page);
    const idToken = Object.values(before.session).find((v) => v.split('.').length === 3);
    expect(idToken).toBeDefined();
    expect(Object.keys(before.local)).not.toEqual([]);
    const refresh = (await browser.context.cookies(`${baseUrl}/api/auth/`)).find(
      (c) => c.name === REFRESH_COOKIE,
    );
    expect(refresh?.httpOnly).toBe(true);
    expect(refresh?.sameSite).toBe('Strict');
    const refreshWith = (value: string) =>
      fetch(`${baseUrl}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: `${REFRESH_COOKIE}=${value}` },
      });
    // The refresh token works before sign-out.
    expect((await refreshWith(String(refresh?.value))).status).toBe(200);

    await signOutThroughPage(page, baseUrl);

    // Nothing is left in the tab's or the origin's storage.
    expect(await storageOf(page)).toEqual({ session: {}, local: {} });
    // The cookie is gone from the browser…
    const after = await browser.context.cookies(`${baseUrl}/api/auth/`);
    expect(after.filter((c) => c.name === REFRESH_COOKIE)).toEqual([]);
    // …and its token was revoked: replayed, it is refused.
    const replay = await refreshWith(String(refresh?.value));
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('auth.session_expired');

    // The ID token is a self-contained JWT: API Gateway's authorizer checks its signature and expiry
    // only, so a copy taken before sign-out still works until it expires — one hour on AWS
    // (`idTokenValidity` in infra/stacks/data-stack.ts; cognito-local issues longer ones). This is
    // the documented limit (docs/security.md, "Browser"), shown here so that it stays known.
    const stale = await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${idToken}` } });
    await stale.arrayBuffer();
    expect(stale.status).toBe(200);
    await page.close();
  }, 90_000);
});
