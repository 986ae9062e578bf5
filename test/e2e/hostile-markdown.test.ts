import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Browser,
  expectNoSeriousA11yViolations,
  launchBrowser,
  screenshot,
} from '../support/browser.ts';
import { letters, type Persona, persona, seedPersonas, tokenOf } from '../support/personas.ts';
import { callApi, signInThroughPage } from './members.ts';
import { asMember, loaded } from './posts.ts';

/**
 * Posts and comments are Markdown rendered to HTML by the server and inserted as HTML by the
 * site (SPEC §4: « rendered safely (no HTML injection) »). Hostile bodies are published, then
 * rendered in Chromium on the post page and in le fil — WITHOUT the strict CSP, so that the
 * rendering itself is what is tested: no script runs (each payload tries to set `window.__xss`
 * or open a dialog), no element carries an `on…` handler, no link or source uses a
 * `javascript:`, `data:` or `vbscript:` address, and no script, frame or SVG gets in.
 */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '[x](javascript:window.__xss=3)',
  '[x](JaVaScRiPt:window.__xss=4)',
  '<a href="javascript:window.__xss=5">clic</a>',
  '<svg onload="window.__xss = 6"><circle r="4"/></svg>',
  '<iframe src="javascript:window.__xss=7"></iframe>',
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9ODwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(9))',
  '[x](&#106;avascript:window.__xss=10)',
  '[x](javascript&colon;window.__xss=11)',
  '[x](java\tscript:window.__xss=12)',
  '[x]( javascript:window.__xss=13 )',
  '<javascript:window.__xss=14>',
  '[x][ref]\n\n[ref]: javascript:window.__xss=15',
  '![x](javascript:window.__xss=16)',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz0xNyIvPg==)',
  '<details open ontoggle="window.__xss=18">x</details>',
  '[x](https://coopol.example "titre\\" onmouseover=\\"window.__xss=19")',
  '"><img src=x onerror=window.__xss=20>',
  '<a href="&#x6A;avascript:window.__xss=21">entité</a>',
  '[x](%6Aavascript:window.__xss=22)',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=23>',
  '<form action="javascript:window.__xss=24"><button>ok</button></form>',
  'javascript:window.__xss=25',
  '<object data="data:text/html,<script>window.__xss=26</script>"></object>',
  '[x](data:text/html,<script>window.__xss=27</script>)',
  '```html\n<script>window.__xss = 28</script>\n```',
  '<<script>script>window.__xss = 29<</script>/script>',
  '[x](\\javascript:window.__xss=30)',
];

declare global {
  interface Window {
    __xss?: unknown;
  }
}

/** What the page shows that a payload could have slipped in (empty lists when all is well). */
async function findings(page: Page) {
  return page.evaluate(() => {
    const bad = /^(javascript|data|vbscript):/i;
    // The address as a browser would read it: no blanks or control characters inside the scheme.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is stripped.
    const clean = (value: string) => value.replace(/[\u0000-\u0020]/g, '');
    const handlers: string[] = [];
    const urls: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        if (attr.toLowerCase().startsWith('on')) handlers.push(`${el.tagName} ${attr}`);
        if (
          ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc'].includes(attr.toLowerCase())
        ) {
          const value = el.getAttribute(attr) ?? '';
          if (bad.test(clean(value))) urls.push(`${el.tagName} ${attr}=${value}`);
        }
      }
    }
    const foreign = Array.from(
      document.querySelectorAll(
        '.post-body script, .post-body iframe, .post-body svg, .post-body img, .post-body object, .post-body embed, .post-body form, .post-body style, .post-body math, .post-body details',
      ),
      (el) => el.tagName,
    );
    return { xss: window.__xss ?? null, handlers, urls, foreign };
  });
}

