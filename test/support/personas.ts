import { randomInt } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ulid } from 'ulid';
import { inject } from 'vitest';
import { resetConfig } from '../../shared/config.ts';
import { putEmailClaim } from '../../shared/data/accounts.ts';
import { resetDb, transact } from '../../shared/data/client.ts';
import { putNewContactDetails } from '../../shared/data/contact-details.ts';
import {
  blockWrites,
  coopainWrites,
  type Mandate,
  type Member,
  type MemberRoles,
  type Membership,
  putNewMember,
  type Visibility,
} from '../../shared/data/members.ts';
import { getSection, putSectionIfAbsent } from '../../shared/data/sections.ts';
import { api } from './api.ts';

/**
 * Fast seeding of test members straight through the real data layer (the same writes the app
 * makes: member item, directory entries, contact item, email claim, coopain links, block lists),
 * plus a Cognito user for the members who must sign in. Runs inside the test worker, against the
 * emulators of the shared throwaway stack (`inject`).
 */

/** The demo sections (written by the demo seed). */
export const SECTIONS = {
  paris: '01KC0SEC000000000000000001',
  lille: '01KC0SEC000000000000000002',
  lyon: '01KC0SEC000000000000000003',
  toulouse: '01KC0SEC000000000000000004',
  rennes: '01KC0SEC000000000000000005',
  marseille: '01KC0SEC000000000000000006',
  nantes: '01KC0SEC000000000000000007',
} as const;
export type SectionKey = keyof typeof SECTIONS;

export const PERSONA_PASSWORD = 'persona-sonde-2026';

let configured = false;

/** Points the data layer of this worker at the shared local stack (idempotent). */
export function useLocalStack(): void {
  if (configured) return;
  Object.assign(process.env, {
    STAGE: 'local',
    AWS_REGION: 'eu-west-3',
    TABLE_NAME: inject('tableName'),
    USER_POOL_ID: inject('userPoolId'),
    USER_POOL_CLIENT_ID: inject('clientId'),
    MAIL_FROM: 'Tests <tests@coopol.example>',
    SITE_URL: 'http://localhost',
    DYNAMODB_ENDPOINT: inject('dynamoUrl'),
    COGNITO_ENDPOINT: inject('cognitoUrl'),
    SES_ENDPOINT: inject('sesUrl'),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  resetConfig();
  resetDb();
  configured = true;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Random lower-case letters (names allow letters only, no digits). */
export function letters(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += LETTERS[randomInt(26)];
  return out;
}

/** A fixed-width letter code for a number: codes of one width are prefix-free. */
export function letterCode(n: number, width = 3): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = LETTERS[rest % 26] + out;
    rest = Math.floor(rest / 26);
  }
  return out;
}

export interface PersonaSpec {
  /** Unique within the seeding call; used to find the persona afterwards. */
  key: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  confirmed: boolean;
  section: SectionKey | null;
  /** The id of a section of the test's own (see `freshSection`), instead of a demo `section`. */
  ownSection?: string;
  visibility: Visibility;
  roles?: Partial<MemberRoles>;
  mandates?: Mandate[];
  /** Gets a Cognito user and a session (a token and a refresh cookie). */
  signsIn?: boolean;
  email?: string;
  phone?: string | null;
  postalAddress?: string | null;
}

export interface Persona extends PersonaSpec {
  id: string;
  email: string;
  sectionId: string | null;
  phone: string | null;
  postalAddress: string | null;
  /** Present when `signsIn`. */
  token?: string;
  cookie?: string;
}

export interface SeedLinks {
  /** Pairs of persona keys made coopains. */
  coopains?: [string, string][];
  /** [blocker, blocked] persona keys. */
  blocks?: [string, string][];
}

function cognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'eu-west-3',
    endpoint: inject('cognitoUrl'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates a confirmed Cognito user bound to the member id; returns its `sub`. */
async function createCognitoUser(
  cognito: CognitoIdentityProviderClient,
  email: string,
  memberId: string,
): Promise<string> {
  const userPoolId = inject('userPoolId');
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:member_id', Value: memberId },
      ],
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: email,
      Password: PERSONA_PASSWORD,
      Permanent: true,
    }),
  );
  const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new Error(`cognito-local returned no sub for ${email}`);
  return sub;
}

async function inChunks<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * Writes the personas (active members), their links, and signs in those who sign in.
 * Returns them by key.
 */
