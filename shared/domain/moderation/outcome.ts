import { failedConditionIndex, transact } from '../../data/client.ts';
import { closeReportWrites, openReportsOf } from '../../data/moderation.ts';
import type { Task } from '../../data/tasks.ts';
import { notifyAsCoopilotes } from '../../notifications/notify.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** The background task that closes a decided target's reports and tells each reporter (ADR 007). */
export const REPORT_OUTCOME_TASK = 'report-outcome';

const PAGE = 50;

/**
 * One step: the next page of the target's reports. Each report made before the decision is closed
 * with its outcome, its reporter's guard dropped (they may report the target again) and the
 * reporter told — « examiné, mesures prises » or « pas de manquement relevé », never the sanction
 * itself — in one transaction per report, conditional on the report still being open, so that a
 * step run twice tells nobody twice.
 */
export async function closeReportsPage(
  task: Pick<Task, 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown>; told: number }> {
  const target = String(task.payload.target ?? '');
  const outcome = task.payload.outcome === 'actioned' ? 'actioned' : 'dismissed';
  const decidedAt = String(task.payload.decidedAt ?? '');
  const page = await openReportsOf(target, {
    limit: PAGE,
    ...(task.cursor ? { startKey: task.cursor } : {}),
  });
  let told = 0;
  for (const report of page.items) {
    // A report made after the decision waits for the next one.
    if (report.at > decidedAt) continue;
    try {
      await transact([
        ...closeReportWrites(report, outcome),
        ...notifyAsCoopilotes(report.reporterId, 'report.outcome', deps, { outcome, target }),
      ]);
      told++;
    } catch (error) {
      if (failedConditionIndex(error) !== 0) throw error;
    }
  }
  return { done: !page.lastKey, ...(page.lastKey ? { cursor: page.lastKey } : {}), told };
}
