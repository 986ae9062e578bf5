import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import {
  callApi,
  memberIdOf,
  registerMember,
  registerSecretary,
  sectionIdByName,
  signInApi,
  signInThroughPage,
  uniqueLastName,
} from './members.ts';

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
  const demoPassword = inject('demoPassword');
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
    await page.goto(`${baseUrl}/profil/`);
    await page.getByRole('heading', { level: 2, name: 'Mes informations' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    expect(browser.pageErrors).toEqual([]);
  }, 90_000);
  it('finds no serious violation on the directory with results, a profile and the settings', async () => {
    // A new member counts as a sympathisant until confirmed: Sophie Durand (visible to all) is listed.
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION);
    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, member);
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Annuaire' }).click();
    await page.getByRole('heading', { level: 1, name: 'Annuaire des socialistes' }).waitFor();
    // An error the API ties to `q` is shown under that field.
    await page.route('**/api/directory?**', (route) =>
      route.fulfill({
        status: 400,
        json: {
          error: { code: 'request.invalid', message: 'Recherche refusée par le serveur.', field: 'q' },
        },
      }),
    );
    await page.getByLabel('Prénom ou nom').fill('du');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('#q-error').getByText('Recherche refusée par le serveur.').waitFor();
    expect(await page.getByLabel('Prénom ou nom').getAttribute('aria-describedby')).toContain('q-error');
    await page.unroute('**/api/directory?**');
    await page.getByLabel('Prénom ou nom').fill('durand');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Sophie Durand' }).waitFor();
    await page.getByText('Tant que votre adhésion n’est pas confirmée', { exact: false }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'annuaire.png');

    // The search is in the address: coming back from a profile shows it again.
    await page.getByRole('link', { name: 'Sophie Durand' }).click();
    await page.waitForURL(/\/membre\/\?id=/);
    await page.getByRole('heading', { level: 1, name: 'Sophie Durand' }).waitFor();
    await page.getByText('Adhérent·e PS', { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'membre.png');
    await page.goBack();
    await page.getByRole('link', { name: 'Sophie Durand' }).waitFor();

    await page.goto(`${baseUrl}/membre/?id=01KC0NOBODY0000000000000000`);
    await page.getByText('Ce profil n’existe pas ou ne vous est pas visible.').waitFor();
    await expectNoSeriousA11yViolations(page);

    // Settings: a declared mandate, the consent box, errors tied to their fields.
    await nav.getByRole('link', { name: 'Paramètres' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    await page.getByText('Personne n’a consulté vos coordonnées.').waitFor();
    await page.getByLabel('Fonction').fill('Conseillère municipale');
    await page.getByLabel('Territoire').fill('Rennes');
    await page.getByLabel('Début du mandat').fill('2020-07-03');
    await page.getByRole('button', { name: 'Ajouter le mandat' }).click();
    await page.getByText('Conseillère municipale — Rennes', { exact: true }).waitFor();
    await page.getByText('en attente de vérification', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Ajouter le mandat' }).click();
    await page.getByText('Indiquez la fonction', { exact: false }).waitFor();
    expect(await page.getByLabel('Fonction').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel(/^Tous les membres, sympathisant·es compris/).check();
    await page.getByRole('button', { name: 'Enregistrer ma visibilité' }).click();
    await page.getByText('cochez la case d’accord', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'parametres-erreurs.png');
    // The mandate goes away again.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Supprimer le mandat Conseillère municipale — Rennes' }).click();
    await page.getByText('Vous n’avez déclaré aucun mandat.').waitFor();
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);

  it('finds no serious violation on /secretariat/ with the commitment, then the roster', async () => {
    // Prepare: a secretary of our own for Rennes (no commitment yet), an applicant with a mandate.
    const rennes = await sectionIdByName(baseUrl, 'Rennes');
    const secretary = await registerSecretary(baseUrl, sesUrl, CHARTER_VERSION, rennes, demoPassword);
    const applicant = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName: 'Basile',
      lastName: uniqueLastName('Candidat'),
      sectionId: rennes,
      visibility: 'adherents',
    });
    const applicantToken = await signInApi(baseUrl, applicant);
    const applicantId = await memberIdOf(baseUrl, applicantToken);
    await callApi(
      baseUrl,
      applicantToken,
      'POST',
      '/api/me/mandates',
      { office: 'Maire adjoint', territory: 'Rennes', startDate: '2020-07-03' },
      201,
    );
    const name = `${applicant.firstName} ${applicant.lastName}`;

    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, secretary);
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Secrétariat' }).click();
    await page.getByRole('heading', { level: 2, name: 'Engagement de confidentialité' }).waitFor();
    await page.getByText("Ceux-ci s'engagent à ne pas les divulguer.", { exact: false }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    await row.getByText('à confirmer', { exact: true }).waitFor();
    expect(await page.getByRole('table').getByRole('columnheader').allTextContents()).toEqual([
      'Nom',
      'Adhésion',
      'Visibilité',
      'Mandats déclarés',
      'Coordonnées',
      'Actions',
    ]);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'secretariat-engagement.png');

    // Accept the commitment, confirm the claim, verify the mandate.
    await page.getByRole('button', { name: 'Accepter l’engagement' }).click();
    await page.getByText('Cochez la case pour prendre l’engagement de confidentialité.').waitFor();
    await page.getByLabel(/^Je m’engage à ne pas divulguer/).check();
    await page.getByRole('button', { name: 'Accepter l’engagement' }).click();
    await page
      .getByRole('heading', { level: 2, name: 'Engagement de confidentialité' })
      .waitFor({ state: 'hidden' });
    await page.getByLabel('Adhésions à confirmer seulement').check();
    await page.getByRole('table', { name: /^Adhésions à confirmer/ }).waitFor();
    await row.getByRole('button', { name: `Confirmer l’adhésion de ${name}` }).click();
    await page.getByText(`L’adhésion de ${name} est confirmée.`).waitFor();
    await page.getByLabel('Adhésions à confirmer seulement').uncheck();
    await page.getByLabel(/^Afficher les coordonnées/).check();
    await row.getByRole('link', { name: applicant.email }).waitFor();
    await row.getByRole('button', { name: `Vérifier le mandat Maire adjoint — Rennes de ${name}` }).click();
    await row.getByText('vérifié', { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'secretariat-membres.png');

    // The profile page: the verified mandate, and the contact details on request.
    await page.goto(`${baseUrl}/membre/?id=${applicantId}`);
    await page.getByText('Élu·e : Maire adjoint — Rennes').waitFor();
    await page.getByText('Membre de votre section (vous êtes secrétaire)').waitFor();
    await page.getByRole('button', { name: 'Afficher ses coordonnées' }).click();
    await page.getByRole('link', { name: applicant.email }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'membre-secretaire.png');
    expect(browser.pageErrors).toEqual([]);
  }, 150_000);

  it('finds no serious violation on /coopains/, a profile with the block confirmation, /membres-bloques/', async () => {
    // Prepare: four new members visible to all. Zoé is already a coopain of Maëlle's, Ismaël has
    // invited her; Maëlle invites Yanis from his profile.
    const register = (firstName: string) =>
      registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
        firstName,
        lastName: uniqueLastName('Coopain'),
        visibility: 'all',
      });
    const people = await Promise.all(['Maëlle', 'Ismaël', 'Yanis', 'Zoé'].map(register));
    const [member, inviter, invitee, friend] = await Promise.all(
      people.map(async (person) => {
        const token = await signInApi(baseUrl, person);
        return {
          ...person,
          token,
          id: await memberIdOf(baseUrl, token),
          name: `${person.firstName} ${person.lastName}`,
        };
      }),
    );
    if (!member || !inviter || !invitee || !friend) throw new Error('four members were registered');
    await callApi(baseUrl, friend.token, 'POST', `/api/members/${member.id}/invitation`, undefined, 201);
    await callApi(baseUrl, member.token, 'POST', `/api/me/invitations/${friend.id}/accept`, undefined, 204);
    await callApi(baseUrl, inviter.token, 'POST', `/api/members/${member.id}/invitation`, undefined, 201);

    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, member);

    // A profile with « Inviter comme coopain », then the block confirmation open (and cancelled).
    await page.goto(`${baseUrl}/membre/?id=${invitee.id}`);
    await page.getByRole('heading', { level: 1, name: invitee.name }).waitFor();
    await page.getByRole('button', { name: 'Inviter comme coopain' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Bloquer' }).click();
    const dialog = page.getByRole('dialog', { name: `Bloquer ${invitee.name}` });
    await dialog.getByText('Il n’en sera pas informé.', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'membre-bloquer.png');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The focus is back on the button that opened the confirmation.
    expect(
      await page.getByRole('button', { name: 'Bloquer' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.getByRole('button', { name: 'Inviter comme coopain' }).click();
    await page.getByText(`Invitation envoyée à ${invitee.name}.`).waitFor();
    await expectNoSeriousA11yViolations(page);

    // « Coopains »: an invitation received, one sent, one coopain.
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Coopains' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Mes coopains' }).waitFor();
    await page.getByRole('button', { name: `Accepter l’invitation de ${inviter.name}` }).waitFor();
    await page.getByRole('button', { name: `Annuler l’invitation envoyée à ${invitee.name}` }).waitFor();
    await page.getByRole('button', { name: `Retirer ${friend.name} de mes coopains` }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'coopains.png');
    // The removal asks first; cancelling keeps the coopain.
    await page.getByRole('button', { name: `Retirer ${friend.name} de mes coopains` }).click();
    await page.getByRole('dialog', { name: `Retirer ${friend.name} de vos coopains` }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: friend.name }).waitFor();

    // « Membres bloqués » with one entry.
    await callApi(baseUrl, member.token, 'PUT', `/api/me/blocks/${inviter.id}`, undefined, 204);
    await page.goto(`${baseUrl}/membres-bloques/`);
    await page.getByRole('button', { name: `Débloquer ${inviter.name}` }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'membres-bloques.png');
    expect(browser.pageErrors).toEqual([]);
  }, 150_000);

  it('finds no serious violation on /messages/, a conversation and the profile’s message form', async () => {
    // Two new members visible to all; the writer has sent one message to the reader.
    const register = (firstName: string) =>
      registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
        firstName,
        lastName: uniqueLastName('Messages'),
        visibility: 'all',
      });
    const [writer, reader] = await Promise.all([register('Lucie'), register('Marius')]);
    const writerToken = await signInApi(baseUrl, writer);
    const readerId = await memberIdOf(baseUrl, await signInApi(baseUrl, reader));
    const writerId = await memberIdOf(baseUrl, writerToken);
    await callApi(
      baseUrl,
      writerToken,
      'POST',
      `/api/members/${readerId}/messages`,
      { text: 'Bonjour Marius, peux-tu tenir le stand samedi ?' },
      201,
    );
    const writerName = `${writer.firstName} ${writer.lastName}`;

    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, reader);
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    await page.getByText('1 non lu', { exact: true }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('link', { name: writerName }).click();
    await page.getByRole('heading', { level: 1, name: `Conversation avec ${writerName}` }).waitFor();
    await page.getByText('peux-tu tenir le stand samedi ?', { exact: false }).waitFor();
    // An empty reply: the error is tied to the field.
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await page.getByText('Écrivez votre message.').waitFor();
    expect(await page.getByLabel('Votre message').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);

    // The profile's « Envoyer un message » form, open.
    await page.goto(`${baseUrl}/membre/?id=${writerId}`);
    await page.getByRole('heading', { level: 1, name: writerName }).waitFor();
    await page.getByRole('button', { name: 'Envoyer un message' }).click();
    await page.getByLabel('Votre message').waitFor();
    expect(await page.getByRole('button', { name: 'Envoyer un message' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    await expectNoSeriousA11yViolations(page);
    expect(browser.pageErrors).toEqual([]);
  }, 150_000);
});
