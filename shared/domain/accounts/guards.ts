import { countGuarded, type GuardSubject, type Limit, secondsLeft } from '../../data/rate-limits.ts';
import { RateLimitedError } from '../../errors.ts';
import { AUTH_LIMITS, authGuardSecret } from '../limits.ts';

/**
 * Sign-in and sign-up guards (issue 12): app-level limits per client address and per account,
 * counted on every well-formed attempt — after input validation, before any call to Cognito,
 * successful or not. A refused attempt gets a 429 with `Retry-After` and goes no further.
 *
 * The address is counted first: an address that is over its limit stops there, so that it cannot
 * spend the account's budget (and lock its owner out) any further. Each counter is one
 * conditional UpdateItem that never goes past its limit (no transaction: concurrent attempts from
 * one address would conflict on its counter).
 */
export type GuardedAction =
  | 'signIn'
  | 'signUp'
  | 'confirmCode'
  | 'resendCode'
  | 'passwordReset'
  | 'newPassword';

const LIMITS_OF: Record<GuardedAction, { ip: () => Limit; account?: () => Limit }> = {
  signIn: { ip: AUTH_LIMITS.signInPerIp, account: AUTH_LIMITS.signInPerAccount },
  signUp: { ip: AUTH_LIMITS.signUpPerIp },
  confirmCode: { ip: AUTH_LIMITS.confirmCodePerIp, account: AUTH_LIMITS.confirmCodePerAccount },
  resendCode: { ip: AUTH_LIMITS.resendCodePerIp, account: AUTH_LIMITS.resendCodePerAccount },
  passwordReset: { ip: AUTH_LIMITS.passwordResetPerIp, account: AUTH_LIMITS.passwordResetPerAccount },
  newPassword: { ip: AUTH_LIMITS.newPasswordPerIp, account: AUTH_LIMITS.newPasswordPerAccount },
};

const CODES: Record<GuardedAction, string> = {
  signIn: 'auth.too_many_attempts',
  signUp: 'signup.too_many',
  confirmCode: 'auth.too_many_attempts',
  resendCode: 'auth.too_many_attempts',
  passwordReset: 'auth.too_many_attempts',
  newPassword: 'auth.too_many_attempts',
};

function waitText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'une minute' : `${minutes} minutes`;
}

function refusal(action: GuardedAction, retryAfter: number): RateLimitedError {
  const wait = waitText(retryAfter);
  const message =
    action === 'signUp'
      ? `Trop d’inscriptions depuis cette connexion : réessayez dans ${wait}.`
      : `Trop de tentatives : réessayez dans ${wait}.`;
  return new RateLimitedError(CODES[action], message, retryAfter);
}

/** The client of a guarded request: its address and, for account actions, the (normalised) email. */
export interface Attempt {
  sourceIp: string;
  email?: string;
  now: Date;
}

/** Counts the attempt against its limits; throws a `RateLimitedError` (429) when one is full. */
export async function guardAttempt(action: GuardedAction, attempt: Attempt): Promise<void> {
  const limits = LIMITS_OF[action];
  const secret = authGuardSecret();
  const checks: [GuardSubject, Limit][] = [[{ kind: 'ip', ip: attempt.sourceIp }, limits.ip()]];
  if (limits.account && attempt.email !== undefined)
    checks.push([{ kind: 'account', email: attempt.email }, limits.account()]);
  for (const [subject, limit] of checks) {
    if (!(await countGuarded(subject, limit, attempt.now, secret)))
      throw refusal(action, secondsLeft(limit, attempt.now));
  }
}
