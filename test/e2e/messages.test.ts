import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, launchBrowser, screenshot } from '../support/browser.ts';
import {
  callApi,
  memberIdOf,
  type NewMember,
  registerMember,
  signInApi,
  signInThroughPage,
  uniqueLastName,
} from './members.ts';

/**
 * Private messages (SPEC §3), from two members' own browsers: A writes to B from B's profile; B
 * sees the conversation unread in « Messages », opens it and replies; A reads the reply; B blocks
 * A, and A's next message is refused with the API's neutral words, the history kept.
 * Both members are new and visible to all, so that each may write to the other.
 */
describe('private messages', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browserA: Browser;
  let browserB: Browser;
  let pageA: Page;
  let pageB: Page;
  let a: NewMember & { id: string; token: string; name: string };
  let b: NewMember & { id: string; token: string; name: string };

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

  beforeAll(async () => {
    [a, b] = await Promise.all([register('Agathe', 'Autrice'), register('Bastien', 'Lecteur')]);
    [browserA, browserB] = await Promise.all([launchBrowser(), launchBrowser()]);
    [pageA, pageB] = await Promise.all([browserA.newPage(), browserB.newPage()]);
    await signInThroughPage(pageA, baseUrl, a);
    await signInThroughPage(pageB, baseUrl, b);
  }, 120_000);

  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
  });

  it('writes from a profile, reads unread, replies, and is refused after a block', async () => {
    // A writes to B from B's profile and lands in the conversation.
    await pageA.goto(`${baseUrl}/membre/?id=${b.id}`);
    await pageA.getByRole('heading', { level: 1, name: b.name }).waitFor();
    await pageA.getByRole('button', { name: 'Envoyer un message' }).click();
    await pageA.getByLabel('Votre message').fill('Bonjour Bastien, on se voit à la réunion de section ?');
    await pageA.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await pageA.waitForURL(/\/messages\/conversation\/\?id=/);
    await pageA.getByRole('heading', { level: 1, name: `Conversation avec ${b.name}` }).waitFor();
    await pageA.getByText('on se voit à la réunion de section ?', { exact: false }).waitFor();

    // B sees it unread in « Messages », opens it, replies.
    await pageB
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await pageB.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    const item = pageB
      .locator('.conversation-item')
      .filter({ has: pageB.getByRole('link', { name: a.name }) });
    await item.getByText('1 non lu', { exact: true }).waitFor();
    await item.getByText('on se voit à la réunion de section ?', { exact: false }).waitFor();
    await screenshot(pageB, 'messages.png');
    await item.getByRole('link', { name: a.name }).click();
    await pageB.getByRole('heading', { level: 1, name: `Conversation avec ${a.name}` }).waitFor();
    await pageB.getByText('on se voit à la réunion de section ?', { exact: false }).waitFor();
    await pageB.getByLabel('Votre message').fill('Oui, à jeudi !');
    await pageB.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await pageB.getByText('Message envoyé.').waitFor();
    // Read on open: back in the inbox, the badge is gone.
    await pageB.goto(`${baseUrl}/messages/`);
    await item.getByText('Oui, à jeudi !').waitFor();
    expect(await item.getByText('non lu', { exact: false }).count()).toBe(0);

    // A sees the reply, oldest message at top.
    await pageA.reload();
    await pageA.getByText('Oui, à jeudi !').waitFor();
    const texts = await pageA.locator('.message-text').allTextContents();
    expect(texts).toEqual(['Bonjour Bastien, on se voit à la réunion de section ?', 'Oui, à jeudi !']);
    await screenshot(pageA, 'conversation.png');

    // B blocks A: A's next message is refused, the history stays.
    await callApi(baseUrl, b.token, 'PUT', `/api/me/blocks/${a.id}`, undefined, 204);
    await pageA.getByLabel('Votre message').fill('Tu es là ?');
    await pageA.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await pageA.getByRole('status').getByText('Vous ne pouvez pas écrire à ce membre.').waitFor();
    expect(await pageA.locator('.message-text').count()).toBe(2);
    expect(browserA.pageErrors).toEqual([]);
    expect(browserB.pageErrors).toEqual([]);
  }, 120_000);
});
