import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';

/** Helpers for the e2e journeys: fresh members, their confirmation codes, signing in. */

export interface NewMember {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

/** A member nobody else uses: a unique address per run and per test. */
export function newMember(firstName = 'Louise'): NewMember {
  return {
    // Lower case: the API folds addresses, and the SES store shows them as sent.
    email: `e2e-${randomUUID().slice(0, 12)}@coopol.example`,
    password: 'une phrase de passe 2026',
    firstName,
    lastName: 'Michel',
  };
}

interface StoredEmail {
  destination?: { to?: string[] };
  subject?: string;
  body?: { text?: string; html?: string };
}

/**
 * Waits for the confirmation-code email sent to `email` (aws-ses-v2-local's `/store`) and returns
 * the 6-digit code in it.
 */
export async function confirmationCodeFor(
  sesUrl: string,
  email: string,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: StoredEmail[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${sesUrl}/store`);
    if (response.ok) {
      const { emails = [] } = (await response.json()) as { emails?: StoredEmail[] };
      seen = emails.filter((mail) => mail.destination?.to?.some((to) => to.toLowerCase().includes(email)));
      for (const mail of seen.toReversed()) {
        const code = /\b(\d{6})\b/.exec(mail.body?.text ?? mail.body?.html ?? '')?.[1];
        if (code && /code/i.test(mail.subject ?? '')) return code;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `No confirmation code mailed to ${email} within ${timeoutMs} ms; mails to that address: ${JSON.stringify(seen.map((m) => m.subject))}`,
  );
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface RegisterOptions {
  firstName?: string;
  lastName?: string;
  membership?: 'adherent' | 'mjs' | 'sympathisant';
  /** Defaults to the first section the API lists. */
  sectionId?: string;
  visibility?: 'section' | 'adherents' | 'all';
}

/** Signs up and confirms a member through the API (for tests whose subject is another page). */
export async function registerMember(
  baseUrl: string,
  sesUrl: string,
  charterVersion: string,
  options: RegisterOptions = {},
): Promise<NewMember> {
  const member = { ...newMember(options.firstName ?? 'Jeanne'), lastName: options.lastName ?? 'Michel' };
  const sections = (await (await fetch(`${baseUrl}/api/sections`)).json()) as {
    items: Array<{ id: string }>;
  };
  const sectionId = options.sectionId ?? sections.items[0]?.id;
  if (!sectionId) throw new Error('The local stack has no section: was the demo data seeded?');
  const visibility = options.visibility ?? 'section';
  const signUp = await postJson(`${baseUrl}/api/auth/sign-up`, {
    email: member.email,
    password: member.password,
    firstName: member.firstName,
    lastName: member.lastName,
    membership: options.membership ?? 'adherent',
    sectionId,
    visibility,
    ...(visibility === 'all' ? { consentVisibilityAll: true } : {}),
    charterAccepted: true,
    charterVersion,
  });
  if (signUp.status !== 202) throw new Error(`sign-up answered ${signUp.status}: ${await signUp.text()}`);
  const code = await confirmationCodeFor(sesUrl, member.email);
  const confirm = await postJson(`${baseUrl}/api/auth/confirm`, { email: member.email, code });
  if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}: ${await confirm.text()}`);
  return member;
}

/** Signs in through the Connexion page and waits for le fil, where sign-in leads. */
export async function signInThroughPage(page: Page, baseUrl: string, member: NewMember): Promise<void> {
  await page.goto(`${baseUrl}/connexion/`);
  await page.getByLabel('Adresse e-mail').fill(member.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(member.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${baseUrl}/fil/`);
  await page.getByRole('heading', { level: 1, name: 'Le fil' }).waitFor();
  await page.locator('#feed-loading').waitFor({ state: 'hidden' });
}

/** Signs out with the header's button and waits for the home page. */
export async function signOutThroughPage(page: Page, baseUrl: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Navigation principale' })
    .getByRole('button', { name: 'Se déconnecter' })
    .click();
  await page.waitForURL(`${baseUrl}/?deconnexion=ok`);
}

/** A last name no other test uses, letters only (the API's name rule). */
export function uniqueLastName(prefix: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const suffix = Array.from(
    randomUUID().replace(/-/g, '').slice(0, 8),
    (c) => letters[Number.parseInt(c, 16)],
  );
  return `${prefix}${suffix.join('')}`;
}

/** A demo account of the local stack (scripts/local/seed.ts). */
export function demoMember(local: string, password: string): NewMember {
  return { email: `${local}@coopol.example`, password, firstName: '', lastName: '' };
}

/** An ID token for API calls made by the test itself (setting up data, checking, cleaning up). */
export async function signInApi(
  baseUrl: string,
  member: Pick<NewMember, 'email' | 'password'>,
): Promise<string> {
  const response = await postJson(`${baseUrl}/api/auth/sign-in`, {
    email: member.email,
    password: member.password,
  });
  if (response.status !== 200)
    throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { idToken: string }).idToken;
}

/** Calls a member route with a token; throws unless the status is the expected one. */
export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  expected = 200,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path} answered ${response.status} (expected ${expected}): ${text}`);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

/** The id of the section of that name (the demo sections: Paris 11e, Lille Centre, Rennes…). */
export async function sectionIdByName(baseUrl: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/sections?q=${encodeURIComponent(name)}`);
  const { items } = (await response.json()) as { items: Array<{ id: string; name: string }> };
  const section = items.find((item) => item.name === name);
  if (!section) throw new Error(`No section named ${name}: was the demo data seeded?`);
  return section.id;
}

/** The member id behind a token (`GET /api/me`). */
export async function memberIdOf(baseUrl: string, token: string): Promise<string> {
  return (await callApi<{ member: { id: string } }>(baseUrl, token, 'GET', '/api/me')).member.id;
}

/**
 * A new member made secretary of `sectionId` by the demo admin — a secretary of one's own, who
 * has not accepted the confidentiality commitment yet, so no demo account changes.
 */
export async function registerSecretary(
  baseUrl: string,
  sesUrl: string,
  charterVersion: string,
  sectionId: string,
  demoPassword: string,
): Promise<NewMember & { id: string }> {
  const member = await registerMember(baseUrl, sesUrl, charterVersion, {
    firstName: 'Odile',
    lastName: uniqueLastName('Secretaire'),
    sectionId,
    visibility: 'adherents',
  });
  const id = await memberIdOf(baseUrl, await signInApi(baseUrl, member));
  const admin = await signInApi(baseUrl, demoMember('admin', demoPassword));
  await callApi(baseUrl, admin, 'POST', `/api/sections/${sectionId}/members/${id}/confirm`);
  await callApi(baseUrl, admin, 'PUT', `/api/admin/members/${id}/roles`, {
    secretaryOf: [sectionId],
    coopilote: false,
    admin: false,
  });
  return { ...member, id };
}
