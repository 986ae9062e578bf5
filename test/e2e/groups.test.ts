import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { letters, type Persona, persona, seedPersonas } from '../support/personas.ts';
import { signInThroughPage } from './members.ts';
import { asMember, loaded } from './posts.ts';

/**
 * Groups (SPEC §4): a member creates a group joined on request and is its admin; another member
 * finds it, asks to join; the admin accepts the request; the new member publishes in the group,
 * and the admin reads it there. Two tabs of one browser, one member signed in each (each tab
 * keeps its own session).
 */
describe('a group', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let adminPage: Page;
  let memberPage: Page;
  let creator: Persona;
  let applicant: Persona;

  beforeAll(async () => {
    const suffix = letters(8);
    const seeded = await seedPersonas([
      {
        key: 'creator',
        firstName: 'Nadia',
        lastName: `Groupe${suffix}`,
        membership: 'adherent',
        confirmed: true,
        section: 'lyon',
        visibility: 'adherents',
        signsIn: true,
      },
      {
        key: 'applicant',
        firstName: 'Omar',
        lastName: `Groupe${suffix}`,
        membership: 'adherent',
        confirmed: true,
        section: 'toulouse',
        visibility: 'adherents',
        signsIn: true,
      },
    ]);
    creator = persona(seeded, 'creator');
    applicant = persona(seeded, 'applicant');
    browser = await launchBrowser();
    adminPage = await browser.newPage();
    await signInThroughPage(adminPage, baseUrl, asMember(creator));
    memberPage = await browser.context.newPage();
    await signInThroughPage(memberPage, baseUrl, asMember(applicant));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('is created, asked to join, the request accepted, and the new member posts in it', async () => {
    const name = `Vélo à Lyon ${letters(6)}`;
    const applicantName = `${applicant.firstName} ${applicant.lastName}`;

    // — The creator: « Groupes » in the navigation, the creation form (errors first). —
    let page = adminPage;
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Groupes' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Groupes' }).waitFor();
    await loaded(page, 'groups-loading');
    await page.getByText('Vous n’êtes membre d’aucun groupe pour l’instant.').waitFor();
    await page.getByRole('button', { name: 'Créer le groupe' }).click();
    await page
      .getByRole('alert')
      .getByText('Le nom du groupe doit faire au moins 3 caractères.', { exact: false })
      .waitFor();
    expect(await page.getByLabel('Nom du groupe').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Nom du groupe').fill(name);
    await page.getByLabel('Description').fill('Pour des pistes cyclables dans tout Lyon.');
    await page.getByLabel('Sur demande').check();
    await page.getByRole('button', { name: 'Créer le groupe' }).click();
    await page.waitForURL(/\/groupe\/\?id=/);
    await loaded(page, 'group-loading');
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByText('Votre groupe est créé', { exact: false }).waitFor();
    await page.getByText('Vous êtes admin de ce groupe', { exact: false }).waitFor();
    const groupUrl = page.url().replace(/&cree=1$/, '');

    // — The applicant: finds it by name, asks to join. —
    page = memberPage;
    await page.goto(`${baseUrl}/groupes/`);
    await loaded(page, 'groups-loading');
    await page.getByLabel('Chercher par nom').fill(name.slice(0, 10));
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('#results-list').getByRole('link', { name }).click();
    await loaded(page, 'group-loading');
    await page.getByText('Les messages du groupe sont réservés à ses membres.').waitFor();
    await page.getByRole('button', { name: 'Demander à rejoindre' }).click();
    await page.getByText('Votre demande est envoyée aux admins du groupe.').waitFor();
    await page.getByRole('button', { name: 'Retirer ma demande' }).waitFor();
    await expectNoSeriousA11yViolations(page);

    // — The admin: accepts the request, edits the description. —
    page = adminPage;
    await page.goto(groupUrl);
    await loaded(page, 'group-loading');
    await page.getByRole('button', { name: `Accepter la demande de ${applicantName}` }).click();
    await page.getByText(`${applicantName} fait maintenant partie du groupe.`).waitFor();
    await page.getByText('Aucune demande n’attend de réponse.').waitFor();
    await page.locator('#members-list').getByRole('link', { name: applicantName }).waitFor();
    await page.getByRole('button', { name: `Nommer ${applicantName} admin du groupe` }).waitFor();
    await page.getByText('Nom, description, adhésion, visibilité').click();
    await page.getByLabel('Description').fill('Pour des pistes cyclables dans toute la métropole.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Les modifications du groupe sont enregistrées.').waitFor();
    await page.locator('#group-description').getByText('dans toute la métropole').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);

    // — The new member: publishes in the group. —
    page = memberPage;
    await page.goto(groupUrl);
    await loaded(page, 'group-loading');
    await page.getByText('Vous êtes membre de ce groupe.').waitFor();
    await page.getByText(`Publié pour : les membres du groupe ${name}`).waitFor();
    await page.getByLabel('Votre message').fill('Balade à vélo *dimanche* : départ place Bellecour à 10 h.');
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Votre message est publié.').waitFor();
    const card = page.locator('.post-card', { hasText: 'départ place Bellecour' });
    await card.getByText(`Groupe · ${name}`).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'groupe-membre.png');

    // — The admin reads it in the group, with the admin's tools around. —
    page = adminPage;
    await page.goto(groupUrl);
    await loaded(page, 'group-loading');
    await page.locator('.post-card', { hasText: 'départ place Bellecour' }).waitFor();
    await screenshot(page, 'groupe-admin.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'groupe-admin-390.png');
    await page.goto(`${baseUrl}/groupes/`);
    await loaded(page, 'groups-loading');
    await page.locator('#mine-list').getByRole('link', { name }).waitFor();
    await screenshot(page, 'groupes-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'groupes.png');
    await expectNoSeriousA11yViolations(page);

    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
