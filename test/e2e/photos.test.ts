import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { letters, SECTIONS, seedPersonas } from '../support/personas.ts';
import { cspViolationsOf } from './csp.ts';
import { memberIdOf, registerMember, signInApi, signInThroughPage, uniqueLastName } from './members.ts';
import { asMember, loaded } from './posts.ts';

/**
 * Photos (issue 10) in the browser: on « Mon profil » a member chooses a picture, sees a preview,
 * sends it (straight to the S3 emulator by the signed URL, then processed) and sees it as their
 * profile picture — under the site's real Content-Security-Policy, the one the local gateway
 * sends (the media origin allowed for images and uploads, nothing else) — then on their member
 * page, and removes it.
 */

/** A 640×480 JPEG with a gradient and a disc, made here (no fixture file). */
async function pictureJpeg(): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inDisc = (x - 320) ** 2 + (y - 220) ** 2 < 130 ** 2;
      pixels[i] = inDisc ? 230 : Math.round((x / width) * 120) + 40;
      pixels[i + 1] = inDisc ? 60 : Math.round((y / height) * 140) + 60;
      pixels[i + 2] = inDisc ? 90 : 150;
    }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function naturalWidthOf(page: Page, alt: string): Promise<number> {
  const img = page.getByRole('img', { name: alt, exact: true });
  await img.waitFor();
  await page.waitForFunction(
    (text) => {
      const el = [...document.querySelectorAll('img')].find((i) => i.alt === text);
      return Boolean(el?.complete && el.naturalWidth > 0);
    },
    alt,
    { timeout: 15_000 },
  );
  return img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
}

