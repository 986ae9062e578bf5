import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { letters, type Persona, persona, SECTIONS, seedPersonas } from '../support/personas.ts';
import { demoMember, signInThroughPage, signOutThroughPage } from './members.ts';
import { asMember, loaded, waitForPostInFeed } from './posts.ts';

/**
 * A section's private page (SPEC §4): a confirmed adherent of Paris 11e publishes there from the
 * section's page; another confirmed adherent of the section reads it in le fil and comments; a
 * member of another section sees it nowhere (not in le fil, not by its address, not the private
 * page); a member of the section visible to it only reads it but is not offered to publish; the
 * section's secretary (the demo account) pins it, then deletes it.
 *
 * One browser, one tab: the members take turns (sign-out, sign-in).
 */
describe('a section’s private page', () => {
  const baseUrl = inject('baseUrl');
  const demoPassword = inject('demoPassword');
  let browser: Browser;
  let page: Page;
  let author: Persona;
  let peer: Persona;
  let outsider: Persona;

  beforeAll(async () => {
    const suffix = letters(8);
    const seeded = await seedPersonas([
      {
        key: 'author',
        firstName: 'Aurélie',
        lastName: `Prive${suffix}`,
        membership: 'adherent',
        confirmed: true,
        section: 'paris',
        visibility: 'adherents',
        signsIn: true,
      },
      {
        key: 'peer',
        firstName: 'Bastien',
        lastName: `Prive${suffix}`,
        membership: 'mjs',
        confirmed: true,
        section: 'paris',
        visibility: 'adherents',
        signsIn: true,
      },
      {
        key: 'outsider',
        firstName: 'Chloé',
        lastName: `Ailleurs${suffix}`,
        membership: 'adherent',
        confirmed: true,
        section: 'lille',
        visibility: 'all',
        signsIn: true,
      },
    ]);
    author = persona(seeded, 'author');
    peer = persona(seeded, 'peer');
    outsider = persona(seeded, 'outsider');
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('is written by a member, read by a peer, hidden from another section, moderated by the secretary', async () => {
    const tag = randomUUID().slice(0, 8);
    const title = `Réunion de rentrée ${tag}`;
    const body = `Rendez-vous **jeudi à 19 h** au local.\n\n- ordre du jour : les municipales\n- tractage samedi (${tag})`;

    // — The author: from the profile's section name to the private page, and publishes there. —
    await signInThroughPage(page, baseUrl, asMember(author));
    await page.goto(`${baseUrl}/profil/`);
    await page.getByRole('link', { name: 'Paris 11e' }).click();
    await page.waitForURL(/\/section\/\?id=/);
    await loaded(page, 'section-loading');
    await page.getByRole('heading', { level: 1, name: 'Section Paris 11e' }).waitFor();
    // « Ma section » in the navigation leads here too.
    expect(
      await page
        .getByRole('navigation', { name: 'Navigation principale' })
        .getByRole('link', { name: 'Ma section' })
        .getAttribute('aria-current'),
    ).toBe('page');
    const tabs = page.getByRole('navigation', { name: 'Pages de la section' });
    // Visible to the adherents only: no composer on the public page, and it says why.
    await page.getByText('pour y publier, rendez votre profil visible de tous', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await tabs.getByRole('link', { name: 'Page privée' }).click();
    await page.waitForURL(/page=privee/);
    await loaded(page, 'section-loading');
    expect(await tabs.getByRole('link', { name: 'Page privée' }).getAttribute('aria-current')).toBe('page');
    await page.getByText('Publié pour : la page privée de la section Paris 11e', { exact: false }).waitFor();
    // An empty message is refused on the spot, in an alert near the form.
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByRole('alert').getByText('Écrivez votre message.', { exact: false }).waitFor();
    expect(await page.getByLabel('Votre message').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Titre').fill(title);
    await page.getByLabel('Votre message').fill(body);
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText(`Votre billet « ${title} » est publié.`).waitFor();
    const card = page.locator('.post-card', { hasText: title });
    await card.getByText('jeudi à 19 h', { exact: true }).waitFor();
    expect(await card.locator('strong', { hasText: 'jeudi à 19 h' }).count()).toBe(1);
    await card.getByText('Page privée · Paris 11e').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'section-privee.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'section-privee-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    const postHref = (await card.getByRole('link', { name: title, exact: true }).getAttribute('href')) ?? '';
    expect(postHref).toMatch(/^\/billet\/\?id=/);
    // The author corrects the billet on its page.
    await card.getByRole('link', { name: title, exact: true }).click();
    await loaded(page, 'post-loading');
    await page.getByRole('button', { name: 'Modifier le billet' }).click();
    expect(await page.getByLabel('Titre').inputValue()).toBe(title);
    await page.getByLabel('Texte').fill(`${body}\n\nÀ jeudi !`);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Vos modifications sont enregistrées.').waitFor();
    await page.locator('#post-body').getByText('À jeudi !').waitFor();
    await page.locator('#post-head').getByText('(modifié)').waitFor();
    await signOutThroughPage(page, baseUrl);

    // — A peer of the section: the billet reaches le fil; they open it and comment. —
    await signInThroughPage(page, baseUrl, asMember(peer));
    await waitForPostInFeed(page, baseUrl, title);
    const peerCard = page.locator('.post-card', { hasText: title });
    await peerCard.getByRole('link', { name: `${author.firstName} ${author.lastName}` }).waitFor();
    await peerCard.getByText('Aucun commentaire').waitFor();
    expect(await page.getByRole('link', { name: 'Mon fil' }).getAttribute('aria-current')).toBe('page');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'fil.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'fil-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    // « Toute la coopol » does not show a private page's post.
    await page.getByRole('link', { name: 'Toute la coopol' }).click();
    await page.waitForURL(/vue=coopol/);
    await loaded(page, 'feed-loading');
    expect(await page.locator('.post-card', { hasText: title }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await page.goto(`${baseUrl}${postHref}`);
    await loaded(page, 'post-loading');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByLabel('Votre commentaire').fill('J’apporte les tracts !');
    await page.getByRole('button', { name: 'Commenter' }).click();
    await page.getByText('Votre commentaire est publié.').waitFor();
    await page.locator('.comment', { hasText: 'J’apporte les tracts !' }).first().waitFor();
    await page.getByText('1 commentaire', { exact: true }).waitFor();
    // The peer answers their own comment, then corrects it.
    const peerName = `${peer.firstName} ${peer.lastName}`;
    await page.getByRole('button', { name: `Répondre au commentaire de ${peerName}` }).click();
    await page.getByLabel(`Votre réponse à ${peerName}`).fill('Et la colle aussi.');
    await page.locator('.inline-form').getByRole('button', { name: 'Répondre' }).click();
    await page.getByText('Votre réponse est publiée.').waitFor();
    await page.locator('.comment .replies .comment', { hasText: 'Et la colle aussi.' }).waitFor();
    await page.getByText('2 commentaires', { exact: true }).waitFor();
    const first = page.locator('.comment:not(.reply)', { hasText: 'J’apporte les tracts !' });
    await first.getByRole('button', { name: 'Modifier mon commentaire' }).first().click();
    await page.getByLabel('Texte du commentaire').fill('J’apporte les tracts et les affiches !');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Commentaire modifié.').waitFor();
    await page.locator('.comment', { hasText: 'J’apporte les tracts et les affiches !' }).first().waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'billet.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'billet-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOutThroughPage(page, baseUrl);

    // — A member of another section: nowhere to be seen. —
    await signInThroughPage(page, baseUrl, asMember(outsider));
    await page.goto(`${baseUrl}/fil/`);
    await loaded(page, 'feed-loading');
    expect(await page.locator('.post-card', { hasText: title }).count()).toBe(0);
    await page.goto(`${baseUrl}${postHref}`);
    await loaded(page, 'post-loading');
    await page.getByRole('heading', { level: 1, name: 'Billet introuvable' }).waitFor();
    await page.getByText('Ce billet n’existe pas ou ne vous est pas visible.').waitFor();
    expect(await page.getByText(title).count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await page.goto(`${baseUrl}/section/?id=${SECTIONS.paris}&page=privee`);
    await loaded(page, 'section-loading');
    await page.getByText('Cette page est réservée aux membres de la section.').waitFor();
    expect(await page.getByText(title).count()).toBe(0);
    expect(await page.locator('#composer-box').isVisible()).toBe(false);
    await signOutThroughPage(page, baseUrl);

    // — A member of Paris 11e visible to the section only: reads the page, cannot publish there. —
    await signInThroughPage(page, baseUrl, demoMember('discret', demoPassword));
    await page.goto(`${baseUrl}/section/?page=privee`);
    await loaded(page, 'section-loading');
    await page.locator('.post-card', { hasText: title }).waitFor();
    await page.getByText('Vous avez choisi « Ma section uniquement »', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Changer ma visibilité dans mes paramètres' }).waitFor();
    expect(await page.locator('#composer-box').isVisible()).toBe(false);
    await signOutThroughPage(page, baseUrl);

    // — The secretary of Paris 11e: pins it (« Épinglé » on the page), then deletes it. —
    await signInThroughPage(page, baseUrl, demoMember('secretaire', demoPassword));
    await page.goto(`${baseUrl}${postHref}`);
    await loaded(page, 'post-loading');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    // Not the author: no « Modifier ».
    expect(await page.getByRole('button', { name: 'Modifier le billet' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Épingler sur la page' }).click();
    await page.getByText('Épinglé en tête de la page de la section.').waitFor();
    await page.getByRole('link', { name: 'Retour à : Page privée · Paris 11e' }).click();
    await loaded(page, 'section-loading');
    const pinned = page.locator('.post-card.pinned', { hasText: title });
    await pinned.getByText('Épinglé', { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'section-secretaire.png');
    await pinned.getByRole('link', { name: title, exact: true }).click();
    await loaded(page, 'post-loading');
    await page.getByRole('button', { name: 'Supprimer le billet' }).click();
    const dialog = page.getByRole('dialog', { name: 'Supprimer ce billet ?' });
    await dialog.getByText('en tant que modérateur·rice', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText('Le billet a été supprimé.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Billet supprimé' }).waitFor();
    await page.goto(`${baseUrl}/section/?id=${SECTIONS.paris}&page=privee`);
    await loaded(page, 'section-loading');
    expect(await page.locator('.post-card', { hasText: title }).count()).toBe(0);
    await signOutThroughPage(page, baseUrl);

    // — The peer: gone from le fil and from its address. —
    await signInThroughPage(page, baseUrl, asMember(peer));
    await page.goto(`${baseUrl}/fil/`);
    await loaded(page, 'feed-loading');
    expect(await page.locator('.post-card', { hasText: title }).count()).toBe(0);
    await page.goto(`${baseUrl}${postHref}`);
    await page.getByRole('heading', { level: 1, name: 'Billet introuvable' }).waitFor();

    expect(browser.pageErrors).toEqual([]);
  }, 150_000);
});
