import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, expectNoSeriousA11yViolations, launchBrowser } from '../support/browser.ts';
import { registerMember, signInThroughPage } from './members.ts';

const PUBLIC_PAGES = [
  { path: '/', h1: /La coopol/ },
  { path: '/inscription/', h1: 'Rejoindre la coopol' },
  { path: '/confirmation/', h1: 'Confirmez votre adresse e-mail' },
  { path: '/connexion/', h1: 'Connexion' },
  { path: '/charte/', h1: 'Charte de la coopol' },
  { path: '/page-qui-n-existe-pas/', h1: 'Page introuvable' },
];

describe('accessibility (axe, WCAG 2 A and AA)', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const { path, h1 } of PUBLIC_PAGES) {
    it(`finds no serious violation on ${path}`, async () => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
      await page.getByRole('heading', { level: 1, name: h1 }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await expectNoSeriousA11yViolations(page);
    }, 60_000);
  }

  it('finds no serious violation on the sign-up form showing its errors and the consent box', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/inscription/`, { waitUntil: 'networkidle' });
    await page.getByLabel(/^Tous les membres, sympathisant·es compris/).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Indiquez votre adresse e-mail.').waitFor();
    await page.locator('summary', { hasText: 'Lire la charte de la coopol' }).click();
    await expectNoSeriousA11yViolations(page);
  }, 60_000);

  it('finds no serious violation on /profil/ for a signed-in member', async () => {
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION);
    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, member);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    expect(browser.pageErrors).toEqual([]);
  }, 90_000);
});
