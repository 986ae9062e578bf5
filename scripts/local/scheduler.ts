import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type JobDef, jobs } from '../../shared/jobs.ts';
import { logger } from '../../shared/log.ts';
import { ROOT } from './emulators.ts';

/**
 * EventBridge Scheduler's stand-in on this machine: every job of `shared/jobs.ts`, run by its own
 * handler on a timer (`localEverySeconds`), never two runs of a job at once.
 */
export async function startScheduler(
  table: readonly JobDef[] = jobs,
): Promise<{ stop: () => Promise<void> }> {
  const loaded = await Promise.all(
    table.map(async (job) => {
      const mod = (await import(pathToFileURL(path.join(ROOT, job.handler)).href)) as {
        handler: () => Promise<unknown>;
      };
      return { job, handler: mod.handler };
    }),
  );
  let stopped = false;
  const running = new Set<Promise<void>>();
  const timers = loaded.map(({ job, handler }) => {
    let busy = false;
    return setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const run = handler()
        .then(() => undefined)
        .catch((error: unknown) => logger.error('local job failed', { job: job.id, error }))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    }, job.localEverySeconds * 1000);
  });
  return {
    stop: async () => {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.all(running);
    },
  };
}
