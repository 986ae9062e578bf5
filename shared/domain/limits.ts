import { config } from '../config.ts';
import type { Limit } from '../data/rate-limits.ts';

/** A positive integer from the environment, or the default (limits are configurable per stage). */
function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const DAY = 24 * 3600;
const HOUR = 3600;

/**
 * Anti-spam limits per member (SPEC §6), after Discourse and Mastodon's defaults; each can be set
 * with its environment variable.
 */
export const LIMITS = {
  invitations: (): Limit => ({
    action: 'invite',
    max: fromEnv('RATE_LIMIT_INVITATIONS_PER_DAY', 20),
    windowSeconds: DAY,
  }),
  newConversations: (): Limit => ({
    action: 'conversation',
    max: fromEnv('RATE_LIMIT_CONVERSATIONS_PER_DAY', 30),
    windowSeconds: DAY,
  }),
  messages: (): Limit => ({
    action: 'message',
    max: fromEnv('RATE_LIMIT_MESSAGES_PER_HOUR', 300),
    windowSeconds: HOUR,
  }),
  /** « Signaler un abus »: enough for a bad day, not for flooding the coopilotes. */
  reports: (): Limit => ({
    action: 'report',
    max: fromEnv('RATE_LIMIT_REPORTS_PER_DAY', 20),
    windowSeconds: DAY,
  }),
  /** A secretary's messages to the whole section: each reaches up to ~1,500 members. */
  sectionMessages: (): Limit => ({
    action: 'section-message',
    max: fromEnv('RATE_LIMIT_SECTION_MESSAGES_PER_DAY', 5),
    windowSeconds: DAY,
  }),
};

const MINUTE = 60;

/**
 * Sign-in and sign-up guards (issue 12; architecture rule 8), counted per client address and per
 * account before any call to Cognito. Defaults in the spirit of Mastodon's (25 sign-ins / 5 min
 * and 5 sign-ups / 30 min per address); each maximum can be set with its environment variable
 * (the test stack, which signs thousands of personas in from 127.0.0.1, sets high ones).
 */
export const AUTH_LIMITS = {
  signInPerIp: (): Limit => ({
    action: 'sign-in',
    max: fromEnv('RATE_LIMIT_SIGN_INS_PER_IP', 25),
    windowSeconds: 5 * MINUTE,
  }),
  /** Slows password guessing on one account from many addresses. */
  signInPerAccount: (): Limit => ({
    action: 'sign-in',
    max: fromEnv('RATE_LIMIT_SIGN_INS_PER_ACCOUNT', 10),
    windowSeconds: 15 * MINUTE,
  }),
  signUpPerIp: (): Limit => ({
    action: 'sign-up',
    max: fromEnv('RATE_LIMIT_SIGN_UPS_PER_IP', 5),
    windowSeconds: 30 * MINUTE,
  }),
  /** Each resend emails someone: a few per account, a few accounts per address. */
  resendCodePerIp: (): Limit => ({
    action: 'resend-code',
    max: fromEnv('RATE_LIMIT_RESEND_CODES_PER_IP', 10),
    windowSeconds: HOUR,
  }),
  resendCodePerAccount: (): Limit => ({
    action: 'resend-code',
    max: fromEnv('RATE_LIMIT_RESEND_CODES_PER_ACCOUNT', 3),
    windowSeconds: HOUR,
  }),
  /** « Mot de passe oublié » emails a code: limited like the resend. */
  passwordResetPerIp: (): Limit => ({
    action: 'password-reset',
    max: fromEnv('RATE_LIMIT_PASSWORD_RESETS_PER_IP', 10),
    windowSeconds: HOUR,
  }),
  passwordResetPerAccount: (): Limit => ({
    action: 'password-reset',
    max: fromEnv('RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT', 3),
    windowSeconds: HOUR,
  }),
  /** Entering the code that confirms a new account's email: bounds code guessing (6 digits). */
  confirmCodePerIp: (): Limit => ({
    action: 'confirm-code',
    max: fromEnv('RATE_LIMIT_CONFIRMS_PER_IP', 25),
    windowSeconds: HOUR,
  }),
  confirmCodePerAccount: (): Limit => ({
    action: 'confirm-code',
    max: fromEnv('RATE_LIMIT_CONFIRMS_PER_ACCOUNT', 10),
    windowSeconds: HOUR,
  }),
  /** Entering the reset code and the new password: bounds code guessing (6 digits). */
  newPasswordPerIp: (): Limit => ({
    action: 'new-password',
    max: fromEnv('RATE_LIMIT_NEW_PASSWORDS_PER_IP', 25),
    windowSeconds: HOUR,
  }),
  newPasswordPerAccount: (): Limit => ({
    action: 'new-password',
    max: fromEnv('RATE_LIMIT_NEW_PASSWORDS_PER_ACCOUNT', 10),
    windowSeconds: HOUR,
  }),
};

/**
 * The key of the counters' hashes (IP addresses and email addresses are personal data, never
 * stored raw): `AUTH_GUARD_SECRET`, a key Secrets Manager generates in AWS (infra: data stack
 * `AuthGuardKey`, given to the auth functions only); locally, where none is set, a per-stack value
 * derived from the user pool (unique per stack, not secret — there is nothing to protect there).
 */
export function authGuardSecret(): string {
  const secret = process.env.AUTH_GUARD_SECRET;
  if (secret && secret.length >= 16) return secret;
  const cfg = config();
  return `coopol-guard:${cfg.USER_POOL_ID}:${cfg.USER_POOL_CLIENT_ID}:${cfg.TABLE_NAME}`;
}
