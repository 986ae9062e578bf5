import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { registerMember, signInThroughPage, uniqueLastName } from './members.ts';

/**
 * Paramètres → Mes données (SPEC §7): a member downloads their data as a JSON file, then deletes
 * their account after typing SUPPRIMER and confirming; the home page says it is done, and the
 * address no longer signs in.
 */
describe('my data', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('exports the data, then deletes the account', async () => {
    const lastName = uniqueLastName('Donnees');
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, { firstName: 'Renée', lastName });
    await signInThroughPage(page, baseUrl, member);
    await page.goto(`${baseUrl}/parametres/`);
    await page.getByRole('link', { name: 'Télécharger mes données ou supprimer mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes données' }).waitFor();
    await expectNoSeriousA11yViolations(page);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Télécharger mes données' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^coopol-mes-donnees-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile(String(await file.path()), 'utf8')) as {
      profile: { lastName: string };
      contact: { email: string };
    };
    expect(data.profile.lastName).toBe(lastName);
    expect(data.contact.email).toBe(member.email);
    await page.getByText('Vos données ont été téléchargées.').waitFor();

    // A wrong confirmation is refused on the page, before anything is sent.
    await page.getByLabel('Pour confirmer, tapez SUPPRIMER').fill('supprimer');
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await page.getByText('Tapez SUPPRIMER, en majuscules, pour confirmer.').waitFor();
    await page.getByLabel('Pour confirmer, tapez SUPPRIMER').fill('SUPPRIMER');
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    const dialog = page.getByRole('dialog', { name: 'Supprimer définitivement votre compte ?' });
    await dialog.waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'personal-data-confirm.png');
    await dialog.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.getByText('Votre compte est supprimé', { exact: false }).waitFor();

    // The address no longer opens a session.
    const signIn = await fetch(`${baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: member.email, password: member.password }),
    });
    expect(signIn.status).toBeGreaterThanOrEqual(400);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
