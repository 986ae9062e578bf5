import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CHARTER_VERSION } from '../../shared/charter.ts';
import { putConsent, putEmailClaim } from '../../shared/data/accounts.ts';
import { isConditionFailure, transact } from '../../shared/data/client.ts';
import { putNewContactDetails } from '../../shared/data/contact-details.ts';
import {
  coopainWrites,
  getMember,
  type Member,
  type Membership,
  putNewMember,
  type Visibility,
} from '../../shared/data/members.ts';
import { newcomerDelete } from '../../shared/data/newcomers.ts';
import { putSectionIfAbsent, type Section } from '../../shared/data/sections.ts';
import type { CognitoGroup } from '../../shared/identity/cognito.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './bootstrap.ts';
import { seedDemoContent } from './seed-content.ts';

/** Every demo account signs in with this password (local stack only). */
export const DEMO_PASSWORD = 'coopol-demo-2026';

const sectionId = (n: number) => `01KC0SEC0${String(n).padStart(17, '0')}`;
const memberId = (n: number) => `01KC0DEM0${String(n).padStart(17, '0')}`;

export const DEMO_SECTIONS: Section[] = [
  { id: sectionId(1), name: 'Paris 11e', department: '75' },
  { id: sectionId(2), name: 'Lille Centre', department: '59' },
  { id: sectionId(3), name: 'Lyon 7e', department: '69' },
  { id: sectionId(4), name: 'Toulouse Nord', department: '31' },
  { id: sectionId(5), name: 'Rennes', department: '35' },
  { id: sectionId(6), name: 'Marseille 3e', department: '13' },
  { id: sectionId(7), name: 'Nantes Erdre', department: '44' },
  { id: sectionId(8), name: 'Strasbourg', department: '67' },
  { id: sectionId(9), name: 'Ajaccio', department: '2A' },
  { id: sectionId(10), name: 'Pointe-à-Pitre', department: '971' },
];

export interface DemoMember {
  role: string;
  email: string;
  id: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  confirmed: boolean;
  sectionId: string | null;
  visibility: Visibility;
  roles?: Partial<Member['roles']>;
  mandates?: Member['mandates'];
  groups: CognitoGroup[];
  /** When they joined, in days before the seed: a demo section has a history (dashboard trends). */
  joinedDaysAgo: number;
}

const paris = sectionId(1);
export const DEMO_MEMBERS: DemoMember[] = [
  {
    role: 'adhérente PS',
    email: 'adherente@coopol.example',
    joinedDaysAgo: 250,
    id: memberId(1),
    firstName: 'Camille',
    lastName: 'Martin',
    membership: 'adherent',
    confirmed: true,
    sectionId: paris,
    visibility: 'adherents',
    groups: ['adherents'],
  },
  {
    role: 'secrétaire de section (Paris 11e), élue',
    email: 'secretaire@coopol.example',
    joinedDaysAgo: 1100,
    id: memberId(2),
    firstName: 'Sophie',
    lastName: 'Durand',
    membership: 'adherent',
    confirmed: true,
    sectionId: paris,
    visibility: 'all',
    roles: { secretaryOf: [paris] },
    mandates: [
      {
        id: '01KC0MAN000000000000000001',
        office: 'Conseillère de Paris',
        territory: 'Paris 11e',
        startDate: '2020-07-03',
        endDate: null,
        verified: true,
        verifiedBy: memberId(7),
        verifiedAt: '2020-09-01T10:00:00.000Z',
      },
    ],
    groups: ['adherents', 'secretaires'],
  },
  {
    role: 'membre du MJS',
    email: 'mjs@coopol.example',
    joinedDaysAgo: 400,
    id: memberId(3),
    firstName: 'Léo',
    lastName: 'Bernard',
    membership: 'mjs',
    confirmed: true,
    sectionId: sectionId(2),
    visibility: 'all',
    groups: ['adherents'],
  },
  {
    role: 'sympathisante',
    email: 'sympathisante@coopol.example',
    joinedDaysAgo: 12,
    id: memberId(4),
    firstName: 'Inès',
    lastName: 'Petit',
    membership: 'sympathisant',
    confirmed: false,
    sectionId: null,
    visibility: 'all',
    groups: ['sympathisants'],
  },
  {
    role: 'adhérent discret (visible de sa section seulement)',
    email: 'discret@coopol.example',
    joinedDaysAgo: 120,
    id: memberId(5),
    firstName: 'Paul',
    lastName: 'Lefèvre',
    membership: 'adherent',
    confirmed: true,
    sectionId: paris,
    visibility: 'section',
    groups: ['adherents'],
  },
  {
    role: 'coopilote (modération)',
    email: 'coopilote@coopol.example',
    joinedDaysAgo: 900,
    id: memberId(6),
    firstName: 'Karim',
    lastName: 'Haddad',
    membership: 'adherent',
    confirmed: true,
    sectionId: sectionId(3),
    visibility: 'adherents',
    roles: { coopilote: true },
    groups: ['adherents', 'coopilotes'],
  },
  {
    role: 'administratrice',
    email: 'admin@coopol.example',
    joinedDaysAgo: 1500,
    id: memberId(7),
    firstName: 'Claire',
    lastName: 'Moreau',
    membership: 'adherent',
    confirmed: true,
    sectionId: sectionId(4),
    visibility: 'adherents',
    roles: { admin: true },
    groups: ['adherents', 'admins'],
  },
  {
    role: 'adhérent en attente de confirmation',
    email: 'nouveau@coopol.example',
    joinedDaysAgo: 0,
    id: memberId(8),
    firstName: 'Hugo',
    lastName: 'Roux',
    membership: 'adherent',
    confirmed: false,
    sectionId: paris,
    visibility: 'adherents',
    groups: ['sympathisants'],
  },
];

