import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { type Browser, launchBrowser } from '../support/browser.ts';
import { cspViolationsOf, enforceStrictCsp } from './csp.ts';
import {
  callApi,
  memberIdOf,
  registerMember,
  registerSecretary,
  sectionIdByName,
  signInApi,
  signInThroughPage,
} from './members.ts';

/**
 * Every page the local gateway serves runs under the strict policy of `csp.ts` (the test fails on
 * any violation), so the site stays ready for the header to be set on CloudFront.
 */
describe('content security policy', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    await enforceStrictCsp(browser, baseUrl);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('runs every page, signed out and signed in, under a strict policy', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    const collect = async () => violations.push(...(await cspViolationsOf(page)));

    for (const path of ['/', '/inscription/', '/confirmation/', '/connexion/', '/charte/']) {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
      await collect();
    }
    // The sign-up page's script ran: it filled the list of sections through `connect-src 'self'`.
    await page.goto(`${baseUrl}/inscription/`);
    await page.locator('#sectionId option:not([value=""])').first().waitFor({ state: 'attached' });
    await collect();
    // The unsubscribe page works signed out: its script asks the API about the link's token.
    await page.goto(`${baseUrl}/desinscription/?token=${'A'.repeat(32)}`);
    await page.getByRole('button', { name: 'Ne plus recevoir d’e-mails' }).click();
    await page.getByText('Ce lien n’est pas (ou plus) valable.').waitFor();
    await collect();

    // Visible to all, with a peer who writes to them: the messages pages have something to show.
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, { visibility: 'all' });
    const peer = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName: 'Paul',
      visibility: 'all',
    });
    const memberId = await memberIdOf(baseUrl, await signInApi(baseUrl, member));
    await callApi(
      baseUrl,
      await signInApi(baseUrl, peer),
      'POST',
      `/api/members/${memberId}/messages`,
      { text: 'Bonjour, bienvenue sur la coopol !' },
      201,
    );
    await signInThroughPage(page, baseUrl, member);
    await collect();
    await page.goto(`${baseUrl}/profil/`);
    await page.getByText(member.email, { exact: true }).waitFor();
    await collect();

    // The member pages, each waiting for what its script renders from the API.
    await page.goto(`${baseUrl}/annuaire/?q=durand`);
    await page.getByRole('link', { name: 'Sophie Durand' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sophie Durand' }).waitFor();
    // The block confirmation (a `<dialog>` filled by script) opens and closes.
    await page.getByRole('button', { name: 'Bloquer' }).click();
    await page.getByRole('dialog', { name: 'Bloquer Sophie Durand' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    // The « Envoyer un message » form opens and closes.
    await page.getByRole('button', { name: 'Envoyer un message' }).click();
    await page.getByLabel('Votre message').waitFor();
    await page.locator('#message-form').getByRole('button', { name: 'Annuler' }).click();
    await page.getByLabel('Votre message').waitFor({ state: 'hidden' });
    // « Signaler un abus » (a `<dialog>` built at build time, wired by script) opens and closes.
    await page.getByRole('button', { name: 'Signaler le profil de Sophie Durand' }).click();
    await page.getByRole('dialog', { name: 'Signaler un abus' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await collect();
    await page.goto(`${baseUrl}/coopains/`);
    await page.getByText('Vous n’avez pas encore de coopains.', { exact: false }).waitFor();
    await collect();
    // The notifications (the peer's message, with the navigation's count) — before the conversation,
    // whose opening marks its notification read — then their email settings, after the inbox.
    await page.goto(`${baseUrl}/notifications/`);
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Notifications, 1 non lue', exact: true })
      .waitFor();
    await page.getByRole('link', { name: `${peer.firstName} ${peer.lastName} vous a écrit` }).waitFor();
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.getByText('Toutes vos notifications sont marquées comme lues.').waitFor();
    await collect();
    // The inbox, a conversation (marked read, history, reply form), and the profile's message form.
    await page.goto(`${baseUrl}/messages/`);
    await page.getByText('1 non lu', { exact: true }).waitFor();
    await collect();
    await page.getByRole('link', { name: `${peer.firstName} ${peer.lastName}` }).click();
    await page.getByText('Bonjour, bienvenue sur la coopol !').waitFor();
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await page.getByText('Écrivez votre message.').waitFor();
    await collect();
    await page.goto(`${baseUrl}/parametres/notifications/`);
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await page.getByText('Vos choix sont enregistrés.', { exact: false }).waitFor();
    await collect();
    await page.goto(`${baseUrl}/membres-bloques/`);
    await page.getByText('Vous n’avez bloqué aucun membre.', { exact: false }).waitFor();
    await collect();
    await page.goto(`${baseUrl}/parametres/`);
    await page.getByText('Personne n’a consulté vos coordonnées.').waitFor();
    await collect();
    // The agenda (list and month), the missions and the calendar link (their journeys run under this
    // policy in agenda.test.ts and missions.test.ts).
    await page.goto(`${baseUrl}/agenda/`);
    await page.locator('#agenda-loading').waitFor({ state: 'hidden' });
    await collect();
    await page.goto(`${baseUrl}/agenda/?affichage=mois`);
    await page.getByRole('table').waitFor();
    await collect();
    await page.goto(`${baseUrl}/missions/`);
    await page.locator('#missions-loading').waitFor({ state: 'hidden' });
    await collect();
    await page.goto(`${baseUrl}/parametres/agenda/`);
    await page.getByRole('button', { name: 'Créer le lien' }).waitFor();
    await collect();
    // The secretariat and its sub-pages (one shared start): a plain member is told it is not theirs.
    for (const path of [
      '/secretariat/',
      '/secretariat/tableau-de-bord/',
      '/secretariat/outils/',
      '/secretariat/message/',
    ]) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByText('Cette page est réservée aux secrétaires de section', { exact: false }).waitFor();
      expect(await page.locator('#mySection option').count(), path).toBe(0);
      await collect();
    }
    // Moderation: my decisions (none), and the coopilotes' queue, « Page introuvable » for a member.
    // The coopilotes' pages run under this policy in moderation.test.ts.
    await page.goto(`${baseUrl}/moderation/mes-decisions/`);
    await page.getByText('Aucune décision de modération ne vous concerne.').waitFor();
    await collect();
    await page.goto(`${baseUrl}/moderation/`);
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    await collect();

    // Le fil, a billet with a comment, the section's page, the groups: each with what it renders.
    const memberToken = await signInApi(baseUrl, member);
    const post = await callApi<{ id: string }>(
      baseUrl,
      memberToken,
      'POST',
      '/api/posts',
      {
        audience: { kind: 'all' },
        title: 'Bienvenue aux nouveaux',
        body: 'Un **premier** billet, avec [un lien](https://coopol.example/) et une liste :\n\n- un\n- deux',
      },
      201,
    );
    await callApi(baseUrl, memberToken, 'POST', `/api/posts/${post.id}/comments`, { body: 'Bravo !' }, 201);
    const group = await callApi<{ id: string }>(
      baseUrl,
      memberToken,
      'POST',
      '/api/groups',
      { name: 'Groupe sous CSP', joinPolicy: 'request', visibility: 'all' },
      201,
    );
    await page.goto(`${baseUrl}/fil/`);
    await page.locator('.post-card', { hasText: 'Bienvenue aux nouveaux' }).waitFor();
    await page.getByLabel('Qui pourra le lire ?').waitFor();
    await collect();
    await page.goto(`${baseUrl}/fil/?vue=coopol`);
    await page.locator('.post-card', { hasText: 'Bienvenue aux nouveaux' }).waitFor();
    await collect();
    await page.goto(`${baseUrl}/billet/?id=${post.id}`);
    await page.locator('.comment', { hasText: 'Bravo !' }).waitFor();
    await page.getByRole('button', { name: /^Répondre au commentaire/ }).click();
    await page.getByLabel(/^Votre réponse à/).waitFor();
    await collect();
    await page.goto(`${baseUrl}/section/`);
    await page.getByRole('heading', { level: 2, name: 'Messages de la page publique' }).waitFor();
    await collect();
    await page.goto(`${baseUrl}/groupes/`);
    await page.locator('#mine-list').getByRole('link', { name: 'Groupe sous CSP' }).waitFor();
    await collect();
    await page.goto(`${baseUrl}/groupe/?id=${group.id}`);
    await page.getByText('Aucune demande n’attend de réponse.').waitFor();
    await page.getByText('Nom, description, adhésion, visibilité').click();
    await page.getByLabel('Description').waitFor();
    await collect();

    // A secretary's page, with the commitment and the roster.
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('button', { name: 'Se déconnecter' })
      .click();
    await page.waitForURL(`${baseUrl}/?deconnexion=ok`);
    const strasbourg = await sectionIdByName(baseUrl, 'Strasbourg');
    const secretary = await registerSecretary(
      baseUrl,
      sesUrl,
      CHARTER_VERSION,
      strasbourg,
      inject('demoPassword'),
    );
    await signInThroughPage(page, baseUrl, secretary);
    await page.goto(`${baseUrl}/secretariat/`);
    await page.getByRole('heading', { level: 2, name: 'Engagement de confidentialité' }).waitFor();
    await page.getByRole('link', { name: `${secretary.firstName} ${secretary.lastName}` }).waitFor();
    await collect();
    // « Message à la section »: the form, its live count, an empty history (nothing is sent).
    await page.getByRole('link', { name: 'Écrire à toute la section' }).click();
    await page.getByRole('heading', { level: 1, name: 'Message à la section' }).waitFor();
    await page.getByText('Aucun message n’a encore été envoyé à cette section.').waitFor();
    const text = 'Réunion de section jeudi.';
    await page.getByLabel('Votre message à la section').fill(text);
    await page.locator('#section-text-count').getByText(`${text.length} / 5`, { exact: false }).waitFor();
    await collect();

    expect(violations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 150_000);
});
