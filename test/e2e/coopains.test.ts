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

interface Relations {
  coopains: { items: Array<{ id: string }> };
  invitations: { received: unknown[]; sent: unknown[] };
}

/**
 * Coopains and blocks (SPEC §3), from two members' own browsers: A finds B in the directory and
 * invites; B accepts; both see each other among their coopains; B blocks A from A's profile; B is
 * gone for A (profile and directory); B unblocks A, and nothing comes back.
 * Both members are new and visible to all (at `section` nobody could invite them).
 */
describe('coopains and blocks', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browserA: Browser;
  let browserB: Browser;
  let pageA: Page;
  let pageB: Page;
  let a: NewMember & { id: string; token: string };
  let b: NewMember & { id: string; token: string };

  async function register(
    firstName: string,
    prefix: string,
  ): Promise<NewMember & { id: string; token: string }> {
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName,
      lastName: uniqueLastName(prefix),
      visibility: 'all',
    });
    const token = await signInApi(baseUrl, member);
    return { ...member, token, id: await memberIdOf(baseUrl, token) };
  }

  beforeAll(async () => {
    [a, b] = await Promise.all([register('Anouk', 'Invitante'), register('Bruno', 'Invite')]);
    // Two browsers, so that each member keeps their own session (cookie and tab).
    [browserA, browserB] = await Promise.all([launchBrowser(), launchBrowser()]);
    [pageA, pageB] = await Promise.all([browserA.newPage(), browserB.newPage()]);
    await signInThroughPage(pageA, baseUrl, a);
    await signInThroughPage(pageB, baseUrl, b);
  }, 120_000);

  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
  });

  /** What the API says of a member's links (the pages are checked first; this is the ground truth). */
  async function relationsOf(member: { token: string }): Promise<Relations> {
    const [coopains, invitations] = await Promise.all([
      callApi<Relations['coopains']>(baseUrl, member.token, 'GET', '/api/me/coopains'),
      callApi<Relations['invitations']>(baseUrl, member.token, 'GET', '/api/me/invitations'),
    ]);
    return { coopains, invitations };
  }

  async function searchDirectory(page: Page, lastName: string): Promise<void> {
    await page.goto(`${baseUrl}/annuaire/`);
    await page.getByRole('heading', { level: 1, name: 'Annuaire des socialistes' }).waitFor();
    await page.getByLabel('Prénom ou nom').fill(lastName);
    await page.getByRole('button', { name: 'Rechercher' }).click();
  }

  async function openCoopains(page: Page): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Coopains' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Mes coopains' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Vos coopains' }).waitFor();
  }

  it('invite, accept, block from the profile, unblock: the link does not come back', async () => {
    const nameA = `${a.firstName} ${a.lastName}`;
    const nameB = `${b.firstName} ${b.lastName}`;

    // A finds B in the directory, opens B's profile and invites.
    await searchDirectory(pageA, b.lastName);
    await pageA.getByRole('link', { name: nameB }).click();
    await pageA.waitForURL(`${baseUrl}/membre/?id=${b.id}`);
    await pageA.getByRole('heading', { level: 1, name: nameB }).waitFor();
    await pageA.getByRole('button', { name: 'Inviter comme coopain' }).click();
    await pageA
      .getByRole('status')
      .filter({ hasText: `Invitation envoyée à ${nameB}.` })
      .waitFor();
    await pageA.getByText(`Vous avez invité ${nameB} à devenir coopains`, { exact: false }).waitFor();
    await pageA.getByRole('button', { name: 'Annuler l’invitation' }).waitFor();
    expect(await pageA.getByRole('button', { name: 'Inviter comme coopain' }).count()).toBe(0);

    // B sees the invitation on « Coopains » and accepts it.
    await openCoopains(pageB);
    const received = pageB.getByRole('region', { name: 'Invitations reçues' });
    await received.getByRole('link', { name: nameA }).waitFor();
    await received.getByRole('button', { name: `Accepter l’invitation de ${nameA}` }).click();
    await received.getByText(`${nameA} et vous êtes maintenant coopains.`).waitFor();
    await received.getByText('Aucune invitation n’attend votre réponse.').waitFor();
    const coopainsOfB = pageB.getByRole('region', { name: 'Vos coopains' });
    await coopainsOfB.getByRole('link', { name: nameA }).waitFor();
    await pageB.reload();
    await coopainsOfB.getByRole('link', { name: nameA }).waitFor();
    await coopainsOfB.getByText('1 coopain.').waitFor();
    await screenshot(pageB, 'coopains-parcours.png');

    // A sees B among their coopains, and no invitation waits any more.
    await openCoopains(pageA);
    const coopainsOfA = pageA.getByRole('region', { name: 'Vos coopains' });
    await coopainsOfA.getByRole('link', { name: nameB }).waitFor();
    await pageA
      .getByRole('region', { name: 'Invitations envoyées' })
      .getByText('Aucune de vos invitations n’attend de réponse.')
      .waitFor();

    // B blocks A from A's profile, after reading what a block does.
    await coopainsOfB.getByRole('link', { name: nameA }).click();
    await pageB.waitForURL(`${baseUrl}/membre/?id=${a.id}`);
    await pageB.getByRole('heading', { level: 1, name: nameA }).waitFor();
    await pageB.getByText('Coopain', { exact: true }).waitFor();
    await pageB.getByRole('button', { name: 'Retirer de mes coopains' }).waitFor();
    await pageB.getByRole('button', { name: 'Bloquer' }).click();
    const dialog = pageB.getByRole('dialog', { name: `Bloquer ${nameA}` });
    await dialog
      .getByText(
        'Ce membre ne pourra plus vous voir, vous écrire, vous inviter ni commenter vos publications. Vos liens de coopains et invitations seront supprimés. Il n’en sera pas informé.',
      )
      .waitFor();
    // The harmless choice has the focus.
    expect(
      await dialog.getByRole('button', { name: 'Annuler' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Bloquer' }).click();
    await pageB.waitForURL(`${baseUrl}/membres-bloques/?bloque=${a.id}`);
    await pageB.getByRole('heading', { level: 1, name: 'Membres bloqués' }).waitFor();
    await pageB.getByText(`Vous avez bloqué ${nameA}. Ce membre n’en est pas informé.`).waitFor();
    const blocked = pageB.getByRole('region', { name: 'Les membres que vous bloquez' });
    await blocked.getByRole('heading', { level: 3, name: nameA }).waitFor();
    await pageB.getByText('Débloquer ne rétablit rien', { exact: false }).waitFor();
    await screenshot(pageB, 'membres-bloques-parcours.png');

    // For A, B no longer exists: not the profile, not in the directory, not among the coopains.
    await pageA.goto(`${baseUrl}/membre/?id=${b.id}`);
    await pageA.getByText('Ce profil n’existe pas ou ne vous est pas visible.').waitFor();
    expect(await pageA.getByRole('heading', { level: 1 }).textContent()).toBe('Profil introuvable');
    expect(await pageA.getByText(b.lastName).count()).toBe(0);
    await searchDirectory(pageA, b.lastName);
    await pageA
      .getByRole('status')
      .filter({ hasText: 'Aucun membre ne correspond à votre recherche.' })
      .waitFor();
    expect(await pageA.getByRole('link', { name: nameB }).count()).toBe(0);
    await openCoopains(pageA);
    await pageA.getByText('Vous n’avez pas encore de coopains.', { exact: false }).waitFor();
    expect(await pageA.getByRole('link', { name: nameB }).count()).toBe(0);

    // B unblocks A: A is off the list, and nothing is restored.
    await blocked.getByRole('button', { name: `Débloquer ${nameA}` }).click();
    await pageB.getByText(`${nameA} n’est plus bloqué·e.`, { exact: false }).waitFor();
    await pageB.getByText('Vous n’avez bloqué aucun membre.', { exact: false }).waitFor();
    await pageB.reload();
    await pageB.getByText('Vous n’avez bloqué aucun membre.', { exact: false }).waitFor();

    await openCoopains(pageB);
    await pageB.getByText('Vous n’avez pas encore de coopains.', { exact: false }).waitFor();
    expect(await pageB.getByRole('link', { name: nameA }).count()).toBe(0);
    await openCoopains(pageA);
    await pageA.getByText('Vous n’avez pas encore de coopains.', { exact: false }).waitFor();
    // A sees B's profile again, as anyone would: no « Coopain », an invitation is possible again.
    await pageA.goto(`${baseUrl}/membre/?id=${b.id}`);
    await pageA.getByRole('heading', { level: 1, name: nameB }).waitFor();
    await pageA.getByRole('button', { name: 'Inviter comme coopain' }).waitFor();
    expect(await pageA.getByText('Coopain', { exact: true }).count()).toBe(0);

    // Refusals: the API's own words for a 429, never a guessed reason for a 404.
    const refuse = (status: number, code: string, message: string) =>
      pageA.route(`**/api/members/${b.id}/invitation`, (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status, json: { error: { code, message } } })
          : route.fallback(),
      );
    await refuse(404, 'member.not_found', 'Ce profil n’existe pas ou ne vous est pas visible.');
    await pageA.getByRole('button', { name: 'Inviter comme coopain' }).click();
    await pageA.getByRole('status').filter({ hasText: 'Vous ne pouvez pas inviter ce membre.' }).waitFor();
    expect(await pageA.getByText('Ce profil n’existe pas', { exact: false }).isVisible()).toBe(false);
    await pageA.unrouteAll();
    await refuse(429, 'coopain.rate_limited', 'Trop d’invitations aujourd’hui : réessayez demain.');
    await pageA.getByRole('button', { name: 'Inviter comme coopain' }).click();
    await pageA
      .getByRole('status')
      .filter({ hasText: 'Trop d’invitations aujourd’hui : réessayez demain.' })
      .waitFor();
    await pageA.unrouteAll();

    for (const member of [a, b]) {
      const { coopains, invitations } = await relationsOf(member);
      expect(coopains.items).toEqual([]);
      expect(invitations).toEqual({ received: [], sent: [] });
    }
    expect(browserA.pageErrors).toEqual([]);
    expect(browserB.pageErrors).toEqual([]);
  }, 180_000);
});
