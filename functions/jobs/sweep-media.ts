import { sweepLooseMedia } from '../../shared/domain/media/cleanup.ts';
import { logger } from '../../shared/log.ts';

/** Scheduled (shared/jobs.ts): images processed more than a day ago and attached to nothing are deleted. */
export async function handler(): Promise<{ swept: number }> {
  const summary = await sweepLooseMedia();
  if (summary.swept > 0) logger.info('loose media swept', { ...summary });
  return summary;
}
