import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, launchBrowser, screenshot } from '../support/browser.ts';
import { confirmationCodeFor, newMember } from './members.ts';

describe('sign-up journey', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lets a new member sign up, confirm, sign in, edit their profile and sign out', async () => {
    const member = newMember();
    const page = await browser.newPage();
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });

    // Sign up: adhérent PS, a section from the list, the default visibility.
    await page.goto(`${baseUrl}/inscription/`);
    await page.getByLabel('Adresse e-mail').fill(member.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(member.password);
    await page.getByLabel('Prénom').fill(member.firstName);
    await page.getByLabel('Nom', { exact: true }).fill(member.lastName);
    await page.getByLabel('Adhérent·e PS', { exact: true }).check();
    const sections = page.getByRole('combobox', { name: 'Section', exact: true });
    await sections.locator('option:not([value=""])').first().waitFor({ state: 'attached' });
    await sections.selectOption({ index: 1 });
    const sectionLabel = (await sections.locator('option:checked').textContent()) ?? '';
    const sectionName = sectionLabel.replace(/\s*\([^)]*\)$/, '');
    expect(sectionName).not.toBe('');
    expect(await page.getByLabel(/^Ma section uniquement/).isChecked()).toBe(true);
    await page.getByLabel(/J.ai lu et j.accepte la charte de la coopol/).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();

    // Confirm with the code mailed through SES; the address came along without the URL.
    await page.waitForURL(`${baseUrl}/confirmation/`);
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(member.email);
    const code = await confirmationCodeFor(sesUrl, member.email);
    await page.getByLabel('Code de confirmation').fill(code);
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();

    // Sign in.
    await page.waitForURL(`${baseUrl}/connexion/?compte=confirme`);
    await page.getByText('Votre adresse e-mail est confirmée.', { exact: false }).waitFor();
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(member.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(member.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();

    // Le fil, where sign-in leads (the member, visible to the section only, is told why there is
    // no composer); then the profile, with the contact details seen only by the member and their secretary.
    await page.waitForURL(`${baseUrl}/fil/`);
    await page.getByText('Vous avez choisi « Ma section uniquement »', { exact: false }).waitFor();
    await nav.getByRole('link', { name: 'Mon profil' }).click();
    await page.waitForURL(`${baseUrl}/profil/`);
    await page.getByRole('heading', { level: 1, name: 'Mon profil' }).waitFor();
    await page.getByText(`${member.firstName} ${member.lastName}`, { exact: true }).waitFor();
    await page.getByText('en attente de confirmation par votre secrétaire de section').waitFor();
    await page.getByText(sectionName, { exact: true }).waitFor();
    await page.getByText(/^Ma section uniquement : vous n’apparaissez pas dans la coopol/).waitFor();
    await page.getByText(member.email, { exact: true }).waitFor();
    await page.getByText('Visibles uniquement par vous et par votre secrétaire de section.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('coopol.idToken'))).toMatch(
      /^[\w-]+\.[\w-]+\.[\w-]+$/,
    );
    await nav.getByRole('link', { name: 'Mon profil' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Connexion' }).isVisible()).toBe(false);

    // Edit the bio and the phone.
    const bio = 'Militante associative, je m’occupe du porte-à-porte dans mon quartier.';
    await page.getByLabel('Présentation').fill(bio);
    await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
    await page.getByText('Votre profil a été enregistré.').waitFor();
    const phone = '06 12 34 56 78';
    await page.getByLabel('Téléphone').fill(phone);
    await page.getByRole('button', { name: 'Enregistrer mes coordonnées' }).click();
    await page.getByText('Vos coordonnées ont été enregistrées.').waitFor();

    // Saved on the server: a reload shows them.
    await page.reload();
    await page.getByText(bio, { exact: true }).waitFor();
    await page.getByText(phone, { exact: true }).waitFor();
    expect(await page.getByLabel('Présentation').inputValue()).toBe(bio);
    expect(await page.getByLabel('Téléphone').inputValue()).toBe(phone);
    await screenshot(page, 'profil.png');

    // An expired ID token is replaced through the refresh cookie without bothering the member.
    await page.evaluate(() => sessionStorage.setItem('coopol.idToken', 'expired.token.value'));
    await page.reload();
    await page.getByText(bio, { exact: true }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('coopol.idToken'))).not.toBe(
      'expired.token.value',
    );

    // Sign out: the header offers Connexion again and the tab keeps nothing.
    await nav.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté·e.', { exact: false }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await nav.getByRole('link', { name: 'Connexion' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Mon profil' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The refresh token was revoked with its cookie: the session cannot come back.
    expect(
      await page.evaluate(async () => (await fetch('/api/auth/refresh', { method: 'POST' })).status),
    ).toBe(401);
    // Le fil (where sign-in leads) sends to sign in; so does the profile, which sign-in then brings back.
    await page.goto(`${baseUrl}/fil/`);
    await page.waitForURL(`${baseUrl}/connexion/?session=requise`);
    await page.getByText('Connectez-vous pour accéder à la coopol.').waitFor();
    await page.goto(`${baseUrl}/profil/`);
    await page.waitForURL(`${baseUrl}/connexion/?session=requise&retour=%2Fprofil%2F`);

    // Privacy: the address never travelled in a URL.
    expect(
      visited.filter((url) => url.includes(member.email) || url.includes(encodeURIComponent(member.email))),
    ).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
