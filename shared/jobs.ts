/**
 * The job table: scheduled functions, as `shared/routes.ts` is for HTTP routes. CDK (infra/)
 * creates one function and one EventBridge Scheduler schedule per entry; the local stack runs
 * the same handlers on a timer (scripts/local/scheduler.ts). Plain data only — no imports.
 */
import type { Capability } from './routes.ts';

export interface JobDef {
  readonly id: string;
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly handler: `functions/jobs/${string}.ts`;
  readonly description: string;
  /** In AWS: every `everyMinutes` minutes. */
  readonly everyMinutes: number;
  /** Locally (`npm start` and the tests): every `localEverySeconds` seconds, so work shows at once. */
  readonly localEverySeconds: number;
  /** The function's timeout; the handler keeps its own budget below it. */
  readonly timeoutSeconds: number;
  readonly uses: readonly Capability[];
}

export const jobs = [
  {
    id: 'tasks.run',
    handler: 'functions/jobs/run-tasks.ts',
    description:
      'Job: run queued background tasks (section messages, fan-outs, notification emails, report outcomes, account erasure, image deletions)',
    everyMinutes: 1,
    localEverySeconds: 1,
    timeoutSeconds: 300,
    // `cognito`: the account erasure deletes the member's Cognito user; `media:delete`: and the
    // objects of their images (issue 10).
    uses: ['table:write', 'email', 'cognito', 'media:delete'],
  },
  {
    id: 'digests.run',
    handler: 'functions/jobs/run-digests.ts',
    description: 'Job: daily and weekly notification digests (07:00 Paris; Mondays for the weekly)',
    everyMinutes: 60,
    localEverySeconds: 60,
    timeoutSeconds: 900,
    uses: ['table:write', 'email'],
  },
  {
    id: 'suspensions.expire',
    handler: 'functions/jobs/expire-suspensions.ts',
    description: 'Job: timed suspensions whose end has passed become active again (SPEC §6)',
    everyMinutes: 15,
    localEverySeconds: 5,
    timeoutSeconds: 120,
    uses: ['table:write'],
  },
  {
    id: 'stats.run',
    handler: 'functions/jobs/run-section-stats.ts',
    description: 'Job: recompute the dashboard aggregate of every section a change marked (issue 11)',
    everyMinutes: 1,
    localEverySeconds: 2,
    timeoutSeconds: 120,
    uses: ['table:write'],
  },
  {
    id: 'stats.sweep',
    handler: 'functions/jobs/sweep-section-stats.ts',
    description: 'Job: mark every section for a recompute, so that calendar-bound figures move daily',
    everyMinutes: 1440,
    localEverySeconds: 3600,
    timeoutSeconds: 300,
    uses: ['table:write'],
  },
  {
    id: 'media.sweep',
    handler: 'functions/jobs/sweep-media.ts',
    description: 'Job: delete images processed over a day ago and attached to nothing (issue 10)',
    everyMinutes: 60,
    localEverySeconds: 600,
    timeoutSeconds: 120,
    // The objects are deleted by the task it queues (tasks.run holds `media:delete`).
    uses: ['table:write'],
  },
] as const satisfies readonly JobDef[];
