import { randomBytes } from 'node:crypto';
import { config } from '../config.ts';
import { getAll, queryPage } from '../data/client.ts';
import { contactDetailsKey, contactFromItem } from '../data/contact-details.ts';
import {
  claimDigestRun,
  DIGEST_SHARDS,
  type DigestPeriod,
  digestDone,
  pendingDigests,
  releaseDigestRun,
} from '../data/digests.ts';
import { memberFromItem, memberKey } from '../data/members.ts';
import {
  ensureUnsubscribeToken,
  notificationFromItem,
  preferencesKey,
  prefsFromItem,
} from '../data/notifications.ts';
import { type Deps, defaultDeps } from '../domain/deps.ts';
import { logger } from '../log.ts';
import { sendEmail } from './mailer.ts';
import { emailChoices } from './preferences.ts';
import { digestEmail } from './templates.ts';

/**
 * The digest run (SPEC §5, ADR 004): every member pending a digest of this period gets one email
 * with their unread notifications of the types they want in it, since their last digest. The
 * shards of the pending list are walked in parallel; sends are paced under SES's rate; a run
 * item per member and period (written before the send) makes a retried run skip members already
 * served — at most one digest per member and period. A failed send gives the claim back and
 * keeps the member pending: the next run tries again; nothing is lost from the notification centre.
 */

export interface DigestSummary {
  members: number;
  sent: number;
  empty: number;
  skipped: number;
  failed: number;
}

/** The period's key: the Paris day, or the Monday of the Paris week. */
export function periodKeyOf(period: DigestPeriod, now: Date): string {
  const paris = new Date(now.toLocaleString('en-US', { timeZone: 'Europe/Paris' }));
  if (period === 'weekly') paris.setDate(paris.getDate() - ((paris.getDay() + 6) % 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${paris.getFullYear()}-${pad(paris.getMonth() + 1)}-${pad(paris.getDate())}`;
}

/** At most `perSecond` sends a second across the run (SES's account rate). */
function pacer(perSecond: number): () => Promise<void> {
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + 1000 / perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

async function digestOne(
  period: DigestPeriod,
  periodKey: string,
  memberId: string,
  pace: () => Promise<void>,
  deps: Deps,
): Promise<'sent' | 'empty' | 'skipped' | 'failed'> {
  const now = deps.now();
  if (!(await claimDigestRun(period, periodKey, memberId, now))) {
    await digestDone(period, memberId, now.toISOString());
    return 'skipped';
  }
  const items = await getAll(
    [memberKey(memberId), contactDetailsKey(memberId), preferencesKey(memberId)],
    true,
  );
  const profile = items.find((i) => i.sk === 'PROFILE');
  const contact = items.find((i) => i.sk === 'CONTACT');
  const prefs = prefsFromItem(items.find((i) => i.sk === 'PREFS'));
  const since = prefs.lastDigest?.[period] ?? '';
  const page = await queryPage({
    partition: `MEMBER#${memberId}`,
    prefix: 'NOTIF#',
    newestFirst: true,
    limit: 100,
    consistent: true,
  });
  const member = profile ? memberFromItem(profile) : undefined;
  const choices = member ? emailChoices(prefs, member) : undefined;
  const due = page.items
    .map((i) => notificationFromItem(i))
    .filter((n) => !n.read && n.at > since && choices?.[n.type] === period)
    .reverse();
  if (member?.state !== 'active' || !contact || due.length === 0) {
    await digestDone(period, memberId, now.toISOString());
    return 'empty';
  }
  try {
    const token =
      prefs.unsubscribeToken ??
      (await ensureUnsubscribeToken(memberId, randomBytes(24).toString('base64url')));
    await pace();
    await sendEmail(digestEmail(period, due, contactFromItem(contact).email, config().SITE_URL, token));
  } catch (error) {
    logger.warn('digest send failed: kept for the next run', { memberId, period, error });
    await releaseDigestRun(period, periodKey, memberId);
    return 'failed';
  }
  await digestDone(period, memberId, now.toISOString());
  return 'sent';
}

export async function runDigests(
  opts: { period: DigestPeriod; parallelShards?: number; sesPerSecond?: number },
  deps: Deps = defaultDeps,
): Promise<DigestSummary> {
  const periodKey = periodKeyOf(opts.period, deps.now());
  const pace = pacer(opts.sesPerSecond ?? Number(process.env.SES_MAX_SEND_RATE ?? 14));
  const summary: DigestSummary = { members: 0, sent: 0, empty: 0, skipped: 0, failed: 0 };
  const shards = Array.from({ length: DIGEST_SHARDS }, (_, i) => i);
  const worker = async () => {
    for (let shard = shards.shift(); shard !== undefined; shard = shards.shift()) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await pendingDigests(opts.period, shard, startKey);
        for (const memberId of page.memberIds) {
          summary.members++;
          summary[await digestOne(opts.period, periodKey, memberId, pace, deps)]++;
        }
        startKey = page.lastKey;
      } while (startKey);
    }
  };
  await Promise.all(Array.from({ length: opts.parallelShards ?? 4 }, worker));
  return summary;
}