describe('hostile Markdown and HTML in posts and comments', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;
  let author: Persona;
  const dialogs: string[] = [];

  beforeAll(async () => {
    const seeded = await seedPersonas([
      {
        key: 'author',
        firstName: 'Hugo',
        lastName: `Hostile${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: 'rennes',
        visibility: 'all',
        signsIn: true,
      },
    ]);
    author = persona(seeded, 'author');
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every payload inert, on the post page and in le fil', async () => {
    const token = tokenOf(author);
    const tag = randomUUID().slice(0, 8);
    // Each payload as a post of its own (seen by the author in le fil), and all of them in one
    // billet whose title is hostile too, commented with each payload (and a reply).
    const all = PAYLOADS.join('\n\n');
    const post = async (body: string, title?: string) =>
      callApi<{ id: string }>(
        baseUrl,
        token,
        'POST',
        '/api/posts',
        { audience: { kind: 'coopains' }, body, ...(title ? { title } : {}) },
        201,
      );
    const hostileTitle = `<img src=x onerror="window.__xss='titre'"> ${tag}`;
    const billet = await post(`Tout à la fois (${tag})\n\n${all}`, hostileTitle);
    // Written a few at a time (the local stack runs on two cores).
    const inBatches = async <T>(items: T[], run: (item: T) => Promise<unknown>) => {
      for (let i = 0; i < items.length; i += 6) await Promise.all(items.slice(i, i + 6).map(run));
    };
    await inBatches(PAYLOADS.slice(0, 18), (payload) => post(`${payload}\n\n(${tag})`));
    const comment = (body: string, replyTo?: string) =>
      callApi<{ id: string }>(
        baseUrl,
        token,
        'POST',
        `/api/posts/${billet.id}/comments`,
        { body, ...(replyTo ? { replyTo } : {}) },
        201,
      );
    // The first comment is answered with every payload at once.
    const firstComment = (await comment(PAYLOADS[0] ?? '')).id;
    // One at a time: each comment also counts on its post (concurrent writes of one item conflict).
    for (const payload of PAYLOADS.slice(1)) await comment(payload);
    await comment(all, firstComment);

    await signInThroughPage(page, baseUrl, asMember(author));

    // The post page: the hostile title is text, every comment is there, nothing ran.
    await page.goto(`${baseUrl}/billet/?id=${billet.id}`);
    await loaded(page, 'post-loading');
    await page.getByRole('heading', { level: 1, name: hostileTitle }).waitFor();
    await page.locator('#post-body').getByText(`Tout à la fois (${tag})`).waitFor();
    await page.getByText(`${PAYLOADS.length + 1} commentaires`, { exact: true }).waitFor();
    // Raw HTML is shown as text, not dropped silently.
    await page.locator('#post-body').getByText('<script>window.__xss = 1</script>').first().waitFor();
    // 30 comments a page (the reply follows the comment it answers): « Afficher plus » shows the rest.
    expect(await page.locator('.comment').count()).toBe(PAYLOADS.length);
    const moreComments = page.getByRole('button', { name: 'Afficher plus de commentaires' });
    await moreComments.click();
    await moreComments.waitFor({ state: 'hidden' });
    expect(await page.locator('.comment').count()).toBe(PAYLOADS.length + 1);
    // The reply sits under the comment it answers.
    await page.locator(`#commentaire-${firstComment} .replies .comment`).waitFor();
    // Give any deferred handler (onerror of an image that fails to load, ontoggle) its chance.
    await page.waitForTimeout(500);
    expect(await findings(page)).toEqual({ xss: null, handlers: [], urls: [], foreign: [] });
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'billet-hostile.png');

    // Answering through the page goes the same way.
    await page
      .getByLabel('Votre commentaire')
      .fill('<img src=x onerror="window.__xss=\'ui\'"> [y](javascript:window.__xss=1)');
    await page.getByRole('button', { name: 'Commenter' }).click();
    await page.getByText('Votre commentaire est publié.').waitFor();
    await page.waitForTimeout(300);
    expect(await findings(page)).toEqual({ xss: null, handlers: [], urls: [], foreign: [] });

    // Le fil: the author's own posts, each payload on its own card.
    await page.goto(`${baseUrl}/fil/`);
    await loaded(page, 'feed-loading');
    await page.locator('.post-card', { hasText: `Tout à la fois (${tag})` }).waitFor();
    expect(await page.locator('.post-card', { hasText: `(${tag})` }).count()).toBe(19);
    await page.waitForTimeout(500);
    expect(await findings(page)).toEqual({ xss: null, handlers: [], urls: [], foreign: [] });
    await expectNoSeriousA11yViolations(page);

    // Published through the composer, then shown on top of le fil.
    const composer = page.locator('#composer');
    await composer.getByLabel('Qui pourra le lire ?').selectOption({ label: 'Mes coopains' });
    await composer.getByLabel('Titre').fill(`<script>window.__xss='composer'</script> ${tag}`);
    await composer
      .getByLabel('Votre message')
      .fill(`${PAYLOADS.slice(18).join('\n\n')}\n\nDepuis le formulaire ${tag}`);
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.locator('.post-card', { hasText: `Depuis le formulaire ${tag}` }).waitFor();
    await page.waitForTimeout(500);
    expect(await findings(page)).toEqual({ xss: null, handlers: [], urls: [], foreign: [] });
    await screenshot(page, 'fil-hostile.png');

    expect(dialogs).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
