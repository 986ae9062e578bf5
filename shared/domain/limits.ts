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
