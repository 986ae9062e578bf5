import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/api.ts';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { answerAs, createEventAs, eventBody, eventually } from '../support/events.ts';
import { newMission, slot } from '../support/missions.ts';
import {
  letters,
  PERSONA_PASSWORD,
  type Persona,
  persona,
  sectionWithSecretary,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';
import { signInThroughPage } from './members.ts';

/**
 * Secrétariat → Tableau de bord (issue 11): the secretary of a fresh section with known members,
 * an event and a mission opens the dashboard from the secretariat page and reads the figures, the
 * coverage per slot and the charts, each with its table of figures; axe finds nothing serious.
 */
describe('secretary’s dashboard', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;
  let secretary: Persona;
  let section: { id: string; name: string };
  let eventTitle: string;
  let missionTitle: string;

  beforeAll(async () => {
    ({ section, secretary } = await sectionWithSecretary());
    const tag = letters(6);
    const member = { section: null, ownSection: section.id, confirmed: true } as const;
    const seeded = await seedPersonas([
      {
        key: 'hidden',
        firstName: 'Inès',
        lastName: `Zh${tag}`,
        membership: 'adherent',
        visibility: 'section',
        ...member,
      },
      {
        key: 'mjs',
        firstName: 'Noé',
        lastName: `Zm${tag}`,
        membership: 'mjs',
        visibility: 'adherents',
        signsIn: true,
        ...member,
      },
      {
        key: 'claim',
        firstName: 'Paul',
        lastName: `Zc${tag}`,
        membership: 'adherent',
        visibility: 'adherents',
        ...member,
        confirmed: false,
      },
    ]);
    eventTitle = `Assemblée générale ${tag}`;
    const eventId = await createEventAs(
      tokenOf(secretary),
      eventBody({ kind: 'section-private', sectionId: section.id }, { title: eventTitle }, 6),
    );
    await answerAs(tokenOf(persona(seeded, 'mjs')), eventId, 'yes');
    missionTitle = `Tractage ${tag}`;
    await newMission(secretary, {
      title: missionTitle,
      audience: { kind: 'section-private', sectionId: section.id },
      slots: [slot(5, '09:00', '12:00', 3)],
    });
    // The aggregate is the job's: wait until it counted the section's four members.
    await eventually(async () => {
      const res = await api<{ stats: { members: { total: number } } | null }>(
        `/api/sections/${section.id}/dashboard`,
        { token: tokenOf(secretary) },
      );
      return res.body.stats?.members.total === 4;
    }, 'the dashboard aggregate');
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the section at a glance, charts with their figures, and passes axe', async () => {
    await signInThroughPage(page, baseUrl, {
      email: secretary.email,
      password: PERSONA_PASSWORD,
      firstName: secretary.firstName,
      lastName: secretary.lastName,
    });
    await page.goto(`${baseUrl}/secretariat/`);
    await page.getByRole('heading', { level: 1, name: 'Secrétariat' }).waitFor();
    await page.getByRole('link', { name: 'Voir le tableau de bord' }).click();
    await page.waitForURL(/\/secretariat\/tableau-de-bord\/\?section=/);
    await page.getByRole('heading', { level: 1, name: `Tableau de bord — ${section.name}` }).waitFor();

    const kpis = page.locator('#kpis');
    await kpis.getByText('membres', { exact: true }).waitFor();
    const kpi = async (label: string) =>
      (await kpis.locator('li', { hasText: label }).locator('.kpi-value').textContent())?.trim();
    expect(await kpi('membres')).toBe('4');
    expect(await kpi('nouveaux ce mois-ci')).toBe('4');
    expect(await kpi('adhésions à confirmer')).toBe('1');
    expect(await kpi('joignables uniquement par e-mail')).toBe('1');

    const circles = page.locator('#circles-table');
    expect(
      await circles
        .getByRole('row', { name: /Adhérent·es PS/ })
        .getByRole('cell')
        .textContent(),
    ).toBe('2');
    expect(
      await circles
        .getByRole('row', { name: /Membres MJS/ })
        .getByRole('cell')
        .textContent(),
    ).toBe('1');

    const events = page.locator('#events-list');
    await events.getByRole('link', { name: eventTitle }).waitFor();
    expect(await events.textContent()).toContain('1 participant·e');
    const missions = page.locator('#missions-list');
    await missions.getByRole('link', { name: missionTitle }).waitFor();
    expect(await missions.textContent()).toContain('il manque 3');

    // Three charts, each an image with a text alternative and a table of the same figures.
    const charts = page.locator('#trends canvas[role="img"]');
    expect(await charts.count()).toBe(3);
    expect(await charts.first().getAttribute('aria-label')).toMatch(/Membres de la section : 4 membres/);
    await page.locator('#trend-members-chart').scrollIntoViewIfNeeded();
    await page.getByText('Voir les chiffres').first().click();
    const table = page.locator('#trend-members-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(12);
    expect(await table.locator('tbody tr').last().locator('td').textContent()).toBe('4');

    await expectNoSeriousA11yViolations(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'secretariat-dashboard.png');
  });
});
