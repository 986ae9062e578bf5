import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import {
  acceptCommitment,
  letters,
  PERSONA_PASSWORD,
  type Persona,
  persona,
  sectionWithSecretary,
  seedPersonas,
} from '../support/personas.ts';
import { signInThroughPage } from './members.ts';

/**
 * Secrétariat → Accueil et fichier (issue 11): the secretary of a fresh section edits the welcome
 * message (the preview follows the text) and exports the roster as CSV after the confidentiality
 * commitment is recalled in a confirmation dialog; the downloaded file is read back.
 */
describe('secretary’s tools: welcome message and roster export', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;
  let secretary: Persona;
  let section: { id: string; name: string };
  let adherent: Persona;
  let mjs: Persona;

  beforeAll(async () => {
    const made = await sectionWithSecretary();
    section = made.section;
    secretary = made.secretary;
    await acceptCommitment(secretary);
    const tag = letters(6);
    const seeded = await seedPersonas([
      {
        key: 'adherent',
        firstName: 'Éloïse',
        lastName: `Zadh${tag}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'section',
        phone: '06 55 44 33 22',
        postalAddress: '12 rue de Charonne, 75011 Paris',
      },
      {
        key: 'mjs',
        firstName: 'Noé',
        lastName: `Zmjs${tag}`,
        membership: 'mjs',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
        phone: '07 99 88 77 66',
      },
    ]);
    adherent = persona(seeded, 'adherent');
    mjs = persona(seeded, 'mjs');
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('edits the welcome message with a preview, then exports the CSV after the commitment is recalled', async () => {
    await signInThroughPage(page, baseUrl, {
      email: secretary.email,
      password: PERSONA_PASSWORD,
      firstName: secretary.firstName,
      lastName: secretary.lastName,
    });
    await page.goto(`${baseUrl}/secretariat/`);
    await page.getByRole('heading', { level: 1, name: 'Secrétariat' }).waitFor();
    await page.getByRole('link', { name: 'Message d’accueil et export' }).click();
    await page.waitForURL(/\/secretariat\/outils\/\?section=/);
    await page.getByRole('heading', { level: 1, name: 'Accueil et fichier des adhérent·es' }).waitFor();
    await page
      .getByRole('heading', { level: 2, name: `Message d’accueil de la section ${section.name}` })
      .waitFor();

    // The default text, previewed for an example newcomer.
    const field = page.getByLabel('Message d’accueil', { exact: true });
    await page.getByText('voici le message proposé par la coopol', { exact: false }).waitFor();
    expect(await field.inputValue()).toContain('Bonjour {prénom},');
    const preview = page.locator('#welcome-preview');
    expect(await preview.textContent()).toContain('Bonjour Camille,');
    await expectNoSeriousA11yViolations(page);

    // An unknown placeholder is refused, the error tied to the field.
    await field.fill('Bonjour {prenom} !');
    await page.getByRole('button', { name: 'Enregistrer le message' }).click();
    await page.getByText('Champs connus', { exact: false }).first().waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    // The section's own text: saved, previewed with the placeholders replaced.
    await field.fill('Bienvenue {prénom} dans la section {section} !\nÀ jeudi, {secrétaire}');
    expect(await preview.textContent()).toBe(
      `Bienvenue Camille dans la section ${section.name} !\nÀ jeudi, ${secretary.firstName} ${secretary.lastName}`,
    );
    await page.getByRole('button', { name: 'Enregistrer le message' }).click();
    await page.getByText('Message d’accueil enregistré', { exact: false }).waitFor();
    await page.getByText(`par ${secretary.firstName} ${secretary.lastName}`, { exact: false }).waitFor();
    await page.reload();
    await page.getByText(`par ${secretary.firstName} ${secretary.lastName}`, { exact: false }).waitFor();
    expect(await page.getByLabel('Message d’accueil', { exact: true }).inputValue()).toContain(
      'Bienvenue {prénom}',
    );

    // The export recalls the commitment in a dialog; « Annuler » downloads nothing.
    const exportButton = page.getByRole('button', { name: 'Exporter le fichier des adhérent·es (CSV)' });
    await exportButton.click();
    const dialog = page.getByRole('dialog', { name: 'Exporter le fichier des adhérent·es' });
    await dialog.waitFor();
    await dialog.getByText('ne pas les divulguer', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'secretariat-tools-dialog.png');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await exportButton.click();
    const downloading = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Je m’engage et j’exporte' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^adherents-section-de-test-[a-z]+-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await readFile((await download.path()) ?? '');
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'Nom;Prénom;Adhésion;Adhésion confirmée;Visibilité;État;Mandats;Inscription;E-mail;Téléphone;Adresse postale',
    );
    const lineOf = (p: Persona) => lines.find((l) => l.startsWith(`${p.lastName};`)) ?? '';
    expect(lineOf(adherent)).toContain(`;Éloïse;Adhérent·e PS;oui;Section uniquement;Actif;;`);
    expect(
      lineOf(adherent).endsWith(`;${adherent.email};06 55 44 33 22;"12 rue de Charonne, 75011 Paris"`) ||
        lineOf(adherent).endsWith(`;${adherent.email};06 55 44 33 22;12 rue de Charonne, 75011 Paris`),
    ).toBe(true);
    // The MJS member is listed, without contact details.
    expect(lineOf(mjs)).toMatch(/;Membre du MJS;oui;Adhérent·es;Actif;;\d{4}-\d{2}-\d{2};;;$/);
    expect(file.toString('utf8')).not.toContain('07 99 88 77 66');
    await page.getByText(`Fichier « ${download.suggestedFilename()} » téléchargé.`).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'secretariat-tools.png');
    expect(browser.pageErrors).toEqual([]);
  });
});
