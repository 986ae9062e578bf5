import * as z from 'zod/mini';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, ValidationError } from '../../errors.ts';
import * as identity from '../../identity/cognito.ts';
import { logger } from '../../log.ts';
import { Email } from '../schemas.ts';
import { type Attempt, guardAttempt } from './guards.ts';
import { Password } from './sign-up.ts';

export const ConfirmInput = z.strictObject({
  email: Email,
  code: z.string().check(z.trim(), z.regex(/^\d{6}$/, 'Le code compte 6 chiffres.')),
});
export const ResendCodeInput = z.strictObject({ email: Email });
export const ForgotPasswordInput = z.strictObject({ email: Email });
export const ResetPasswordInput = z.strictObject({
  email: Email,
  code: z.string().check(z.trim(), z.regex(/^\d{6}$/, 'Le code compte 6 chiffres.')),
  password: Password,
});
export const SignInInput = z.strictObject({
  email: Email,
  password: z.string().check(z.minLength(1, 'Saisissez votre mot de passe.'), z.maxLength(256)),
});

const TOO_MANY = () =>
  new RateLimitedError(
    'auth.too_many_attempts',
    'Trop de tentatives : réessayez dans quelques minutes.',
    300,
  );

/**
 * A Cognito call that checks an emailed code (confirmation, new password), counted first. Wrong,
 * expired, already used or unknown address: one answer, so that nothing reveals who has an account
 * (cognito-local answers a confirmed user with ExpiredCode, AWS with NotAuthorized); « too many »
 * is said, as it is the same for every address.
 */
async function guardedCodeCheck(
  action: 'confirmCode' | 'newPassword',
  email: string,
  client: Omit<Attempt, 'email'>,
  call: () => Promise<void>,
): Promise<void> {
  await guardAttempt(action, { ...client, email });
  try {
    await call();
  } catch (error) {
    if (!(error instanceof identity.IdentityError)) throw error;
    if (error.failure === 'too_many') throw TOO_MANY();
    throw new ValidationError(
      'auth.invalid_code',
      'Code incorrect ou expiré : vérifiez-le ou demandez-en un nouveau.',
      'code',
    );
  }
}

/**
 * Confirms the email address with the code Cognito sent. The member item becomes `active` at their
 * first signed-in request (loadActor: a valid ID token proves the confirmation), so this route
 * reads and writes nothing of the member: two guard counters and Cognito.
 */
export async function confirmSignUp(
  input: z.infer<typeof ConfirmInput>,
  client: Omit<Attempt, 'email'>,
): Promise<void> {
  await guardedCodeCheck('confirmCode', input.email, client, () =>
    identity.confirmSignUp(input.email, input.code),
  );
}

/**
 * A Cognito call that mails a code, counted first, with the same answer whatever the address (no
 * account enumeration): Cognito's refusals are swallowed (logged without the address), but « too
 * many » is said, as it is the same for every address.
 */
async function neutralCodeCall(
  action: 'resendCode' | 'passwordReset',
  email: string,
  client: Omit<Attempt, 'email'>,
  call: () => Promise<void>,
): Promise<void> {
  await guardAttempt(action, { ...client, email });
  try {
    await call();
  } catch (error) {
    if (!(error instanceof identity.IdentityError)) throw error;
    if (error.failure === 'too_many') throw TOO_MANY();
    logger.info(`${action} refused by Cognito`, { failure: error.failure });
  }
}

/** Sends a new code; the same answer whatever the address (no account enumeration). */
export async function resendCode(
  input: z.infer<typeof ResendCodeInput>,
  client: Omit<Attempt, 'email'>,
): Promise<void> {
  await neutralCodeCall('resendCode', input.email, client, () => identity.resendCode(input.email));
}

/**
 * Signs in with Cognito. Counted first, per address and per account, successful or not; a wrong
 * password and an unknown address get the same answer.
 */
export async function signIn(
  input: z.infer<typeof SignInInput>,
  client: Omit<Attempt, 'email'>,
): Promise<identity.Session> {
  await guardAttempt('signIn', { ...client, email: input.email });
  try {
    return await identity.signIn(input.email, input.password);
  } catch (error) {
    if (!(error instanceof identity.IdentityError)) throw error;
    if (error.failure === 'not_confirmed') {
      throw new ForbiddenError(
        'auth.not_confirmed',
        'Confirmez d’abord votre adresse e-mail avec le code reçu.',
      );
    }
    if (error.failure === 'too_many') throw TOO_MANY();
    throw new UnauthenticatedError('auth.invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
  }
}

/**
 * « Mot de passe oublié »: Cognito emails a reset code. The call is made for every address, known
 * or not, and the answer is the same (with `preventUserExistenceErrors`, AWS itself answers an
 * unknown address as a known one; the emulator refuses it, and that refusal is swallowed here).
 */
export async function forgotPassword(
  input: z.infer<typeof ForgotPasswordInput>,
  client: Omit<Attempt, 'email'>,
): Promise<void> {
  await neutralCodeCall('passwordReset', input.email, client, () => identity.forgotPassword(input.email));
}

/** Sets the new password with the emailed code; one answer for a wrong code and an unknown address. */
export async function resetPassword(
  input: z.infer<typeof ResetPasswordInput>,
  client: Omit<Attempt, 'email'>,
): Promise<void> {
  await guardedCodeCheck('newPassword', input.email, client, () =>
    identity.confirmForgotPassword(input.email, input.code, input.password),
  );
}

export async function refreshSession(refreshToken: string | undefined): Promise<identity.Session> {
  if (!refreshToken)
    throw new UnauthenticatedError('auth.session_expired', 'Votre session a expiré : reconnectez-vous.');
  try {
    return await identity.refresh(refreshToken);
  } catch (error) {
    if (!(error instanceof identity.IdentityError)) throw error;
    throw new UnauthenticatedError('auth.session_expired', 'Votre session a expiré : reconnectez-vous.');
  }
}

/** Revokes the refresh token. A failure to revoke is logged; the cookie is cleared regardless. */
export async function signOut(refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  await identity
    .revoke(refreshToken)
    .catch((error: unknown) => logger.warn('sign-out: revoke failed', { error: error as Error }));
}
