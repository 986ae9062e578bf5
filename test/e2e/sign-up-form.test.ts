import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, launchBrowser } from '../support/browser.ts';

/** What the member sees when the sign-up form is not right yet (errors tied to their fields). */
describe('sign-up form', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function openForm(): Promise<void> {
    page = await browser.newPage();
    await page.goto(`${baseUrl}/inscription/`, { waitUntil: 'networkidle' });
  }

  async function describedBy(label: string | RegExp): Promise<string> {
    const ids = (await page.getByLabel(label).first().getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      ids
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    return texts.join(' ');
  }

  it('ties each missing answer to its field and focuses the first one', async () => {
    await openForm();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Indiquez votre adresse e-mail.').waitFor();
    expect(await page.getByLabel('Adresse e-mail').getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy('Adresse e-mail')).toContain('Indiquez votre adresse e-mail.');
    expect(await describedBy('Prénom')).toContain('Indiquez votre prénom.');
    expect(await describedBy('Adhérent·e PS')).toContain('Indiquez si vous êtes adhérent·e');
    expect(await describedBy(/J.ai lu et j.accepte la charte/)).toContain('Vous devez accepter la charte');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.getByRole('status').filter({ hasText: 'Le formulaire contient' }).waitFor();
  }, 60_000);

  it('asks for a section from PS and MJS members but not from sympathisants', async () => {
    await openForm();
    await page.getByLabel('Adhérent·e MJS', { exact: true }).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    expect(await describedBy(/^Section/)).toContain('Choisissez votre section');
    await page.getByLabel('Sympathisant·e', { exact: true }).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Indiquez votre adresse e-mail.').waitFor();
    expect(await describedBy(/^Section/)).not.toContain('Choisissez votre section :');
    await page.getByText('(facultatif pour les sympathisant·es)').waitFor();
  }, 60_000);

  it('reveals a required consent when the member chooses to be visible to all (GDPR art. 9)', async () => {
    await openForm();
    const consent = page.getByLabel(/^J’accepte que mon profil et mon appartenance au Parti soient visibles/);
    expect(await consent.isVisible()).toBe(false);
    await page.getByLabel(/^Tous les membres, sympathisant·es compris/).check();
    await consent.waitFor();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    expect(await describedBy(/^J’accepte que mon profil/)).toContain('cochez la case d’accord');
    await page.getByLabel(/^Les adhérent·es/).check();
    expect(await consent.isVisible()).toBe(false);
  }, 60_000);

  it('shows an error answered by the API next to the field it names', async () => {
    await openForm();
    let sent: Record<string, unknown> = {};
    await page.route('**/api/auth/sign-up', async (route) => {
      sent = route.request().postDataJSON() as Record<string, unknown>;
      await route.fulfill({
        status: 400,
        json: {
          error: {
            code: 'signup.weak_password',
            message: 'Mot de passe refusé : choisissez-en un plus robuste.',
            field: 'password',
          },
        },
      });
    });
    await page.getByLabel('Adresse e-mail').fill('Claire.Dupont@exemple.fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill('motdepasse1');
    await page.getByLabel('Prénom').fill('Claire');
    await page.getByLabel('Nom', { exact: true }).fill('Dupont');
    await page.getByLabel('Sympathisant·e', { exact: true }).check();
    await page.getByLabel(/J.ai lu et j.accepte la charte/).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Mot de passe refusé : choisissez-en un plus robuste.').waitFor();
    expect(await describedBy('Mot de passe')).toContain('Mot de passe refusé');
    expect(new URL(page.url()).pathname).toBe('/inscription/');
    // Only the contract's fields: no section for this sympathisant, no consent without `all`.
    expect(Object.keys(sent).sort()).toEqual(
      [
        'charterAccepted',
        'charterVersion',
        'email',
        'firstName',
        'lastName',
        'membership',
        'password',
        'visibility',
      ].sort(),
    );
    expect(sent).toMatchObject({ membership: 'sympathisant', visibility: 'section', charterAccepted: true });
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);
});
