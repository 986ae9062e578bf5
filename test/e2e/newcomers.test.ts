import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/api.ts';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import {
  freshSection,
  letters,
  PERSONA_PASSWORD,
  type Persona,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';
import { signInThroughPage, signOutThroughPage } from './members.ts';

/**
 * Welcoming newcomers (issue 11): a new member finds « Premiers pas » on their fil (hidden for
 * good once dismissed), reaches the tour from their secretary's welcome message, and a coopilote
 * reads the newcomers to welcome, by section — all checked with axe and screenshots.
 */
describe('newcomers: the first steps and the list for coopilotes', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;
  let section: { id: string; name: string };
  let people: Map<string, Persona>;
  const shots: string[] = [];

  const signIn = (p: Persona) =>
    signInThroughPage(page, baseUrl, {
      email: p.email,
      password: PERSONA_PASSWORD,
      firstName: p.firstName,
      lastName: p.lastName,
    });

  beforeAll(async () => {
    section = await freshSection();
    const coopiloteSection = await freshSection();
    const tag = letters(6);
    const member = {
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: section.id,
      visibility: 'adherents',
    } as const;
    people = await seedPersonas([
      {
        key: 'secretary',
        firstName: 'Solène',
        lastName: `Zsec${tag}`,
        ...member,
        roles: { secretaryOf: [section.id] },
        signsIn: true,
      },
      // Waits for the secretary's confirmation, which brings the welcome message.
      {
        key: 'newcomer',
        firstName: 'Maëlle',
        lastName: `Znew${tag}`,
        ...member,
        confirmed: false,
        signsIn: true,
      },
      { key: 'visible', firstName: 'Bastien', lastName: `Zvis${tag}`, ...member, visibility: 'all' },
      { key: 'hidden', firstName: 'Odile', lastName: `Zhid${tag}`, ...member, visibility: 'section' },
      {
        key: 'coopilote',
        firstName: 'Karim',
        lastName: `Zcoo${tag}`,
        ...member,
        ownSection: coopiloteSection.id,
        roles: { coopilote: true },
        signsIn: true,
      },
    ]);
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows « Premiers pas » on a new member’s fil until they hide it, and the tour passes axe', async () => {
    const newcomer = persona(people, 'newcomer');
    await signIn(newcomer);
    const card = page.getByRole('region', { name: 'Premiers pas sur la coopol' });
    await card.waitFor();
    await expectNoSeriousA11yViolations(page);
    shots.push(await screenshot(page, 'newcomers-fil-card.png'));

    await card.getByRole('link', { name: 'Suivre les premiers pas' }).click();
    await page.waitForURL(`${baseUrl}/bienvenue/`);
    await page.getByRole('heading', { level: 1, name: 'Premiers pas sur la coopol' }).waitFor();
    const steps = page.locator('ol.first-steps > li');
    expect(await steps.count()).toBe(3);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Choisir qui voit votre profil',
      'Retrouver des coopains',
      'Suivre l’agenda de votre section',
    ]);
    expect(await page.getByRole('link', { name: 'Régler ma visibilité' }).getAttribute('href')).toBe(
      '/parametres/#visibilite',
    );
    expect(await page.getByRole('link', { name: 'Ouvrir l’annuaire' }).getAttribute('href')).toBe(
      '/annuaire/',
    );
    expect(await page.getByRole('link', { name: 'Voir l’agenda' }).getAttribute('href')).toBe('/agenda/');
    await expectNoSeriousA11yViolations(page);
    shots.push(await screenshot(page, 'newcomers-tour.png'));

    // Back on the fil, « Masquer » hides the card (by keyboard), focus goes to the content, and
    // the card stays hidden after a reload.
    await page.goto(`${baseUrl}/fil/`);
    await card.waitFor();
    await card.getByRole('button', { name: 'Masquer les premiers pas' }).focus();
    await page.keyboard.press('Enter');
    await card.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    await page.reload();
    await page.locator('#feed-loading').waitFor({ state: 'hidden' });
    // The card's script has run (it reads the same profile as the fil) and kept it hidden.
    await page.waitForTimeout(300);
    expect(await card.isVisible()).toBe(false);
  });

  it('links the welcome message of the secretary to the tour', async () => {
    const secretary = persona(people, 'secretary');
    const newcomer = persona(people, 'newcomer');
    const confirm = await api(`/api/sections/${section.id}/members/${newcomer.id}/confirm`, {
      method: 'POST',
      token: tokenOf(secretary),
    });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    await page.goto(`${baseUrl}/messages/`);
    await page
      .getByRole('link', { name: new RegExp(secretary.lastName) })
      .first()
      .click();
    await page.waitForURL(/\/messages\/conversation\/\?id=/);
    const link = page.getByRole('link', { name: 'Premiers pas sur la coopol' });
    await link.waitFor();
    await link.click();
    await page.waitForURL(`${baseUrl}/bienvenue/`);
    await signOutThroughPage(page, baseUrl);
  });

  it('lists the newcomers to welcome for a coopilote, by section, never a hidden one of another section', async () => {
    await signIn(persona(people, 'coopilote'));
    await page.goto(`${baseUrl}/moderation/`);
    const tabs = page.getByRole('navigation', { name: 'Modération' });
    await tabs.waitFor();
    await tabs.getByRole('link', { name: 'Nouveaux membres' }).click();
    await page.waitForURL(`${baseUrl}/nouveaux/`);
    await page.getByRole('heading', { level: 1, name: 'Nouveaux membres à accueillir' }).waitFor();
    await page.locator('#page-loading').waitFor({ state: 'hidden' });

    // The section's own list (party-wide, other tests' newcomers may outnumber the page).
    await page.goto(`${baseUrl}/nouveaux/?section=${section.id}`);
    const group = page.getByRole('region', { name: new RegExp(`^${section.name} · `) });
    await group.waitFor();
    const names = await group.locator('li strong').allTextContents();
    const visible = persona(people, 'visible');
    // Confirmed and welcomed, the newcomer has still done nothing: they stay on the list.
    const shown = ['visible', 'secretary', 'newcomer'].map((k) => persona(people, k));
    expect(names.sort()).toEqual(shown.map((p) => `${p.firstName} ${p.lastName}`).sort());
    expect(await page.content()).not.toContain(persona(people, 'hidden').lastName);
    const write = group.getByRole('link', { name: `Écrire à ${visible.firstName} ${visible.lastName}` });
    expect(await write.getAttribute('href')).toBe(`/membre/?id=${visible.id}`);
    await expectNoSeriousA11yViolations(page);
    shots.push(await screenshot(page, 'newcomers-coopilote.png'));
    expect(browser.pageErrors).toEqual([]);
    // Copies in /tmp too, to be looked at after the run.
    for (const shot of shots) await copyFile(shot, path.join('/tmp', path.basename(shot)));
  });
});
