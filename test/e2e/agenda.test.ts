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
 * The agenda (SPEC §4, issue 6), through the pages: a member creates an event on the private agenda
 * of their section; another member of the section finds it on the section's agenda and answers
 * « Oui »; the event's page counts them; the month view lists it. Two tabs of one browser, under
 * the strict CSP, each page checked by axe.
 */
describe('the agenda', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let organiserPage: Page;
  let guestPage: Page;
  let organiser: Persona;
  let guest: Persona;
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
      { key: 'organiser', firstName: 'Odile', lastName: `Agenda${suffix}`, ...member },
      { key: 'guest', firstName: 'Rémi', lastName: `Agenda${suffix}`, ...member },
    ]);
    organiser = persona(seeded, 'organiser');
    guest = persona(seeded, 'guest');
    browser = await launchBrowser();
    await enforceStrictCsp(browser, baseUrl);
    organiserPage = await browser.newPage();
    await signInThroughPage(organiserPage, baseUrl, asMember(organiser));
    guestPage = await browser.context.newPage();
    await signInThroughPage(guestPage, baseUrl, asMember(guest));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('takes an event, an answer « Oui », its count, and shows it in the month', async () => {
    const title = `Réunion de quartier ${letters(6)}`;
    const start = parisIn(4, '19:00');
    const violations: string[] = [];
    const collect = async (page: Page) => violations.push(...(await cspViolationsOf(page)));

    // — The organiser: « Agenda » in the navigation, the creation form (errors first). —
    let page = organiserPage;
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Agenda' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Mon agenda' }).waitFor();
    await loaded(page, 'agenda-loading');
    await page.locator('summary', { hasText: 'Créer un évènement' }).click();
    await page.getByRole('button', { name: 'Créer l’évènement' }).click();
    await page.locator('#create-title-error').getByText('Donnez un titre à l’évènement.').waitFor();
    await page
      .locator('#create-location-error')
      .getByText('Indiquez un lieu ou un lien', { exact: false })
      .waitFor();
    expect(await page.getByLabel('Pour qui ?').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page);

    await page
      .getByLabel('Pour qui ?')
      .selectOption({ label: `${section.name} — agenda privé (les adhérent·es de la section)` });
    await page.getByLabel('Titre').fill(title);
    await page
      .getByLabel('Description')
      .fill('Point sur les travaux de la rue et les prochaines réunions publiques.');
    await page.getByLabel('Début').fill(start);
    await page.getByLabel('Fin').fill(parisIn(4, '21:00'));
    await page.getByLabel('Lieu').fill('Salle Olympe-de-Gouges, 15 rue Merlin');
    await page.getByLabel('Nombre de places').fill('20');
    await page.getByRole('button', { name: 'Créer l’évènement' }).click();
    await page.waitForURL(/\/evenement\/\?id=.*&cree=1$/);
    await loaded(page, 'event-loading');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('Votre évènement est créé.', { exact: false }).waitFor();
    await page.locator('#event-capacity').getByText('20 places, 20 restantes').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Organisation' }).waitFor();
    const eventUrl = page.url().replace(/&cree=1$/, '');
    await expectNoSeriousA11yViolations(page);
    await collect(page);

    // — The guest: the section's agenda lists it; « Oui ». —
    page = guestPage;
    await page.goto(`${baseUrl}/agenda/?section=${section.id}`);
    await loaded(page, 'agenda-loading');
    await page.getByRole('heading', { level: 1, name: `Agenda de la section ${section.name}` }).waitFor();
    await page.locator('#day-list').getByRole('link', { name: title }).click();
    await page.waitForURL(/\/evenement\/\?id=/);
    await loaded(page, 'event-loading');
    await page.getByText('Participerez-vous ?').waitFor();
    // Only the organiser (or the section's secretary) may edit or cancel it.
    expect(await page.getByRole('button', { name: 'Annuler l’évènement' }).count()).toBe(0);
    // A member who does not run it may report it (« Signaler un abus », SPEC §6).
    await page.getByRole('button', { name: `Signaler l’évènement ${title}` }).waitFor();
    await page.getByRole('button', { name: 'Oui', exact: true }).click();
    await page.getByText('Votre réponse est enregistrée : Oui.').waitFor();
    await page.locator('#event-counts').getByText('1 participant·e').waitFor();
    expect(await page.getByRole('button', { name: 'Oui', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page
      .locator('#attendee-groups')
      .getByRole('link', { name: `Rémi ${guest.lastName}` })
      .waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'evenement.png');
    await collect(page);

    // — The organiser: the count and the name on the event's page; the month view lists it. —
    page = organiserPage;
    await page.goto(eventUrl);
    await loaded(page, 'event-loading');
    await page.locator('#event-counts').getByText('1 participant·e').waitFor();
    await page.locator('#event-capacity').getByText('20 places, 19 restantes').waitFor();
    await page
      .locator('#attendee-groups')
      .getByRole('link', { name: `Rémi ${guest.lastName}` })
      .waitFor();
    await collect(page);

    await page.goto(`${baseUrl}/agenda/`);
    await loaded(page, 'agenda-loading');
    await page
      .getByRole('navigation', { name: 'Affichage de l’agenda' })
      .getByRole('link', { name: 'Mois' })
      .click();
    await loaded(page, 'agenda-loading');
    // The event may fall next month: « Mois suivant » leads there.
    if (start.slice(0, 7) !== parisIn(0).slice(0, 7)) {
      await page.getByRole('link', { name: /^Mois suivant/ }).click();
      await loaded(page, 'agenda-loading');
    }
    const grid = page.getByRole('table');
    await grid.getByRole('link', { name: `19:00 ${title}` }).waitFor();
    expect(await grid.getByRole('columnheader').count()).toBe(7);
    // The same month as a list, below the grid.
    await page.locator('#month-list').getByRole('link', { name: title }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'agenda-mois.png');
    await collect(page);

    // The list view, by day.
    await page
      .getByRole('navigation', { name: 'Affichage de l’agenda' })
      .getByRole('link', { name: 'Liste' })
      .click();
    await loaded(page, 'agenda-loading');
    await page.locator('#day-list').getByRole('link', { name: title }).waitFor();
    await screenshot(page, 'agenda-liste.png');
    await collect(page);

    // Paramètres → the calendar subscription: made, shown once, changed, switched off.
    await page.goto(`${baseUrl}/parametres/`);
    await page.getByRole('link', { name: 'Gérer le lien de mon agenda' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon agenda dans mon calendrier' }).waitFor();
    await loaded(page, 'calendar-loading');
    await page.getByText('Aucun lien n’est actif', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Créer le lien' }).click();
    await page.getByText('Votre lien est créé : copiez-le ci-dessus.').waitFor();
    const url = await page.getByLabel('Adresse de votre agenda').inputValue();
    expect(url).toMatch(/\/api\/calendar\/[0-9A-Z]{26}\/[0-9A-Z]+$/);
    const feed = await fetch(`${baseUrl}${new URL(url).pathname}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(title);
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Changer le lien' }).click();
    await page
      .getByRole('dialog', { name: 'Changer le lien' })
      .getByRole('button', { name: 'Changer le lien' })
      .click();
    await page.getByText('Le lien est changé', { exact: false }).waitFor();
    expect(await page.getByLabel('Adresse de votre agenda').inputValue()).not.toBe(url);
    expect((await fetch(`${baseUrl}${new URL(url).pathname}`)).status).toBe(404);
    await page.getByRole('button', { name: 'Désactiver' }).click();
    await page
      .getByRole('dialog', { name: 'Désactiver le lien' })
      .getByRole('button', { name: 'Désactiver' })
      .click();
    await page.getByText('Le lien est désactivé.').waitFor();
    await page.getByRole('button', { name: 'Créer le lien' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await collect(page);

    expect(violations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 180_000);
});
