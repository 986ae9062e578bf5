import { expireSuspensions } from '../../shared/domain/moderation/expiry.ts';
import { logger } from '../../shared/log.ts';

/** Scheduled (shared/jobs.ts): timed suspensions whose end has passed become active again. */
export async function handler(): Promise<{ lifted: number }> {
  const summary = await expireSuspensions();
  if (summary.lifted > 0) logger.info('suspensions expired', { ...summary });
  return summary;
}
