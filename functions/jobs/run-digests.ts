import type { DigestPeriod } from '../../shared/data/digests.ts';
import { logger } from '../../shared/log.ts';
import { runDigests } from '../../shared/notifications/digests.ts';

/** When the digests go out: 07:00 Paris every day, and on Mondays for the weekly one. */
export function periodsDue(now: Date): DigestPeriod[] {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const weekday = parts.find((p) => p.type === 'weekday')?.value;
  if (hour !== 7) return [];
  return weekday === 'Mon' ? ['daily', 'weekly'] : ['daily'];
}

/**
 * Scheduled every hour (shared/jobs.ts); sends the digests due at this hour, or the period asked
 * for (`{ "period": "daily" }`, e.g. by hand). A retried or overlapping run sends nothing twice.
 */
export async function handler(event: { period?: DigestPeriod } = {}): Promise<unknown> {
  const periods = event.period ? [event.period] : periodsDue(new Date());
  const results = [];
  for (const period of periods) {
    const summary = await runDigests({ period });
    logger.info('digests sent', { period, ...summary });
    results.push({ period, ...summary });
  }
  return results;
}
