import { logger } from '../../shared/log.ts';
import { type RunSummary, runTasks } from '../../shared/tasks/runner.ts';

/**
 * Scheduled every minute (shared/jobs.ts). Runs due tasks for up to 4 minutes, well inside the
 * 5-minute timeout; a run that overlaps the next one is harmless (claims, ADR 007).
 */
export async function handler(): Promise<RunSummary> {
  const summary = await runTasks({ budgetMs: 240_000 });
  if (summary.steps > 0) logger.info('tasks run', { ...summary });
  return summary;
}
