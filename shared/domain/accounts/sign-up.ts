import * as z from 'zod/mini';
import { CHARTER_VERSION } from '../../charter.ts';
import { config } from '../../config.ts';
import { putConsent, putEmailClaim } from '../../data/accounts.ts';
import { failedConditionIndex, transact } from '../../data/client.ts';
import { putNewContactDetails } from '../../data/contact-details.ts';
import { MEMBERSHIPS, type Member, putNewMember, VISIBILITIES } from '../../data/members.ts';
import { getSection } from '../../data/sections.ts';
import { UnavailableError, ValidationError } from '../../errors.ts';
import * as identity from '../../identity/cognito.ts';
import { logger } from '../../log.ts';
import { sendEmail } from '../../notifications/mailer.ts';
import { accountAlreadyExists } from '../../notifications/templates.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { Email, Id, PersonName } from '../schemas.ts';
import { guardAttempt } from './guards.ts';

/** Cognito's password policy (infra sets the same), checked first so nothing is created on failure. */
export const Password = z
  .string()
  .check(
    z.minLength(10, 'Le mot de passe doit compter au moins 10 caractères.'),
    z.maxLength(256, 'Mot de passe trop long.'),
    z.regex(/[a-z]/, 'Le mot de passe doit contenir une lettre minuscule.'),
    z.regex(/[0-9]/, 'Le mot de passe doit contenir un chiffre.'),
  );

export const SignUpInput = z.strictObject({
  email: Email,
  password: Password,
  firstName: PersonName,
  lastName: PersonName,
  membership: z.enum(MEMBERSHIPS, 'Choisissez adhérent·e PS, MJS ou sympathisant·e.'),
  sectionId: z.optional(Id),
  visibility: z.enum(VISIBILITIES, 'Choisissez qui peut voir votre profil.'),
  consentVisibilityAll: z.optional(z.boolean()),
  charterAccepted: z.literal(true, 'Vous devez accepter la charte pour rejoindre la coopol.'),
  charterVersion: z.string().check(z.maxLength(20)),
});
export type SignUpInput = z.infer<typeof SignUpInput>;

/** Checks between fields, before anything is written (a malformed sign-up creates nothing). */
function checkCoherence(input: SignUpInput): void {
  if (input.charterVersion !== CHARTER_VERSION) {
    throw new ValidationError(
      'signup.charter_outdated',
      'La charte a changé : relisez-la et acceptez la nouvelle version.',
      'charterAccepted',
    );
  }
  if (input.membership !== 'sympathisant' && !input.sectionId) {
    throw new ValidationError('signup.section_required', 'Choisissez votre section.', 'sectionId');
  }
  // `all` shows party membership to sympathisants: political opinion, GDPR art. 9 — explicit consent.
  if (input.visibility === 'all' && input.consentVisibilityAll !== true) {
    throw new ValidationError(
      'signup.consent_required',
      'Cochez la case de consentement pour être visible de tous les membres.',
      'consentVisibilityAll',
    );
  }
}

/**
 * Registers a member: a Cognito user (which emails the confirmation code) and, atomically, the
 * member item, the contact-details item, the email claim and the consent records.
 * An address that already has an account gets an email saying so and the same answer, so that
 * sign-up never reveals who is a member.
 */
export async function signUp(
  input: SignUpInput,
  client: { sourceIp: string },
  deps: Deps = defaultDeps,
): Promise<void> {
  checkCoherence(input);
  const section = input.sectionId ? await getSection(input.sectionId) : undefined;
  if (input.sectionId && !section) {
    throw new ValidationError(
      'signup.unknown_section',
      'Section inconnue : choisissez-en une dans la liste.',
      'sectionId',
    );
  }
  // Counted once the input is known to be valid, before Cognito, per client address (a sign-up
  // of an existing address is counted alike: the answer stays the same).
  await guardAttempt('signUp', { sourceIp: client.sourceIp, now: deps.now() });
  const memberId = deps.newId();
  const now = deps.now().toISOString();

  let cognitoSub: string;
  try {
    cognitoSub = await identity.signUp({ email: input.email, password: input.password, memberId });
  } catch (error) {
    if (error instanceof identity.IdentityError && error.failure === 'exists') {
      await notifyExistingAccount(input.email);
      return;
    }
    if (error instanceof identity.IdentityError && error.failure === 'bad_password') {
      throw new ValidationError(
        'signup.weak_password',
        'Mot de passe refusé : choisissez-en un plus robuste.',
        'password',
      );
    }
    throw error;
  }

  const member: Member = {
    id: memberId,
    cognitoSub,
    firstName: input.firstName,
    lastName: input.lastName,
    bio: '',
    membershipClaim: input.membership,
    membershipConfirmed: false,
    sectionId: section?.id ?? null,
    sectionName: section?.name ?? null,
    visibility: input.visibility,
    state: 'pending',
    roles: { secretaryOf: [], coopilote: false, admin: false },
    mandates: [],
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  const emailClaim = putEmailClaim(input.email, memberId);
  const writes = [
    ...putNewMember(member),
    putNewContactDetails(memberId, { email: input.email, phone: null, postalAddress: null }, now),
    emailClaim,
    putConsent(memberId, { kind: 'charter', version: input.charterVersion, given: true, at: now }),
  ];
  if (input.visibility === 'all')
    writes.push(
      putConsent(memberId, { kind: 'visibility_all', version: CHARTER_VERSION, given: true, at: now }),
    );

  try {
    await transact(writes);
  } catch (error) {
    // Undo the Cognito user so that a retry starts clean; nothing is half-registered.
    await identity
      .deleteUser(input.email)
      .catch((undo: unknown) =>
        logger.error('sign-up: could not undo the Cognito user', { error: undo as Error }),
      );
    if (failedConditionIndex(error) === writes.indexOf(emailClaim)) {
      // The table already knows this address (an account mid-deletion): same answer as `exists`.
      await notifyExistingAccount(input.email);
      return;
    }
    logger.error('sign-up: table write failed', { error: error as Error });
    throw new UnavailableError(
      'signup.unavailable',
      'L’inscription n’a pas pu aboutir. Réessayez dans un instant.',
    );
  }

  // The group mirrors the circle (sympathisant until the secretary confirms); the table is the truth.
  await identity
    .addToGroup(input.email, 'sympathisants')
    .catch((error: unknown) => logger.warn('sign-up: group mirror not set', { error: error as Error }));
}

async function notifyExistingAccount(email: string): Promise<void> {
  await sendEmail(accountAlreadyExists(email, config().SITE_URL)).catch((error: unknown) =>
    logger.warn('sign-up: could not send the existing-account notice', { error: error as Error }),
  );
}
