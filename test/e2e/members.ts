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

/** Signs up and confirms a member through the API (for tests whose subject is another page). */
export async function registerMember(
  baseUrl: string,
  sesUrl: string,
  charterVersion: string,
): Promise<NewMember> {
  const member = newMember('Jeanne');
  const sections = (await (await fetch(`${baseUrl}/api/sections`)).json()) as {
    items: Array<{ id: string }>;
  };
  const sectionId = sections.items[0]?.id;
  if (!sectionId) throw new Error('The local stack has no section: was the demo data seeded?');
  const signUp = await postJson(`${baseUrl}/api/auth/sign-up`, {
    email: member.email,
    password: member.password,
    firstName: member.firstName,
    lastName: member.lastName,
    membership: 'adherent',
    sectionId,
    visibility: 'section',
    charterAccepted: true,
    charterVersion,
  });
  if (signUp.status !== 202) throw new Error(`sign-up answered ${signUp.status}: ${await signUp.text()}`);
  const code = await confirmationCodeFor(sesUrl, member.email);
  const confirm = await postJson(`${baseUrl}/api/auth/confirm`, { email: member.email, code });
  if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}: ${await confirm.text()}`);
  return member;
}

/** Signs in through the Connexion page and waits for the profile page. */
export async function signInThroughPage(page: Page, baseUrl: string, member: NewMember): Promise<void> {
  await page.goto(`${baseUrl}/connexion/`);
  await page.getByLabel('Adresse e-mail').fill(member.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(member.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${baseUrl}/profil/`);
  await page.getByRole('heading', { level: 2, name: 'Mes informations' }).waitFor();
}