async function seedSections(): Promise<void> {
  for (const section of DEMO_SECTIONS) {
    try {
      await transact([putSectionIfAbsent(section)]);
    } catch (error) {
      if (!isConditionFailure(error) && (error as { name?: string }).name !== 'TransactionCanceledException')
        throw error;
    }
  }
}

/** The demo user's Cognito `sub`, creating the user (with its groups) when missing. */
async function ensureCognitoUser(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  demo: DemoMember,
): Promise<string> {
  const subOf = (attrs?: { Name?: string; Value?: string }[]) => attrs?.find((a) => a.Name === 'sub')?.Value;
  try {
    const existing = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: demo.email }),
    );
    const sub = subOf(existing.UserAttributes);
    if (sub) return sub;
  } catch (error) {
    if ((error as { name?: string }).name !== 'UserNotFoundException') throw error;
  }
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: demo.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: demo.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:member_id', Value: demo.id },
      ],
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: demo.email,
      Password: DEMO_PASSWORD,
      Permanent: true,
    }),
  );
  for (const group of demo.groups) {
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: demo.email, GroupName: group }),
    );
  }
  const sub = subOf(created.User?.Attributes);
  if (!sub) throw new Error(`cognito-local returned no sub for ${demo.email}`);
  return sub;
}

async function seedMember(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  demo: DemoMember,
  now: string,
): Promise<void> {
  const cognitoSub = await ensureCognitoUser(cognito, userPoolId, demo);
  if (await getMember(demo.id)) return;
  const joined = new Date(Date.parse(now) - demo.joinedDaysAgo * 24 * 3600 * 1000).toISOString();
  const member: Member = {
    id: demo.id,
    cognitoSub,
    firstName: demo.firstName,
    lastName: demo.lastName,
    bio: '',
    membershipClaim: demo.membership,
    membershipConfirmed: demo.confirmed,
    sectionId: demo.sectionId,
    sectionName: DEMO_SECTIONS.find((s) => s.id === demo.sectionId)?.name ?? null,
    visibility: demo.visibility,
    state: 'active',
    roles: { secretaryOf: [], coopilote: false, admin: false, ...demo.roles },
    mandates: demo.mandates ?? [],
    createdAt: joined,
    updatedAt: now,
    version: 0,
  };
  await transact([
    ...putNewMember(member),
    putNewContactDetails(
      demo.id,
      { email: demo.email, phone: '06 12 34 56 78', postalAddress: '1 rue de la République, 75011 Paris' },
      now,
    ),
    putEmailClaim(demo.email, demo.id),
    putConsent(demo.id, { kind: 'charter', version: CHARTER_VERSION, given: true, at: joined }),
  ]);
}

/** Demo sections and one account per role; idempotent (existing items and users are kept). */
export async function seedDemo(cognitoEndpoint: string, userPoolId: string): Promise<void> {
  const cognito = new CognitoIdentityProviderClient({
    region: LOCAL_REGION,
    endpoint: cognitoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const now = new Date().toISOString();
  await seedSections();
  for (const demo of DEMO_MEMBERS) await seedMember(cognito, userPoolId, demo, now);
  // Camille (adherents) and Léo (MJS, all) are coopains: links are plain puts, so re-seeding is harmless.
  // Having a coopain, neither is a newcomer to welcome any more (issue 11).
  await transact([
    ...coopainWrites(memberId(1), memberId(3), now),
    newcomerDelete(memberId(1)),
    newcomerDelete(memberId(3)),
  ]);
  await seedDemoContent();
}