export async function seedPersonas(
  specs: PersonaSpec[],
  links: SeedLinks = {},
): Promise<Map<string, Persona>> {
  useLocalStack();
  const keys = new Set<string>();
  for (const s of specs) {
    if (keys.has(s.key)) throw new Error(`duplicate persona key ${s.key}`);
    keys.add(s.key);
  }
  const sectionIdOf = (spec: PersonaSpec) =>
    spec.ownSection ?? (spec.section ? SECTIONS[spec.section] : null);
  const sectionNames = new Map<string, string>();
  for (const id of new Set(specs.map(sectionIdOf).filter((s): s is string => s !== null))) {
    const section = await getSection(id);
    if (!section) throw new Error(`section ${id} is missing: is the demo seed there?`);
    sectionNames.set(id, section.name);
  }
  const stamp = Date.now().toString(36);
  const personas = new Map<string, Persona>();
  for (const spec of specs) {
    const id = ulid();
    personas.set(spec.key, {
      ...spec,
      id,
      email:
        spec.email ??
        `${spec.key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.${stamp}.${id.slice(-6).toLowerCase()}@personas.coopol.example`,
      sectionId: sectionIdOf(spec),
      phone: spec.phone === undefined ? '06 11 22 33 44' : spec.phone,
      postalAddress:
        spec.postalAddress === undefined ? '3 place de la Bastille, 75011 Paris' : spec.postalAddress,
    });
  }

  // Cognito users one at a time (cognito-local keeps its pool in a file).
  const cognito = cognitoClient();
  const subs = new Map<string, string>();
  for (const p of personas.values())
    if (p.signsIn) subs.set(p.key, await createCognitoUser(cognito, p.email, p.id));

  const now = new Date().toISOString();
  await inChunks([...personas.values()], 8, async (p) => {
    const member: Member = {
      id: p.id,
      cognitoSub: subs.get(p.key) ?? '',
      firstName: p.firstName,
      lastName: p.lastName,
      bio: '',
      membershipClaim: p.membership,
      membershipConfirmed: p.confirmed,
      sectionId: p.sectionId,
      sectionName: p.sectionId ? (sectionNames.get(p.sectionId) ?? null) : null,
      visibility: p.visibility,
      state: 'active',
      roles: { secretaryOf: [], coopilote: false, admin: false, ...p.roles },
      mandates: p.mandates ?? [],
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    await transact([
      ...putNewMember(member),
      putNewContactDetails(p.id, { email: p.email, phone: p.phone, postalAddress: p.postalAddress }, now),
      putEmailClaim(p.email, p.id),
    ]);
  });

  const idOf = (key: string) => {
    const p = personas.get(key);
    if (!p) throw new Error(`unknown persona ${key} in links`);
    return p.id;
  };
  // One transaction per pair, one after the other: each also updates both members' coopain sets.
  for (const [a, b] of links.coopains ?? []) await transact(coopainWrites(idOf(a), idOf(b), now));
  // One transaction per block: two updates of one block-list item cannot share a transaction.
  for (const [blocker, blocked] of links.blocks ?? [])
    await transact(blockWrites(idOf(blocker), idOf(blocked)));

  await inChunks(
    [...personas.values()].filter((p) => p.signsIn),
    4,
    async (p) => {
      const res = await api<{ idToken: string }>('/api/auth/sign-in', {
        body: { email: p.email, password: PERSONA_PASSWORD },
      });
      if (res.status !== 200)
        throw new Error(`sign-in of ${p.key} failed: ${res.status} ${JSON.stringify(res.body)}`);
      p.token = res.body.idToken;
      p.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    },
  );
  return personas;
}

/**
 * A section of the test's own, so that what goes to a whole section (a section message) reaches
 * exactly the members the test put there, whatever other test files do meanwhile.
 */
export async function freshSection(): Promise<{ id: string; name: string }> {
  useLocalStack();
  const section = { id: ulid(), name: `Section de test ${letters(6)}`, department: '99' };
  await transact([putSectionIfAbsent(section)]);
  return { id: section.id, name: section.name };
}

/** A fresh section and its secretary (signed in), who accepted nothing yet. */
export async function sectionWithSecretary(): Promise<{
  section: { id: string; name: string };
  secretary: Persona;
}> {
  const section = await freshSection();
  const seeded = await seedPersonas([
    {
      key: 'secretary',
      firstName: 'Solène',
      lastName: `Zz${letters(8)}`,
      membership: 'adherent',
      confirmed: true,
      section: null,
      ownSection: section.id,
      visibility: 'adherents',
      roles: { secretaryOf: [section.id] },
      signsIn: true,
    },
  ]);
  return { section, secretary: persona(seeded, 'secretary') };
}

/** The persona with this key (throws if absent: a test bug). */
export function persona(personas: Map<string, Persona>, key: string): Persona {
  const p = personas.get(key);
  if (!p) throw new Error(`unknown persona ${key}`);
  return p;
}

/** The persona's session token (throws if it does not sign in). */
export function tokenOf(p: Persona): string {
  if (!p.token) throw new Error(`persona ${p.key} does not sign in`);
  return p.token;
}

/** The secretary accepts the confidentiality commitment through the API (idempotent). */
export async function acceptCommitment(p: Persona): Promise<void> {
  const res = await api('/api/me/confidentiality-commitment', {
    token: tokenOf(p),
    body: { accepted: true },
  });
  if (res.status !== 200)
    throw new Error(`commitment of ${p.key}: ${res.status} ${JSON.stringify(res.body)}`);
}

export interface DirectoryCard {
  id: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  section: { id: string; name: string } | null;
}

/** Every card the directory lists for this query, following the cursor to the last page. */
export async function directoryAll(
  token: string,
  params: { q?: string; section?: string },
  stats: { pages: number } = { pages: 0 },
): Promise<DirectoryCard[]> {
  const cards: DirectoryCard[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const qs = new URLSearchParams();
    if (params.q !== undefined) qs.set('q', params.q);
    if (params.section !== undefined) qs.set('section', params.section);
    if (cursor) qs.set('cursor', cursor);
    const res = await api<{ items: DirectoryCard[]; cursor: string | null }>(`/api/directory?${qs}`, {
      token,
    });
    if (res.status !== 200) throw new Error(`directory ${qs}: ${res.status} ${JSON.stringify(res.body)}`);
    cards.push(...res.body.items);
    stats.pages += 1;
    cursor = res.body.cursor;
    if (!cursor) return cards;
  }
  throw new Error('directory: more than 200 pages');
}
