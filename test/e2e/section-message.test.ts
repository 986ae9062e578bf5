import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { cspViolationsOf, enforceStrictCsp } from './csp.ts';
import { demoMember, signInThroughPage } from './members.ts';

/**
 * Secrétariat → Message à la section (SPEC §3): the demo secretary of Paris 11e writes to the
 * whole section after confirming, and follows the delivery in the history until it is done; the
 * demo member hidden from all but his section (`discret`, at `section` visibility) reads it in
 * « Messages », labelled as a message to the whole section.
 *
 * The demo secretary is shared with other tests and may write 5 times a day: this test sends
 * ONE message (the refusal at the limit is played by a route, without reaching it). Other tests
 * add members to Paris 11e, so the number reached is only known to be at least 1.
 */
describe('message to the whole section', () => {
  const baseUrl = inject('baseUrl');
  const demoPassword = inject('demoPassword');
  let secretaryBrowser: Browser;
  let memberBrowser: Browser;
  let page: Page;
  let memberPage: Page;

  beforeAll(async () => {
    [secretaryBrowser, memberBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    // The secretary's pages run under the strict policy the site is built for.
    await enforceStrictCsp(secretaryBrowser, baseUrl);
    [page, memberPage] = await Promise.all([secretaryBrowser.newPage(), memberBrowser.newPage()]);
  }, 60_000);

  afterAll(async () => {
    await secretaryBrowser?.close();
    await memberBrowser?.close();
  });

  it('is sent after a confirmation, followed to « Envoyé », and read by a hidden member', async () => {
    const text = `Réunion de section jeudi à 19 h, salle Voltaire : ordre du jour, les municipales. (${randomUUID().slice(0, 8)})`;
    const violations: string[] = [];
    const collect = async () => violations.push(...(await cspViolationsOf(page)));

    // The secretariat leads to « Message à la section ».
    await signInThroughPage(page, baseUrl, demoMember('secretaire', demoPassword));
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Secrétariat' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Secrétariat' }).waitFor();
    await collect();
    await page.getByRole('link', { name: 'Écrire à toute la section' }).click();
    await page.waitForURL(/\/secretariat\/message\/\?section=/);
    await page.getByRole('heading', { level: 1, name: 'Message à la section' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Nouveau message à la section Paris 11e' }).waitFor();
    await page
      .getByText('Chaque membre de la section le reçoit dans sa messagerie', { exact: false })
      .waitFor();
    await page.getByText('5 fois par jour', { exact: false }).waitFor();
    const history = page.getByRole('heading', { level: 2, name: 'Messages envoyés à la section' });
    await history.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);

    // An empty message is refused on the spot, the error tied to the field.
    const field = page.getByLabel('Votre message à la section');
    await page.getByRole('button', { name: 'Envoyer à la section' }).click();
    await page
      .getByRole('alert')
      .getByText('Le message ne peut pas partir : corrigez le champ signalé.')
      .waitFor();
    await page.locator('#section-text-error').getByText('Écrivez votre message.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('section-text-error');
    await expectNoSeriousA11yViolations(page);

    // The live count follows the text.
    await field.fill(text);
    await page.locator('#section-text-count').getByText(`${text.length} / 5`, { exact: false }).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBeNull();

    // At the daily limit the API's own words are shown (played by a route: nothing is sent).
    const limit = 'Vous avez déjà écrit plusieurs fois à la section aujourd’hui : réessayez demain.';
    await page.route('**/api/sections/*/messages', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            headers: { 'retry-after': '3600' },
            json: { error: { code: 'section_message.rate_limited', message: limit } },
          })
        : route.fallback(),
    );
    await page.getByRole('button', { name: 'Envoyer à la section' }).click();
    await page
      .getByRole('dialog', { name: 'Envoyer à tous les membres de la section ?' })
      .getByRole('button', { name: 'Envoyer à tous les membres' })
      .click();
    await page.getByRole('alert').getByText(limit).waitFor();
    await page.unroute('**/api/sections/*/messages');
    expect(await field.inputValue()).toBe(text);

    // The confirmation says what will happen; « Annuler » sends nothing.
    await page.getByRole('button', { name: 'Envoyer à la section' }).click();
    const dialog = page.getByRole('dialog', { name: 'Envoyer à tous les membres de la section ?' });
    await dialog.getByText('chaque membre de la section Paris 11e', { exact: false }).waitFor();
    await dialog
      .getByText('y compris les membres visibles de leur section seulement', { exact: false })
      .waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'section-message-confirmation.png');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('.section-message', { hasText: text }).count()).toBe(0);

    // Confirmed: queued, then followed in the history until every member is reached.
    const listCalls: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/api\/sections\/[^/]+\/messages/.test(request.url()))
        listCalls.push(request.url());
    });
    await page.getByRole('button', { name: 'Envoyer à la section' }).click();
    await dialog.getByRole('button', { name: 'Envoyer à tous les membres' }).click();
    await page.getByText('Votre message est en file d’attente', { exact: false }).waitFor();
    expect(await field.inputValue()).toBe('');
    const item = page.locator('.section-message', { hasText: text });
    await item.getByText('par Sophie Durand', { exact: false }).waitFor();
    const sent = item.getByText(/^Envoyé à \d+ membres?$/);
    await sent.waitFor({ timeout: 45_000 });
    const reached = Number(/\d+/.exec((await sent.textContent()) ?? '')?.[0]);
    expect(reached).toBeGreaterThanOrEqual(1);
    await page.getByText('Votre message est arrivé', { exact: false }).waitFor();
    // The date in French, as read in Paris.
    expect(await item.locator('time').textContent()).toMatch(/^\d{1,2}(?:er)? \p{L}+ \d{4} à \d{2}:\d{2}$/u);
    // Done: the history stops asking.
    const callsWhenDone = listCalls.length;
    await page.waitForTimeout(4_500);
    expect(listCalls.length).toBe(callsWhenDone);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'section-message.png');
    await collect();
    expect(violations).toEqual([]);

    // The hidden member of Paris 11e reads it in « Messages », labelled as such.
    await signInThroughPage(memberPage, baseUrl, demoMember('discret', demoPassword));
    await memberPage
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await memberPage.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    await memberPage.getByRole('link', { name: 'Sophie Durand' }).click();
    await memberPage.getByRole('heading', { level: 1, name: 'Conversation avec Sophie Durand' }).waitFor();
    const received = memberPage.locator('.message', { hasText: text });
    await received.getByText('Message à toute la section', { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(memberPage);
    await screenshot(memberPage, 'section-message-recu.png');

    expect(secretaryBrowser.pageErrors).toEqual([]);
    expect(memberBrowser.pageErrors).toEqual([]);
  }, 150_000);
});
