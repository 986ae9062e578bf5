import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, launchBrowser } from '../support/browser.ts';
import {
  callApi,
  memberIdOf,
  registerMember,
  registerSecretary,
  sectionIdByName,
  signInApi,
  signInThroughPage,
} from './members.ts';

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

    // Visible to all, with a peer who writes to them: the messages pages have something to show.
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, { visibility: 'all' });
    const peer = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName: 'Paul',
      visibility: 'all',
    });
    const memberId = await memberIdOf(baseUrl, await signInApi(baseUrl, member));
    await callApi(
      baseUrl,
      await signInApi(baseUrl, peer),
      'POST',
      `/api/members/${memberId}/messages`,
      { text: 'Bonjour, bienvenue sur la coopol !' },
      201,
    );
    await signInThroughPage(page, baseUrl, member);
    await page.getByText(member.email, { exact: true }).waitFor();
    await collect();

    // The member pages, each waiting for what its script renders from the API.
    await page.goto(`${baseUrl}/annuaire/?q=durand`);
    await page.getByRole('link', { name: 'Sophie Durand' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sophie Durand' }).waitFor();
    // The block confirmation (a `<dialog>` filled by script) opens and closes.
    await page.getByRole('button', { name: 'Bloquer' }).click();
    await page.getByRole('dialog', { name: 'Bloquer Sophie Durand' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    // The « Envoyer un message » form opens and closes.
    await page.getByRole('button', { name: 'Envoyer un message' }).click();
    await page.getByLabel('Votre message').waitFor();
    await page.locator('#message-form').getByRole('button', { name: 'Annuler' }).click();
    await page.getByLabel('Votre message').waitFor({ state: 'hidden' });
    await collect();
    await page.goto(`${baseUrl}/coopains/`);
    await page.getByText('Vous n’avez pas encore de coopains.', { exact: false }).waitFor();
    await collect();
    // The inbox, a conversation (marked read, history, reply form), and the profile's message form.
    await page.goto(`${baseUrl}/messages/`);
    await page.getByText('1 non lu', { exact: true }).waitFor();
    await collect();
    await page.getByRole('link', { name: `${peer.firstName} ${peer.lastName}` }).click();
    await page.getByText('Bonjour, bienvenue sur la coopol !').waitFor();
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await page.getByText('Écrivez votre message.').waitFor();
    await collect();
    await page.goto(`${baseUrl}/membres-bloques/`);
    await page.getByText('Vous n’avez bloqué aucun membre.', { exact: false }).waitFor();
    await collect();
    await page.goto(`${baseUrl}/parametres/`);
    await page.getByText('Personne n’a consulté vos coordonnées.').waitFor();
    await collect();
    await page.goto(`${baseUrl}/secretariat/`);
    await page.getByText('Cette page est réservée aux secrétaires de section', { exact: false }).waitFor();
    await collect();

    // A secretary's page, with the commitment and the roster.
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('button', { name: 'Se déconnecter' })
      .click();
    await page.waitForURL(`${baseUrl}/?deconnexion=ok`);
    const strasbourg = await sectionIdByName(baseUrl, 'Strasbourg');
    const secretary = await registerSecretary(
      baseUrl,
      sesUrl,
      CHARTER_VERSION,
      strasbourg,
      inject('demoPassword'),
    );
    await signInThroughPage(page, baseUrl, secretary);
    await page.goto(`${baseUrl}/secretariat/`);
    await page.getByRole('heading', { level: 2, name: 'Engagement de confidentialité' }).waitFor();
    await page.getByRole('link', { name: `${secretary.firstName} ${secretary.lastName}` }).waitFor();
    await collect();

    expect(violations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 150_000);
});
