import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { parisIn } from '../support/events.ts';
import { freshSection, letters, type Persona, persona, seedPersonas } from '../support/personas.ts';
import { cspViolationsOf, enforceStrictCsp } from './csp.ts';
import { signInThroughPage } from './members.ts';
import { asMember, loaded } from './posts.ts';

/**
 * Missions (SPEC §4, issue 6), through the pages: a section's secretary creates a mission with two
 * slots; two members of the section find it on « Ma section » and sign up; one withdraws from a
 * slot; the secretary sees the coverage, marks attendance and closes the mission. Three tabs of one
 * browser (each tab keeps its own session), every page under the strict CSP and checked by axe.
 */
describe('a mission', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let secretaryPage: Page;
  let alicePage: Page;
  let bastienPage: Page;
  let secretary: Persona;
  let alice: Persona;
  let bastien: Persona;
  let section: { id: string; name: string };

  beforeAll(async () => {
    section = await freshSection();
    const member = {
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: section.id,
      visibility: 'adherents',
      signsIn: true,
    } as const;
    const suffix = letters(8);
    const seeded = await seedPersonas([
      {
        key: 'secretary',
        firstName: 'Solène',
        lastName: `Mission${suffix}`,
        roles: { secretaryOf: [section.id] },
        ...member,
      },
      { key: 'alice', firstName: 'Alice', lastName: `Mission${suffix}`, ...member },
      { key: 'bastien', firstName: 'Bastien', lastName: `Mission${suffix}`, ...member },
    ]);
    secretary = persona(seeded, 'secretary');
    alice = persona(seeded, 'alice');
    bastien = persona(seeded, 'bastien');
    browser = await launchBrowser();
    await enforceStrictCsp(browser, baseUrl);
    secretaryPage = await browser.newPage();
    await signInThroughPage(secretaryPage, baseUrl, asMember(secretary));
    alicePage = await browser.context.newPage();
    await signInThroughPage(alicePage, baseUrl, asMember(alice));
    bastienPage = await browser.context.newPage();
    await signInThroughPage(bastienPage, baseUrl, asMember(bastien));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A member opens the mission from the section's list of missions. */
  async function openFromSection(page: Page, title: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Missions' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Missions' }).waitFor();
    await loaded(page, 'missions-loading');
    await page
      .getByRole('navigation', { name: 'Listes de missions' })
      .getByRole('link', { name: 'Ma section' })
      .click();
    await loaded(page, 'missions-loading');
    await page.getByRole('heading', { level: 2, name: `Missions de la section ${section.name}` }).waitFor();
    await page.locator('#mission-list').getByRole('link', { name: title }).click();
    await page.waitForURL(/\/mission\/\?id=/);
    await loaded(page, 'mission-loading');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  it('is created with two slots, signed up to, withdrawn from, followed and closed', async () => {
    const title = `Tractage au marché ${letters(6)}`;
    const day = 5;
    const violations: string[] = [];
    const collect = async (page: Page) => violations.push(...(await cspViolationsOf(page)));

    // — The secretary: « Missions » in the navigation, the creation form (errors first). —
    let page = secretaryPage;
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Missions' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Missions' }).waitFor();
    await loaded(page, 'missions-loading');
    await page.locator('summary', { hasText: 'Créer une mission' }).click();
    await page.getByRole('button', { name: 'Créer la mission' }).click();
    await page.getByText('Le formulaire contient 5 erreurs', { exact: false }).waitFor();
    await page.locator('#mission-title-error').getByText('Donnez un titre à la mission.').waitFor();
    expect(await page.getByLabel('Titre').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page);

    await page.getByLabel('Titre').fill(title);
    await page.getByLabel('Type de mission').selectOption({ label: 'Tractage' });
    await page.getByLabel('Lieu').fill('Marché d’Aligre, place d’Aligre');
    await page.getByLabel('Description').fill('Distribution du tract sur les transports. Gilets fournis.');
    const first = page.getByRole('group', { name: 'Créneau 1' });
    await first.getByLabel('Début').fill(parisIn(day, '09:00'));
    await first.getByLabel('Fin').fill(parisIn(day, '11:00'));
    await first.getByLabel('Volontaires').fill('3');
    await page.getByRole('button', { name: 'Ajouter un créneau' }).click();
    await page.getByText('Créneau 2 ajouté.').waitFor();
    // A third row, added then removed: the rows are numbered again.
    await page.getByRole('button', { name: 'Ajouter un créneau' }).click();
    await page.getByRole('button', { name: 'Retirer le créneau 3' }).click();
    await page.getByText('Créneau 3 retiré.').waitFor();
    expect(await page.getByRole('group', { name: /^Créneau \d$/ }).count()).toBe(2);
    const second = page.getByRole('group', { name: 'Créneau 2' });
    await second.getByLabel('Début').fill(parisIn(day, '11:00'));
    // The API's refusal lands under its field: a slot that ends before it starts.
    await second.getByLabel('Fin').fill(parisIn(day, '10:00'));
    await second.getByLabel('Volontaires').fill('2');
    await page.getByRole('button', { name: 'Créer la mission' }).click();
    await page
      .locator('[id="slot-1-end-error"]')
      .getByText('La fin du créneau doit venir après son début.')
      .waitFor();
    await second.getByLabel('Fin').fill(parisIn(day, '13:00'));
    await expectNoSeriousA11yViolations(page);
    await collect(page);
    await page.getByRole('button', { name: 'Créer la mission' }).click();
    await page.waitForURL(/\/mission\/\?id=.*&cree=1$/);
    await loaded(page, 'mission-loading');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('La mission est créée.', { exact: false }).waitFor();
    await page.locator('#mission-coverage').getByText('0 / 5 volontaires').waitFor();
    const missionUrl = page.url().replace(/&cree=1$/, '');
    await collect(page);

    // — Alice: finds it on « Ma section », signs up to the first slot. —
    page = alicePage;
    await openFromSection(page, title);
    await page.getByText('0 / 3 volontaires').waitFor();
    await page.getByRole('button', { name: 'M’inscrire au créneau 1' }).click();
    await page.getByText('Vous êtes inscrit·e au créneau 1', { exact: false }).waitFor();
    await page.getByText('1 / 3 volontaires').waitFor();
    // Focus moved to the button that replaced the one pressed.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Me retirer du créneau 1',
    );
    await expectNoSeriousA11yViolations(page);
    await collect(page);

    // — Bastien: signs up to both slots, then withdraws from the second. —
    page = bastienPage;
    await openFromSection(page, title);
    await page.getByRole('button', { name: 'M’inscrire au créneau 1' }).click();
    await page.getByText('2 / 3 volontaires').waitFor();
    // Alice is named to him (both at `adherents` visibility).
    await page
      .locator('[data-slot-id]')
      .first()
      .getByRole('link', { name: `Alice ${alice.lastName}` })
      .waitFor();
    await page.getByRole('button', { name: 'M’inscrire au créneau 2' }).click();
    await page.getByText('1 / 2 volontaires').waitFor();
    await page.getByRole('button', { name: 'Me retirer du créneau 2' }).click();
    await page.getByText('Vous êtes retiré·e du créneau 2 : la place est libre.').waitFor();
    await page.getByText('0 / 2 volontaires').waitFor();
    await page.locator('#mission-coverage').getByText('2 / 5 volontaires').waitFor();
    await expectNoSeriousA11yViolations(page);
    // « Mes inscriptions » lists the slot he kept.
    await page.goto(`${baseUrl}/missions/?vue=inscriptions`);
    await loaded(page, 'missions-loading');
    const mine = page.locator('.mission-card', { hasText: title });
    await mine.getByText('Votre créneau', { exact: false }).waitFor();
    expect(await mine.count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'missions-inscriptions.png');
    await collect(page);

    // — The secretary: the coverage, attendance, then « Clore la mission ». —
    page = secretaryPage;
    await page.goto(missionUrl);
    await loaded(page, 'mission-loading');
    const coverage = page.getByRole('table', { name: 'Couverture des créneaux' });
    const firstRow = coverage.getByRole('row').nth(1);
    await firstRow.getByRole('cell', { name: '2', exact: true }).waitFor();
    await firstRow.getByRole('cell', { name: '1', exact: true }).waitFor();
    await coverage.getByRole('row').nth(2).getByRole('cell', { name: '0', exact: true }).waitFor();
    await page.getByRole('button', { name: `Présent·e : Alice ${alice.lastName}` }).click();
    await page.getByText(`Alice ${alice.lastName} : présence notée.`).waitFor();
    await page.getByRole('button', { name: `Absent·e : Bastien ${bastien.lastName}` }).click();
    await page.getByText(`Bastien ${bastien.lastName} : absence notée.`).waitFor();
    expect(
      await page
        .getByRole('button', { name: `Présent·e : Alice ${alice.lastName}` })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    expect(
      await page
        .getByRole('button', { name: `Absent·e : Bastien ${bastien.lastName}` })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'mission-organisateur.png');
    await collect(page);

    await page.getByRole('button', { name: 'Clore la mission' }).click();
    await page.getByRole('dialog', { name: 'Clore la mission' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Clore la mission' }).click();
    await page.getByText('La mission est close.', { exact: false }).waitFor();
    await page.getByText('Cette mission est terminée', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Clore la mission' }).waitFor({ state: 'hidden' });
    await collect(page);

    // — Alice: the closed mission and her marked presence. —
    page = alicePage;
    await page.goto(missionUrl);
    await loaded(page, 'mission-loading');
    await page.getByText('Cette mission est terminée', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Me retirer du créneau 1' }).waitFor({ state: 'detached' });
    await collect(page);

    expect(violations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 240_000);
});
