import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  db,
  failedConditionIndex,
  isConditionFailure,
  queryPage,
  type TxWrite,
  tableName,
  transact,
} from './client.ts';

/**
 * T1 — background tasks (ADR 007): bulk work a request must not do itself (a section-wide
 * message, later feed fan-out), queued in the transaction of the action that asks for it and
 * run in pages by the task job. One partition, ordered by id (a ULID: first queued, first run);
 * tasks are deleted when done, so the partition holds only the work in progress.
 */

const PARTITION = 'TASKS';
const FAILED_PARTITION = 'TASKS#FAILED';

export interface Task {
  id: string;
  kind: string;
  /** What the kind's step needs; plain JSON. */
  payload: Record<string, unknown>;
  /** Where the next step starts (a DynamoDB key of the list being walked), or none yet. */
  cursor?: Record<string, unknown>;
  /** ISO time before which the task is not run (backoff after a failure). */
  dueAt: string;
  /** Failed steps so far. */
  attempts: number;
  /** Bumped by every checkpoint: a runner whose claim expired cannot overwrite a newer one. */
  version: number;
  /** A runner holds the task until then. */
  claimedUntil?: string;
  lastError?: string;
}

function taskFrom(i: Record<string, unknown>): Task {
  return {
    id: String(i.id),
    kind: String(i.kind),
    payload: (i.payload as Record<string, unknown>) ?? {},
    ...(i.cursor ? { cursor: i.cursor as Record<string, unknown> } : {}),
    dueAt: String(i.dueAt),
    attempts: typeof i.attempts === 'number' ? i.attempts : 0,
    version: typeof i.version === 'number' ? i.version : 0,
    ...(typeof i.claimedUntil === 'string' ? { claimedUntil: i.claimedUntil } : {}),
    ...(typeof i.lastError === 'string' ? { lastError: i.lastError } : {}),
  };
}

/** Queues a task, to be written in the transaction of the action that asks for it. */
export function queueTaskWrite(
  task: { id: string; kind: string; payload: Record<string, unknown> },
  at: Date,
): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: PARTITION,
        sk: task.id,
        type: 'task',
        ...task,
        dueAt: at.toISOString(),
        attempts: 0,
        version: 0,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * T1 — tasks due now and not held by another runner, oldest first (strongly consistent). The
 * partition holds only work in progress, so reading past tasks waiting for a retry is cheap.
 */
export async function dueTasks(now: Date, limit: number): Promise<Task[]> {
  const at = now.toISOString();
  const due: Task[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryPage({
      partition: PARTITION,
      limit: 100,
      startKey,
      consistent: true,
      filter: {
        expression: 'dueAt <= :now AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        values: { ':now': at },
      },
    });
    due.push(...page.items.map(taskFrom));
    startKey = page.lastKey;
  } while (startKey && due.length < limit);
  return due.slice(0, limit);
}

/**
 * Takes the task for `holdSeconds` if nobody holds it and it has not moved on since it was read.
 * Returns the claimed task, or undefined when another runner was faster.
 */
export async function claimTask(task: Task, now: Date, holdSeconds: number): Promise<Task | undefined> {
  const until = new Date(now.getTime() + holdSeconds * 1000).toISOString();
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: PARTITION, sk: task.id },
        UpdateExpression: 'SET claimedUntil = :until',
        ConditionExpression: 'version = :v AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        ExpressionAttributeValues: { ':until': until, ':v': task.version, ':now': now.toISOString() },
      }),
    );
    return { ...task, claimedUntil: until };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Records a step's progress and releases the task for its next step. False if the claim was lost
 * (the step's writes are idempotent, so the runner that holds it now simply redoes the page).
 */
export async function checkpointTask(
  task: Task,
  cursor: Record<string, unknown>,
  payload: Record<string, unknown>,
): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: PARTITION, sk: task.id },
        UpdateExpression: 'SET #cursor = :cursor, payload = :payload, version = :next REMOVE claimedUntil',
        ConditionExpression: 'version = :v',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: {
          ':cursor': cursor,
          ':payload': payload,
          ':v': task.version,
          ':next': task.version + 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The task is done: it leaves the queue. */
export async function finishTask(task: Task): Promise<void> {
  try {
    await db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: { pk: PARTITION, sk: task.id },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': task.version },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** A step failed: run it again after `retryAt`, or, once attempts are exhausted, keep it aside for replay. */
export async function failTask(
  task: Task,
  error: string,
  retryAt: Date | undefined,
  now: Date,
): Promise<void> {
  const attempts = task.attempts + 1;
  if (retryAt) {
    await db()
      .send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: PARTITION, sk: task.id },
          UpdateExpression:
            'SET attempts = :attempts, dueAt = :due, lastError = :error, version = :next REMOVE claimedUntil',
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: {
            ':attempts': attempts,
            ':due': retryAt.toISOString(),
            ':error': error,
            ':v': task.version,
            ':next': task.version + 1,
          },
        }),
      )
      .catch((e: unknown) => {
        if (!isConditionFailure(e)) throw e;
      });
    return;
  }
  // Exhausted: moved to the failed list (T2) in one transaction, never dropped.
  const { claimedUntil: _, ...kept } = task;
  await transact([
    {
      Delete: {
        TableName: tableName(),
        Key: { pk: PARTITION, sk: task.id },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': task.version },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk: FAILED_PARTITION,
          sk: task.id,
          type: 'failed-task',
          ...kept,
          attempts,
          lastError: error,
          failedAt: now.toISOString(),
        },
      },
    },
  ]).catch((e: unknown) => {
    // Another runner moved it on meanwhile: nothing to keep from this attempt.
    if (failedConditionIndex(e) !== 0) throw e;
  });
}

/** T2 — tasks whose attempts were exhausted, kept for replay. */
export async function failedTasks(limit: number): Promise<Task[]> {
  const page = await queryPage({ partition: FAILED_PARTITION, limit, consistent: true });
  return page.items.map(taskFrom);
}

/** Puts a failed task back in the queue, due now, with its progress and a fresh attempt count. */
export function replayTaskWrites(task: Task, now: Date): TxWrite[] {
  return [
    { Delete: { TableName: tableName(), Key: { pk: FAILED_PARTITION, sk: task.id } } },
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk: PARTITION,
          sk: task.id,
          type: 'task',
          id: task.id,
          kind: task.kind,
          payload: task.payload,
          ...(task.cursor ? { cursor: task.cursor } : {}),
          dueAt: now.toISOString(),
          attempts: 0,
          version: task.version + 1,
        },
      },
    },
  ];
}

/**
 * The keys of queued or set-aside tasks about a member (erasure): a notification email waiting
 * for them, say. Both partitions hold only work in progress, so they are read whole; `except` is
 * the erasure task itself.
 */
export async function tasksReferencing(
  memberId: string,
  except: string,
): Promise<{ pk: string; sk: string }[]> {
  const found: { pk: string; sk: string }[] = [];
  for (const partition of [PARTITION, FAILED_PARTITION]) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryPage({ partition, limit: 500, consistent: true, startKey });
      for (const i of page.items)
        if (i.id !== except && JSON.stringify(i.payload ?? {}).includes(memberId))
          found.push({ pk: String(i.pk), sk: String(i.sk) });
      startKey = page.lastKey;
    } while (startKey);
  }
  return found;
}