describe('photos', () => {
  const baseUrl = inject('baseUrl');
  const sesUrl = inject('sesUrl');
  const s3Url = inject('s3Url');
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    // Record every CSP violation the pages see (the gateway's own policy applies).
    await browser.context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations?.push(`${event.violatedDirective} ${event.blockedURI || '(inline)'}`);
      });
    });
    dir = await mkdtemp(path.join(tmpdir(), 'coopol-photos-'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a member uploads a profile picture on Mon profil and sees it', async () => {
    const lastName = uniqueLastName('Photo');
    const member = await registerMember(baseUrl, sesUrl, CHARTER_VERSION, {
      firstName: 'Camille',
      lastName,
      visibility: 'all',
    });
    const memberId = await memberIdOf(baseUrl, await signInApi(baseUrl, member));
    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, member);

    const response = await page.goto(`${baseUrl}/profil/`);
    // The page carries the site's policy: the emulator's origin for images and uploads, no more.
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain(`img-src 'self' blob: ${s3Url};`);
    expect(csp).toContain(`connect-src 'self' ${s3Url};`);
    expect(csp).not.toMatch(/unsafe-inline|\*/);
    await page.getByRole('heading', { level: 2, name: 'Photo de profil' }).waitFor();
    await page.getByText('Vous n’avez pas de photo de profil.', { exact: false }).waitFor();
    await expect(page.getByRole('button', { name: 'Retirer la photo' }).isHidden()).resolves.toBe(true);

    // A file that is not an image is refused on the page, before anything is sent.
    const notes = path.join(dir, 'notes.txt');
    await writeFile(notes, 'Ceci n’est pas une photo.');
    await page.getByLabel('Choisir une photo').setInputFiles(notes);
    await page.getByText('Format non accepté : choisissez une image JPEG, PNG ou WebP.').first().waitFor();

    // The real picture: a preview first, then the upload.
    const file = path.join(dir, 'portrait.jpg');
    await writeFile(file, await pictureJpeg());
    await page.getByLabel('Choisir une photo').setInputFiles(file);
    const previewWidth = await naturalWidthOf(page, 'Aperçu de la photo choisie');
    expect(previewWidth).toBe(640);
    expect(await page.locator('#photo-preview-img').getAttribute('src')).toMatch(/^blob:/);
    await page.getByRole('button', { name: 'Enregistrer la photo' }).click();
    await page.getByText('Votre photo de profil est enregistrée.').waitFor({ timeout: 30_000 });

    // The picture loads from the signed URLs: the browser picks the WebP square that is sharp
    // enough for 8rem (128 px: the 256 one), so its density-corrected natural width is 128.
    expect(await naturalWidthOf(page, 'Votre photo de profil')).toBe(128);
    const img = page.getByRole('img', { name: 'Votre photo de profil', exact: true });
    const current = await img.evaluate((el) => (el as HTMLImageElement).currentSrc);
    expect(current.startsWith(`${s3Url}/`)).toBe(true);
    expect(new URL(current).pathname).toMatch(/\/256\.webp$/);
    expect(current).toContain('X-Amz-Signature=');
    expect(await img.getAttribute('srcset')).toMatch(/ 96w, .* 256w$/);
    expect(await img.getAttribute('sizes')).toBeTruthy();
    expect(await img.getAttribute('width')).toBe('256');
    expect(await page.locator('#photo-current picture source[type="image/webp"]').count()).toBe(1);
    await expect(page.locator('#photo-preview').isHidden()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Retirer la photo' }).isVisible()).resolves.toBe(true);
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: '/tmp/photos-profile.png', fullPage: false });
    await screenshot(page, 'photos-profile.png');
    expect(await cspViolationsOf(page)).toEqual([]);

    // After a reload the picture comes with the profile (`GET /api/me`).
    await page.reload();
    expect(await naturalWidthOf(page, 'Votre photo de profil')).toBeGreaterThan(0);

    // The member page shows it too.
    await page.goto(`${baseUrl}/membre/?id=${memberId}`);
    await page.getByRole('heading', { level: 1, name: `Camille ${lastName}` }).waitFor();
    expect(await naturalWidthOf(page, `Photo de profil de Camille ${lastName}`)).toBeGreaterThan(0);
    await expectNoSeriousA11yViolations(page);
    expect(await cspViolationsOf(page)).toEqual([]);

    // Removing it brings the initials back.
    await page.goto(`${baseUrl}/profil/`);
    await page.getByRole('button', { name: 'Retirer la photo' }).click();
    await page.getByText('Votre photo de profil a été retirée.').waitFor();
    expect(await page.getByRole('img', { name: 'Votre photo de profil', exact: true }).count()).toBe(0);
    await page.getByText('Vous n’avez pas de photo de profil.', { exact: false }).waitFor();
    expect(await cspViolationsOf(page)).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);

  it('a member attaches an image to a post, describes it, and sees it in the post', async () => {
    const seeded = await seedPersonas([
      {
        key: 'author',
        firstName: 'Inès',
        lastName: `Image${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: 'paris',
        visibility: 'adherents',
        signsIn: true,
      },
    ]);
    const author = seeded.get('author');
    if (!author) throw new Error('persona not seeded');
    const page = await browser.newPage();
    await signInThroughPage(page, baseUrl, asMember(author));
    await page.goto(`${baseUrl}/section/?id=${SECTIONS.paris}&page=privee`);
    await loaded(page, 'section-loading');
    await page.getByText('Publié pour : la page privée de la section Paris 11e', { exact: false }).waitFor();

    const tag = letters(6);
    const file = path.join(dir, 'tractage.jpg');
    await writeFile(file, await pictureJpeg());
    await page.getByLabel('Votre message').fill(`Le tractage du marché (${tag}).`);
    await page.getByLabel('Ajouter des images').setInputFiles(file);
    await page.getByText('Image prête.').waitFor({ timeout: 30_000 });
    // The description is required: refused on the spot, tied to its field.
    await page.getByRole('button', { name: 'Publier' }).click();
    const altField = page.getByLabel('Texte alternatif de l’image 1');
    await page.getByText('Décrivez cette image : le texte alternatif est obligatoire.').waitFor();
    expect(await altField.getAttribute('aria-invalid')).toBe('true');
    const alt = `Cinq militant·es devant le marché (${tag})`;
    await altField.fill(alt);
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Votre message est publié.', { exact: false }).waitFor();

    // The post shows the processed image, signed, from the emulator, with its description.
    const card = page.locator('.post-card', { hasText: tag });
    await card.waitFor();
    expect(await naturalWidthOf(page, alt)).toBeGreaterThan(0);
    const img = card.getByRole('img', { name: alt, exact: true });
    expect(await img.getAttribute('loading')).toBe('lazy');
    expect(await img.getAttribute('srcset')).toMatch(/ 320w, .* 640w$/);
    expect((await img.evaluate((el) => (el as HTMLImageElement).currentSrc)).startsWith(`${s3Url}/`)).toBe(
      true,
    );
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'photos-post.png');
    expect(await cspViolationsOf(page)).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
