import type { Page } from 'playwright-core';
import { PERSONA_PASSWORD, type Persona } from '../support/personas.ts';
import type { NewMember } from './members.ts';

/** Helpers for the posts and groups journeys (le fil, a billet, a section's pages, a group). */

/** A seeded persona, as the sign-in page expects it. */
export function asMember(p: Persona): NewMember {
  return { email: p.email, password: PERSONA_PASSWORD, firstName: p.firstName, lastName: p.lastName };
}

/** Waits until the page's script has finished its first load (the « Chargement… » line is gone). */
export async function loaded(page: Page, loadingId: string): Promise<void> {
  await page.locator(`#${loadingId}`).waitFor({ state: 'hidden' });
}

/**
 * Le fil is filled in the background about a second after a post is published: reloads it until
 * a post containing `text` shows (or the time is up).
 */
export async function waitForPostInFeed(
  page: Page,
  baseUrl: string,
  text: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(`${baseUrl}/fil/`);
    await loaded(page, 'feed-loading');
    if ((await page.locator('.post-card', { hasText: text }).count()) > 0) return;
    if (Date.now() > deadline) throw new Error(`« ${text} » did not reach le fil within ${timeoutMs} ms`);
    await page.waitForTimeout(750);
  }
}
