import { transact } from '../data/client.ts';
import {
  checkpointTask,
  claimTask,
  dueTasks,
  failedTasks,
  failTask,
  finishTask,
  replayTaskWrites,
  type Task,
} from '../data/tasks.ts';
import { ERASURE_TASK, eraseStep } from '../domain/data-rights/erasure.ts';
import { type Deps, defaultDeps } from '../domain/deps.ts';
// Events (issue 6): the new event's circle told and its agendas written; changes and
// cancellations told to who answered; the waiting list moved up when places free.
import {
  EVENT_FANOUT_TASK,
  EVENT_PROMOTE_TASK,
  fanOutEventPage,
  promoteWaitersPage,
} from '../domain/events/fan-out.ts';
import { deleteObjectsStep, MEDIA_DELETE_TASK } from '../domain/media/cleanup.ts';
import { deliverSectionMessagePage, SECTION_MESSAGE_TASK } from '../domain/messages/section-messages.ts';
// Missions (issue 6): the new mission's circle told, the cancelled mission's volunteers told.
import {
  fanOutMissionPage,
  MISSION_CHANGED_TASK,
  MISSION_NEW_TASK,
  tellMissionChangedPage,
} from '../domain/missions/fan-out.ts';
import { closeReportsPage, REPORT_OUTCOME_TASK } from '../domain/moderation/outcome.ts';
import { fanOutPostPage, POST_FANOUT_TASK } from '../domain/posts/fan-out.ts';
import { moveNewcomerStep, NEWCOMER_MOVE_TASK } from '../domain/secretariat/newcomers.ts';
import { logger } from '../log.ts';
import { deliverNotification, NOTIFICATION_EMAIL_TASK } from '../notifications/deliver.ts';

/**
 * The task runner (ADR 007): takes due tasks one at a time with a conditional claim, runs one
 * step (one page of work), then checkpoints or finishes. Several runners may overlap (a slow
 * scheduled run and the next one): the claim and the version keep each step to one runner, and
 * every step's writes are idempotent, so a step redone after a crash changes nothing twice.
 */

export interface StepResult {
  done: boolean;
  cursor?: Record<string, unknown>;
}

export type Step = (task: Task, deps: Deps) => Promise<StepResult>;

/** Every kind of task and its step. */
export const STEPS: Readonly<Record<string, Step>> = {
  [SECTION_MESSAGE_TASK]: deliverSectionMessagePage,
  [POST_FANOUT_TASK]: fanOutPostPage,
  [NOTIFICATION_EMAIL_TASK]: deliverNotification,
  [EVENT_FANOUT_TASK]: fanOutEventPage,
  [EVENT_PROMOTE_TASK]: promoteWaitersPage,
  [MISSION_NEW_TASK]: fanOutMissionPage,
  [MISSION_CHANGED_TASK]: tellMissionChangedPage,
  [REPORT_OUTCOME_TASK]: closeReportsPage,
  [ERASURE_TASK]: eraseStep,
  [MEDIA_DELETE_TASK]: deleteObjectsStep,
  [NEWCOMER_MOVE_TASK]: moveNewcomerStep,
};

/** A claim outlives any step (one page: at most a few hundred writes). */
const HOLD_SECONDS = 120;
/** After this many failed steps a task is set aside for replay (never dropped). */
export const MAX_ATTEMPTS = 8;

/** 10 s, 20 s, 40 s… capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** (attempts - 1));
}

export interface RunSummary {
  steps: number;
  finished: number;
  failed: number;
}

/**
 * Runs due tasks until none is left or `budgetMs` is spent (the job's timeout leaves room for
 * the last step). Returns what was done, for the logs and the bench.
 */
export async function runTasks(
  opts: {
    budgetMs: number;
    steps?: Readonly<Record<string, Step>>;
    /** Runs only the tasks this accepts (tests running beside the local stack's own runner). */
    only?: (task: Task) => boolean;
  },
  deps: Deps = defaultDeps,
): Promise<RunSummary> {
  const steps = opts.steps ?? STEPS;
  const started = Date.now();
  const summary: RunSummary = { steps: 0, finished: 0, failed: 0 };
  while (Date.now() - started < opts.budgetMs) {
    const due = (await dueTasks(deps.now(), opts.only ? 100 : 10)).filter((t) => !opts.only || opts.only(t));
    let progressed = false;
    for (const found of due) {
      if (Date.now() - started >= opts.budgetMs) break;
      const task = await claimTask(found, deps.now(), HOLD_SECONDS);
      if (!task) continue;
      progressed = true;
      summary.steps++;
      const step = steps[task.kind];
      try {
        if (!step) throw new Error(`no step for the task kind "${task.kind}"`);
        const result = await step(task, deps);
        if (result.done) {
          await finishTask(task);
          summary.finished++;
        } else {
          await checkpointTask(task, result.cursor ?? {}, task.payload);
        }
      } catch (error) {
        summary.failed++;
        const attempts = task.attempts + 1;
        const now = deps.now();
        const retryAt =
          step && attempts < MAX_ATTEMPTS
            ? new Date(now.getTime() + backoffSeconds(attempts) * 1000)
            : undefined;
        logger.error('task step failed', { taskId: task.id, kind: task.kind, attempts, retryAt, error });
        await failTask(task, error instanceof Error ? error.message : String(error), retryAt, now);
      }
    }
    if (!progressed) break;
  }
  return summary;
}

/** Puts every task set aside back in the queue (after the cause was fixed); returns how many. */
export async function replayFailedTasks(
  deps: Deps = defaultDeps,
  only: (task: Task) => boolean = () => true,
): Promise<number> {
  let replayed = 0;
  for (;;) {
    const failed = (await failedTasks(100)).filter(only);
    if (failed.length === 0) return replayed;
    for (const task of failed) {
      await transact(replayTaskWrites(task, deps.now()));
      replayed++;
    }
  }
}
