import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, launchBrowser, screenshot } from '../support/browser.ts';
import {
  callApi,
  demoMember,
  memberIdOf,
  type NewMember,
  registerMember,
  sectionIdByName,
  signInApi,
  signInThroughPage,
  signOutThroughPage,
  uniqueLastName,
} from './members.ts';

interface DirectoryPage {
  items: Array<{ id: string }>;
}

/**
 * The charter's « Ma section uniquement » (SPEC §2): a member at `section` is seen by nobody but
 * themself and their section's secretary. The member here is new (a confirmed PS adherent of
 * Paris 11e); the viewers are the demo MJS member (adherents circle) and Paris 11e's secretary.
 */
describe('visibility « Ma section uniquement »', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  const demoPassword = inject('demoPassword');
  const leo = demoMember('mjs', demoPassword);
  const sophie = demoMember('secretaire', demoPassword);
  let browser: Browser;
  let page: Page;
  let member: NewMember;
  let memberId: string;
  let memberToken: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    // Prepare: a confirmed PS adherent of Paris 11e, visible to the adherents.
    const paris = await sectionIdByName(baseUrl, 'Paris 11e');
    member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName: 'Margaux',
      lastName: uniqueLastName('Discrete'),
      sectionId: paris,
      visibility: 'adherents',
    });
    memberToken = await signInApi(baseUrl, member);
    memberId = await memberIdOf(baseUrl, memberToken);
    const secretary = await signInApi(baseUrl, sophie);
    await callApi(baseUrl, secretary, 'POST', `/api/sections/${paris}/members/${memberId}/confirm`);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function directoryIdsSeenByLeo(): Promise<string[]> {
    const token = await signInApi(baseUrl, leo);
    const page = await callApi<DirectoryPage>(
      baseUrl,
      token,
      'GET',
      `/api/directory?q=${encodeURIComponent(member.lastName)}`,
    );
    return page.items.map((item) => item.id);
  }

  it('hides the member from the directory and their profile, but not from their secretary', async () => {
    const name = `${member.firstName} ${member.lastName}`;
    // Before: an adherent finds them.
    expect(await directoryIdsSeenByLeo()).toEqual([memberId]);

    // Act: the member chooses « Ma section uniquement » in their settings.
    await signInThroughPage(page, baseUrl, member);
    await page.goto(`${baseUrl}/parametres/`);
    await page.getByRole('heading', { level: 2, name: 'Visibilité' }).waitFor();
    expect(await page.getByLabel(/^Les adhérent·es/).isChecked()).toBe(true);
    await page.getByLabel(/^Ma section uniquement/).check();
    await page.getByRole('button', { name: 'Enregistrer ma visibilité' }).click();
    await page.getByText('Votre visibilité est enregistrée : « Ma section uniquement ».').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Visibilité' }).waitFor();
    expect(await page.getByLabel(/^Ma section uniquement/).isChecked()).toBe(true);
    await screenshot(page, 'parametres.png');
    await signOutThroughPage(page, baseUrl);

    // Assess: another adherent no longer finds them, and their profile does not exist for him.
    // (Signed out, the directory sends him to sign in, then back to the directory.)
    await page.goto(`${baseUrl}/annuaire/`);
    await page.waitForURL(`${baseUrl}/connexion/?session=requise&retour=%2Fannuaire%2F`);
    await page.getByText('Connectez-vous pour accéder à cette page.').waitFor();
    await page.getByLabel('Adresse e-mail').fill(leo.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(leo.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/annuaire/`);
    await page.getByLabel('Prénom ou nom').fill(member.lastName);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Aucun membre ne correspond à votre recherche.' })
      .waitFor();
    expect(await page.getByRole('link', { name }).count()).toBe(0);
    await page.getByText('Les membres « section » n’apparaissent pas.', { exact: false }).waitFor();
    await screenshot(page, 'annuaire-sans-resultat.png');

    await page.goto(`${baseUrl}/membre/?id=${memberId}`);
    await page.getByText('Ce profil n’existe pas ou ne vous est pas visible.').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Profil introuvable');
    expect(await page.getByText(member.lastName).count()).toBe(0);
    await screenshot(page, 'membre-introuvable.png');
    await signOutThroughPage(page, baseUrl);

    // Their secretary still sees them, with their contact details, once committed to confidentiality.
    await signInThroughPage(page, baseUrl, sophie);
    await page.goto(`${baseUrl}/secretariat/`);
    await page.getByRole('heading', { level: 2, name: 'Membres de la section Paris 11e' }).waitFor();
    const commitment = page.getByRole('heading', { level: 2, name: 'Engagement de confidentialité' });
    await page.locator('#roster-body tr').first().waitFor();
    if (await commitment.isVisible()) {
      await page.getByLabel(/^Je m’engage à ne pas divulguer/).check();
      await page.getByRole('button', { name: 'Accepter l’engagement' }).click();
      await page.getByText('Votre engagement de confidentialité est enregistré.', { exact: false }).waitFor();
      await commitment.waitFor({ state: 'hidden' });
    }
    // Contact details are shown only on request (each one shown is a recorded read).
    await page.getByLabel(/^Afficher les coordonnées/).check();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    const more = page.getByRole('button', { name: 'Afficher plus' });
    while ((await row.count()) === 0 && (await more.isVisible())) {
      await more.click();
      await page.waitForLoadState('networkidle');
    }
    await row.waitFor();
    await row.getByText('Section uniquement').waitFor();
    await row.getByRole('link', { name: member.email }).waitFor();
    await page.getByText('Chaque consultation de coordonnées est enregistrée', { exact: false }).waitFor();
    await screenshot(page, 'secretariat.png');

    // The member sees that read on their settings page.
    await signOutThroughPage(page, baseUrl);
    await signInThroughPage(page, baseUrl, member);
    await page.goto(`${baseUrl}/parametres/#consultations`);
    const reads = page.getByRole('table', { name: /Consultations de vos coordonnées/ });
    await reads.getByText('Sophie Durand, secrétaire de section').first().waitFor();
    await signOutThroughPage(page, baseUrl);

    // Restore: back to the adherents, the member is found again.
    const me = await callApi<{ member: { firstName: string; lastName: string; bio: string } }>(
      baseUrl,
      memberToken,
      'GET',
      '/api/me',
    );
    await callApi(baseUrl, memberToken, 'PUT', '/api/me', {
      firstName: me.member.firstName,
      lastName: me.member.lastName,
      bio: me.member.bio,
      visibility: 'adherents',
    });
    expect(await directoryIdsSeenByLeo()).toEqual([memberId]);
    expect(browser.pageErrors).toEqual([]);
  }, 150_000);
});
