import { markEverySection } from '../../shared/domain/secretariat/dashboard.ts';
import { logger } from '../../shared/log.ts';

/** Scheduled daily (shared/jobs.ts): every section gets a recompute marker (`stats.run` does the work). */
export async function handler(): Promise<{ sections: number }> {
  const sections = await markEverySection(new Date());
  logger.info('section stats sweep', { sections });
  return { sections };
}
