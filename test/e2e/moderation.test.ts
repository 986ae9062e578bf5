import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { letters, type Persona, persona, seedPersonas, tokenOf } from '../support/personas.ts';
import { cspViolationsOf, enforceStrictCsp } from './csp.ts';
import { callApi, signInThroughPage } from './members.ts';
import { asMember, loaded } from './posts.ts';

/**
 * Moderation (SPEC §6), from three members' tabs of one browser, under the strict CSP: a member
 * reports another member's post with « Signaler un abus »; a coopilote reads the queue and the
 * file, acts with a remark and removes the post, which readers no longer see; the author is
 * reported again (their profile) and suspended for 7 days; the author's still-valid token lands
 * them on their decisions page at the next page load, where they appeal; the coopilote lifts the
 * suspension from the appeals page and the author uses le fil again. The journal, filtered by the
 * author, lists every action.
 */
describe('moderation', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let authorPage: Page;
  let reporterPage: Page;
  let coopilotePage: Page;
  let author: Persona;
  let reporter: Persona;
  let authorName: string;
  const violations: string[] = [];

  async function collect(page: Page): Promise<void> {
    violations.push(...(await cspViolationsOf(page)));
  }

  beforeAll(async () => {
    const suffix = letters(8);
    const spec = (key: string, firstName: string, extra: Record<string, unknown> = {}) => ({
      key,
      firstName,
      lastName: `Moderation${suffix}`,
      membership: 'adherent' as const,
      confirmed: true,
      section: 'lille' as const,
      visibility: 'all' as const,
      signsIn: true,
      ...extra,
    });
    const seeded = await seedPersonas([
      spec('author', 'Aurelien'),
      spec('reporter', 'Roxane'),
      spec('coopilote', 'Colette', { section: 'nantes', roles: { coopilote: true } }),
    ]);
    author = persona(seeded, 'author');
    reporter = persona(seeded, 'reporter');
    authorName = `${author.firstName} ${author.lastName}`;
    browser = await launchBrowser();
    await enforceStrictCsp(browser, baseUrl);
    // One tab per member: each tab keeps its own session.
    authorPage = await browser.newPage();
    await signInThroughPage(authorPage, baseUrl, asMember(author));
    reporterPage = await browser.context.newPage();
    await signInThroughPage(reporterPage, baseUrl, asMember(reporter));
    coopilotePage = await browser.context.newPage();
    await signInThroughPage(coopilotePage, baseUrl, asMember(persona(seeded, 'coopilote')));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** The report dialog: a category, a comment, « Envoyer le signalement ». */
  async function reportThroughDialog(page: Page, buttonName: RegExp, category: string, comment: string) {
    await page.getByRole('button', { name: buttonName }).click();
    const dialog = page.getByRole('dialog', { name: 'Signaler un abus' });
    await dialog.waitFor();
    await dialog.getByLabel(category, { exact: true }).check();
    await dialog.getByLabel(/^Précisions pour les coopilotes/).fill(comment);
    await dialog.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await dialog.getByText('Merci, les coopilotes vont examiner votre signalement.').waitFor();
    return dialog;
  }

  /** « Toute la coopol » in `page`, reloaded until the card of `title` shows (lists follow a moment later). */
  async function partyCard(page: Page, title: string): Promise<Locator> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.goto(`${baseUrl}/fil/?vue=coopol`);
      await loaded(page, 'feed-loading');
      const card = page.locator('.post-card', { hasText: title });
      if ((await card.count()) > 0) return card;
      if (Date.now() > deadline) throw new Error(`« ${title} » did not reach « Toute la coopol »`);
      await page.waitForTimeout(750);
    }
  }

  /** The coopilote opens the file of `heading` from the queue. */
  async function openFile(heading: string): Promise<void> {
    const page = coopilotePage;
    await page.goto(`${baseUrl}/moderation/`);
    await loaded(page, 'page-loading');
    const card = page.locator('.report-card').filter({ has: page.getByRole('heading', { name: heading }) });
    await card.getByRole('link', { name: /^Voir le dossier/ }).click();
    await page.waitForURL(/\/moderation\/dossier\/\?target=/);
    await loaded(page, 'page-loading');
    await page.getByRole('heading', { level: 2, name: `Historique de ${authorName}` }).waitFor();
  }

  /** « Agir » with a reason, then the confirmation. */
  async function act(reason: string, options: { remove?: boolean; days?: number }): Promise<void> {
    const page = coopilotePage;
    await page.getByLabel('Agir', { exact: true }).check();
    await page.getByLabel('Motif, adressé à l’auteur·ice').fill(reason);
    if (options.remove) await page.getByLabel('Supprimer le contenu').check();
    if (options.days) {
      await page.getByLabel('Suspendre pour une durée').check();
      await page.getByLabel('Nombre de jours').fill(String(options.days));
    }
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirmer la décision' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Confirmer la décision' }).click();
    await page.getByText(`Décision enregistrée : ${authorName} en est informé·e`, { exact: false }).waitFor();
  }

  it('reports, acts, suspends, takes an appeal, lifts it, and logs every action', async () => {
    const title = `Billet à signaler ${letters(6)}`;
    const post = await callApi<{ id: string }>(
      baseUrl,
      tokenOf(author),
      'POST',
      '/api/posts',
      { audience: { kind: 'all' }, title, body: 'Des propos **injurieux** envers les camarades.' },
      201,
    );

    // — In « Toute la coopol », another member may report the post; its author may not. —
    const othersCard = await partyCard(reporterPage, title);
    await othersCard.getByRole('button', { name: `Signaler le billet de ${authorName}` }).waitFor();
    await screenshot(reporterPage, 'moderation-fil.png');
    await collect(reporterPage);
    const ownCard = await partyCard(authorPage, title);
    expect(await ownCard.getByRole('button', { name: /^Signaler/ }).count()).toBe(0);
    await authorPage.goto(`${baseUrl}/billet/?id=${post.id}`);
    await authorPage.getByRole('heading', { level: 1, name: title }).waitFor();
    await authorPage.getByRole('button', { name: 'Modifier le billet' }).waitFor();
    expect(await authorPage.getByRole('button', { name: /^Signaler/ }).count()).toBe(0);

    // — A member reports the post: the dialog refuses no category, then thanks; a second report is refused. —
    let page = reporterPage;
    await page.goto(`${baseUrl}/billet/?id=${post.id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('button', { name: `Signaler le billet de ${authorName}` }).click();
    let dialog = page.getByRole('dialog', { name: 'Signaler un abus' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio').count()).toBe(11);
    await dialog.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await dialog.getByText('Choisissez un motif.').first().waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'moderation-report-dialog.png');
    await dialog.getByLabel('Propos injurieux', { exact: true }).check();
    await dialog
      .getByLabel(/^Précisions pour les coopilotes/)
      .fill('Insultes envers les camarades de la section.');
    await dialog.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await dialog.getByText('Merci, les coopilotes vont examiner votre signalement.').waitFor();
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Focus is back on the button that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Signaler le billet de ${authorName}`,
    );
    dialog = await (async () => {
      await page.getByRole('button', { name: `Signaler le billet de ${authorName}` }).click();
      const again = page.getByRole('dialog', { name: 'Signaler un abus' });
      await again.getByLabel('Spam', { exact: true }).check();
      await again.getByRole('button', { name: 'Envoyer le signalement' }).click();
      await again.getByText('Vous avez déjà signalé ce contenu : les coopilotes vont l’examiner.').waitFor();
      return again;
    })();
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await collect(page);

    // — « Signaler » is on the author's messages in a conversation and on their group too. —
    const { conversationId } = await callApi<{ conversationId: string }>(
      baseUrl,
      tokenOf(author),
      'POST',
      `/api/members/${reporter.id}/messages`,
      { text: 'Un message privé déplacé.' },
      201,
    );
    await page.goto(`${baseUrl}/messages/conversation/?id=${conversationId}`);
    await page.getByText('Un message privé déplacé.').waitFor();
    await page
      .getByRole('button', { name: new RegExp(`^Signaler le message de ${authorName} du `) })
      .waitFor();
    await collect(page);
    const groupName = `Groupe de ${author.lastName}`;
    const group = await callApi<{ id: string }>(
      baseUrl,
      tokenOf(author),
      'POST',
      '/api/groups',
      { name: groupName, joinPolicy: 'open', visibility: 'all' },
      201,
    );
    await page.goto(`${baseUrl}/groupe/?id=${group.id}`);
    await page.getByRole('button', { name: `Signaler le groupe ${groupName}` }).waitFor();
    await collect(page);

    // — Someone who is not a coopilote: the queue is « Page introuvable ». —
    await page.goto(`${baseUrl}/moderation/`);
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    await collect(page);

    // — The coopilote: « Modération » in the navigation, the queue, the file. —
    page = coopilotePage;
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Modération' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Signalements à examiner' }).waitFor();
    await loaded(page, 'page-loading');
    const postHeading = `Billet · ${authorName}`;
    const card = page
      .locator('.report-card')
      .filter({ has: page.getByRole('heading', { name: postHeading }) });
    await card.getByText('Propos injurieux').waitFor();
    await card.getByText(title).waitFor();
    await card.getByText('1 signalement').waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'moderation-queue.png');
    await collect(page);

    await openFile(postHeading);
    await page.getByText('Insultes envers les camarades de la section.', { exact: false }).waitFor();
    await page.getByRole('link', { name: `${reporter.firstName} ${reporter.lastName}` }).waitFor();
    await page.getByText('Aucune décision de modération jusqu’ici.').waitFor();
    // The reason is required when acting.
    await page.getByLabel('Agir', { exact: true }).check();
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.getByText('Expliquez la décision en quelques mots (10 caractères au moins).').waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'moderation-file.png');
    await act('Vos propos insultants envers d’autres membres sont contraires à la charte (§ 3).', {
      remove: true,
    });
    await page
      .getByText('Ces signalements ont été traités : les coopilotes ont agi', { exact: false })
      .waitFor();
    await page.locator('#file-snapshot').getByText('Supprimé', { exact: true }).waitFor();
    await collect(page);

    // — The post is gone for its readers. —
    page = reporterPage;
    await page.goto(`${baseUrl}/billet/?id=${post.id}`);
    await page.getByRole('heading', { level: 1, name: 'Billet introuvable' }).waitFor();

    // — The author is reported again, on their profile. —
    await page.goto(`${baseUrl}/membre/?id=${author.id}`);
    await page.getByRole('heading', { level: 1, name: authorName }).waitFor();
    dialog = await reportThroughDialog(
      page,
      new RegExp(`^Signaler le profil de ${authorName}$`),
      'Usurpation d’identité',
      'Se fait passer pour un élu.',
    );
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await screenshot(page, 'moderation-profile.png');
    await collect(page);

    // — The coopilote suspends the author for 7 days; the history shows the first decision. —
    page = coopilotePage;
    await openFile(`Profil · ${authorName}`);
    await page.locator('#history-list').getByText('Contenu supprimé').waitFor();
    await act('Usurpation d’identité après un premier avertissement : suspension de 7 jours.', { days: 7 });
    await page
      .locator('#history-state')
      .getByText(/^Compte suspendu jusqu’au/)
      .waitFor();
    await collect(page);

    // — The author's token is still valid: the next page load sends them to their decisions. —
    page = authorPage;
    await page.goto(`${baseUrl}/fil/`);
    await page.waitForURL(`${baseUrl}/moderation/mes-decisions/`);
    await loaded(page, 'page-loading');
    await page
      .getByRole('heading', { level: 2, name: /^Votre compte est suspendu jusqu’au .+\.$/ })
      .waitFor();
    await page.getByText('Vos propos insultants envers d’autres membres', { exact: false }).waitFor();
    // Only the decisions page is open to them: the navigation offers nothing else but signing out.
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Le fil' }).waitFor({ state: 'hidden' });
    await nav.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'moderation-suspended.png');
    await collect(page);
    // Le fil stays closed.
    await page.goto(`${baseUrl}/fil/`);
    await page.waitForURL(`${baseUrl}/moderation/mes-decisions/`);
    await loaded(page, 'page-loading');

    // — The appeal: too short first, then sent; its status shows. —
    await page.getByRole('button', { name: 'Envoyer mon recours' }).click();
    await page.getByText('Expliquez votre recours (10 caractères au moins).').first().waitFor();
    await page
      .getByLabel('Votre recours')
      .fill('Je ne me faisais pas passer pour un élu : c’était une citation mal comprise.');
    await page.getByRole('button', { name: 'Envoyer mon recours' }).click();
    await page.getByText('Votre recours est envoyé.', { exact: false }).waitFor();
    await page.locator('#appeal').getByText('En attente de réponse').waitFor();
    expect(await page.getByRole('button', { name: 'Envoyer mon recours' }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await collect(page);

    // — The coopilote lifts the suspension from the appeals page. —
    page = coopilotePage;
    await page.getByRole('navigation', { name: 'Modération' }).getByRole('link', { name: 'Recours' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recours' }).waitFor();
    await loaded(page, 'page-loading');
    const appeal = page
      .locator('.appeal-card')
      .filter({ has: page.getByRole('heading', { name: `Recours de ${authorName}` }) });
    await appeal.getByText('c’était une citation mal comprise', { exact: false }).waitFor();
    await appeal.getByText('Décision contestée', { exact: false }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'moderation-appeals.png');
    await appeal.getByLabel('Lever la suspension').check();
    await appeal
      .getByLabel('Réponse au membre')
      .fill('Après vérification, il s’agissait bien d’une citation.');
    await appeal.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await page.getByText(`Réponse envoyée : la suspension de ${authorName} est levée.`).waitFor();
    await collect(page);

    // — The author uses le fil again, and reads the answer. —
    page = authorPage;
    await page.goto(`${baseUrl}/fil/`);
    await page.getByRole('heading', { level: 1, name: 'Le fil' }).waitFor();
    await loaded(page, 'feed-loading');
    expect(page.url()).toBe(`${baseUrl}/fil/`);
    await page.goto(`${baseUrl}/moderation/mes-decisions/`);
    await loaded(page, 'page-loading');
    await page.getByText('Après vérification, il s’agissait bien d’une citation.').first().waitFor();
    expect(await page.locator('#suspended').isHidden()).toBe(true);
    await collect(page);

    // — The journal, filtered by the author through the form: every action is there. —
    page = coopilotePage;
    await page.getByRole('navigation', { name: 'Modération' }).getByRole('link', { name: 'Journal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Journal de modération' }).waitFor();
    await loaded(page, 'page-loading');
    await page.getByRole('radio', { name: 'Membre concerné' }).check();
    await page.locator('#audit-who').fill(`${baseUrl}/membre/?id=${author.id}`);
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByRole('heading', { level: 2, name: `Entrées concernant ${authorName}` }).waitFor();
    const rows = page.locator('#results-body tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#results-body tr[data-action="moderation.act"]').count()).toBe(2);
    expect(await page.locator('#results-body tr[data-action="appeal.answer"]').count()).toBe(1);
    await page.locator('#results-body').getByText('Suspension levée').first().waitFor();
    expect(page.url()).toContain(`member=${author.id}`);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'moderation-journal.png');
    await collect(page);

    expect(violations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 240_000);
});
