import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { queueTaskWrite, type Task } from '../../shared/data/tasks.ts';
import type { Deps } from '../../shared/domain/deps.ts';
import { MAX_ATTEMPTS, replayFailedTasks, runTasks, STEPS, type Step } from '../../shared/tasks/runner.ts';
import { getItem } from '../support/api.ts';
import { useLocalStack } from '../support/personas.ts';

/**
 * The task runner (ADR 007) on DynamoDB Local. These tasks are due in 2100, so the local stack's
 * own scheduler (running beside the tests) never takes them; the runner here runs on a clock set
 * there and moved forward by hand.
 */

function clock(start = Date.parse('2100-01-01T00:00:00Z')) {
  let t = start;
  const deps: Deps = { now: () => new Date(t), newId: ulid };
  return { deps, advance: (seconds: number) => (t += seconds * 1000), at: () => new Date(t) };
}

async function queue(kind: string, payload: Record<string, unknown>, at: Date): Promise<string> {
  useLocalStack();
  const id = ulid();
  await transact([queueTaskWrite({ id, kind, payload }, at)]);
  return id;
}

const taskItem = (id: string) => getItem('TASKS', id);
/** Only this file's tasks: the local stack's own tasks are left to its own runner. */
const only = (t: Task) => t.kind.startsWith('test.');

describe('background tasks', () => {
  it('runs a task a page at a time, checkpointing its cursor, and removes it when done', async () => {
    const time = clock();
    const kind = `test.pages.${ulid()}`;
    const seen: unknown[] = [];
    const step: Step = async (task: Task) => {
      seen.push(task.cursor ?? null);
      const page = Number(task.cursor?.page ?? 0) + 1;
      return page < 3 ? { done: false, cursor: { page } } : { done: true };
    };
    const id = await queue(kind, { what: 'pages' }, time.at());
    const summary = await runTasks({ budgetMs: 20_000, steps: { ...STEPS, [kind]: step }, only }, time.deps);
    expect(seen).toEqual([null, { page: 1 }, { page: 2 }]);
    expect(summary).toMatchObject({ steps: 3, finished: 1, failed: 0 });
    expect(await taskItem(id)).toBeUndefined();
  });

  it('retries a failed step with backoff, keeps a task whose attempts are exhausted, and replays it', async () => {
    const time = clock(Date.parse('2100-02-01T00:00:00Z'));
    const kind = `test.flaky.${ulid()}`;
    let healthy = false;
    let runs = 0;
    const step: Step = async (task) => {
      runs++;
      if (!healthy) throw new Error('SES en panne');
      return task.cursor ? { done: true } : { done: false, cursor: { page: 1 } };
    };
    const steps = { ...STEPS, [kind]: step };
    const id = await queue(kind, {}, time.at());

    await runTasks({ budgetMs: 20_000, steps, only }, time.deps);
    expect(runs).toBe(1);
    expect(await taskItem(id)).toMatchObject({ attempts: 1, lastError: 'SES en panne' });
    // Not due again before its backoff (10 s after the first failure).
    time.advance(5);
    await runTasks({ budgetMs: 20_000, steps, only }, time.deps);
    expect(runs).toBe(1);

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      time.advance(3600);
      await runTasks({ budgetMs: 20_000, steps, only }, time.deps);
    }
    expect(runs).toBe(MAX_ATTEMPTS);
    expect(await taskItem(id)).toBeUndefined();
    expect(await getItem('TASKS#FAILED', id)).toMatchObject({ kind, attempts: MAX_ATTEMPTS });

    // The cause is fixed: replayed, the task runs to its end.
    healthy = true;
    expect(await replayFailedTasks(time.deps, only)).toBeGreaterThanOrEqual(1);
    expect(await getItem('TASKS#FAILED', id)).toBeUndefined();
    await runTasks({ budgetMs: 20_000, steps, only }, time.deps);
    expect(runs).toBe(MAX_ATTEMPTS + 2);
    expect(await taskItem(id)).toBeUndefined();
  });

  it('sets aside a task of an unknown kind at once (nothing to retry)', async () => {
    const time = clock(Date.parse('2100-03-01T00:00:00Z'));
    const id = await queue(`test.unknown.${ulid()}`, {}, time.at());
    await runTasks({ budgetMs: 20_000, only }, time.deps);
    expect(await taskItem(id)).toBeUndefined();
    expect(await getItem('TASKS#FAILED', id)).toMatchObject({ attempts: 1 });
  });
});
