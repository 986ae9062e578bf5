import type { Page } from 'playwright-core';
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
  signInApi,
  signInThroughPage,
  signOutThroughPage,
  uniqueLastName,
} from './members.ts';

interface StoredMail {
  destination?: { to?: string[] };
  subject?: string;
  body?: { text?: string };
}

/** Waits for a mail to `address` whose subject matches (aws-ses-v2-local's `/store`). */
async function waitForMail(sesUrl: string, address: string, subject: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { emails = [] } = (await (await fetch(`${sesUrl}/store`)).json()) as { emails?: StoredMail[] };
    const mail = emails.find((m) => m.destination?.to?.includes(address) && m.subject === subject);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`No mail « ${subject} » to ${address} within ${timeoutMs} ms`);
}

/**
 * Notifications (SPEC §5), in a member's own browser: a message and a coopain invitation from
 * another member show as « 2 non lues » in the navigation; the notifications page says who did
 * what, in French; opening one leads to the conversation and counts it read; « Tout marquer comme
 * lu » clears the rest. The email settings are saved and kept; the unsubscribe link of the
 * message's email works signed out, and an unknown link is said to be invalid.
 */
describe('notifications', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browser: Browser;
  let page: Page;
  let reader: Awaited<ReturnType<typeof register>>;
  let writer: Awaited<ReturnType<typeof register>>;

  async function register(firstName: string, prefix: string) {
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName,
      lastName: uniqueLastName(prefix),
      visibility: 'all',
    });
    const token = await signInApi(baseUrl, member);
    return {
      ...member,
      token,
      id: await memberIdOf(baseUrl, token),
      name: `${member.firstName} ${member.lastName}`,
    };
  }

  const nav = () => page.getByRole('navigation', { name: 'Navigation principale' });

  async function atBothWidths(name: string): Promise<void> {
    await screenshot(page, `${name}.png`);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, `${name}-390.png`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    [reader, writer] = await Promise.all([register('Bérénice', 'Lectrice'), register('Camille', 'Martin')]);
    browser = await launchBrowser();
    page = await browser.newPage();
    await signInThroughPage(page, baseUrl, reader);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('counts, lists, opens and marks notifications read; keeps the email choices; unsubscribes signed out', async () => {
    // Camille writes to Bérénice and invites her: two notifications.
    const { conversationId } = await callApi<{ conversationId: string }>(
      baseUrl,
      writer.token,
      'POST',
      `/api/members/${reader.id}/messages`,
      { text: 'Bonjour, tu viens au porte-à-porte samedi ?' },
      201,
    );
    await callApi(baseUrl, writer.token, 'POST', `/api/members/${reader.id}/invitation`, undefined, 201);

    // The count is in the navigation, in words for screen readers.
    await page.reload();
    await nav().getByRole('link', { name: 'Notifications, 2 non lues', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const message = page.locator('.notification', { hasText: `${writer.name} vous a écrit` });
    const invitation = page.locator('.notification', {
      hasText: `${writer.name} vous invite à devenir coopains`,
    });
    await message.getByRole('link', { name: `${writer.name} vous a écrit (non lue)` }).waitFor();
    await invitation.getByText('Non lue', { exact: true }).waitFor();
    await page.getByText('2 non lues.', { exact: true }).waitFor();
    // The date in French, as read in Paris.
    expect(await message.locator('time').textContent()).toMatch(/^\d{1,2} \p{L}+ \d{4} à \d{2}:\d{2}$/u);
    await expectNoSeriousA11yViolations(page);
    await atBothWidths('notifications');

    // Opening it leads to the conversation and counts it read.
    await message.getByRole('link').click();
    await page.waitForURL(`${baseUrl}/messages/conversation/?id=${conversationId}`);
    await page.getByRole('heading', { level: 1, name: `Conversation avec ${writer.name}` }).waitFor();
    await nav().getByRole('link', { name: 'Notifications, 1 non lue', exact: true }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.getByText('1 non lue.', { exact: true }).waitFor();
    expect(await message.getByText('Non lue').count()).toBe(0);

    // « Tout marquer comme lu ».
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.getByRole('status').getByText('Toutes vos notifications sont marquées comme lues.').waitFor();
    await nav().getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    await page.reload();
    await invitation.waitFor();
    expect(await page.getByText('Non lue', { exact: true }).count()).toBe(0);
    await page.getByText('Tout est lu.').waitFor();
    const centre = await callApi<{ unread: number }>(baseUrl, reader.token, 'GET', '/api/notifications');
    expect(centre.unread).toBe(0);

    // Paramètres → Notifications: a choice per type, saved with one PUT and kept.
    await nav().getByRole('link', { name: 'Paramètres' }).click();
    await page.getByRole('link', { name: 'Choisir mes notifications par e-mail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications par e-mail' }).waitFor();
    await page
      .getByText('partent à 7 h (heure de Paris) : chaque jour pour le résumé quotidien, le lundi pour', {
        exact: false,
      })
      .waitFor();
    const invitations = page.getByRole('group', { name: 'Invitations à devenir coopains' });
    const comments = page.getByRole('group', { name: 'Commentaires', exact: true });
    expect(await invitations.getByRole('radio', { name: 'Résumé quotidien' }).isChecked()).toBe(true);
    await expectNoSeriousA11yViolations(page);
    await invitations.getByRole('radio', { name: 'Tout de suite par e-mail' }).check();
    await comments.getByRole('radio', { name: 'Sur le site seulement' }).check();
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await page.getByRole('status').getByText('Vos choix sont enregistrés.', { exact: false }).waitFor();
    await atBothWidths('parametres-notifications');
    await page.reload();
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).waitFor();
    expect(await invitations.getByRole('radio', { name: 'Tout de suite par e-mail' }).isChecked()).toBe(true);
    expect(await comments.getByRole('radio', { name: 'Sur le site seulement' }).isChecked()).toBe(true);
    expect(
      await page
        .getByRole('group', { name: 'Messages privés' })
        .getByRole('radio', { name: 'Tout de suite par e-mail' })
        .isChecked(),
    ).toBe(true);

    // The message's email carries the unsubscribe link: it works signed out.
    const mail = await waitForMail(sesUrl, reader.email, `Nouveau message de ${writer.name}`);
    const link = /\/desinscription\/\?token=[A-Za-z0-9_-]+/.exec(mail.body?.text ?? '')?.[0];
    expect(link).toBeDefined();
    await signOutThroughPage(page, baseUrl);
    await page.goto(`${baseUrl}${link}`);
    await page.getByRole('heading', { level: 1, name: 'Ne plus recevoir d’e-mails' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await atBothWidths('desinscription');
    await page.getByRole('button', { name: 'Ne plus recevoir d’e-mails' }).click();
    await page.getByRole('heading', { level: 1, name: 'C’est fait' }).waitFor();
    await page
      .getByRole('status')
      .getByText('Vous ne recevrez plus d’e-mails de notification de la coopol.')
      .waitFor();
    await page.getByRole('link', { name: 'Paramètres → Notifications' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'desinscription-faite.png');
    const preferences = await callApi<{ email: Record<string, string> }>(
      baseUrl,
      reader.token,
      'GET',
      '/api/me/notification-preferences',
    );
    expect(new Set(Object.values(preferences.email))).toEqual(new Set(['none']));

    // A link that is not one.
    await page.goto(`${baseUrl}/desinscription/?token=${'A'.repeat(32)}`);
    await page.getByRole('button', { name: 'Ne plus recevoir d’e-mails' }).click();
    await page.getByRole('alert').getByText('Ce lien n’est pas (ou plus) valable.').waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'desinscription-invalide.png');

    expect(browser.pageErrors).toEqual([]);
  }, 90_000);
});
