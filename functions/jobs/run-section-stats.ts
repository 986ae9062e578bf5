import { runSectionStats } from '../../shared/domain/secretariat/dashboard.ts';
import { logger } from '../../shared/log.ts';

/**
 * Scheduled every minute (shared/jobs.ts): recomputes the dashboard aggregate of the sections a
 * change marked, for up to 90 s of the 120-s timeout; the rest waits for the next run.
 */
export async function handler(): Promise<{ sections: number; markers: number }> {
  const summary = await runSectionStats(() => new Date(), 90_000);
  if (summary.sections > 0) logger.info('section stats recomputed', { ...summary });
  return summary;
}
