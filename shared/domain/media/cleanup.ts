import { failedConditionIndex, type TxWrite, transact } from '../../data/client.ts';
import { deleteLooseMediaWrite, looseMediaBefore } from '../../data/media.ts';
import { deleteObjects, mediaObjectKeys } from '../../data/media-store.ts';
import { queueTaskWrite, type Task } from '../../data/tasks.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/**
 * Nothing left behind in the bucket (ADR 013). Objects are never deleted by a request after its
 * transaction, where a failure would leave them orphaned: the transaction that deletes a media
 * item (a post deleted, a profile picture replaced or removed, a loose image swept) queues a
 * `media.delete` task with the item's object keys — an outbox — and the task job deletes them,
 * retried with backoff and set aside for replay after its last attempt, never dropped. Deleting
 * an object that is already gone succeeds, so a step redone changes nothing.
 */
export const MEDIA_DELETE_TASK = 'media.delete';

/** The writes that delete these objects once the caller's transaction commits (none for no key). */
export function deleteObjectsLater(keys: readonly string[], deps: Deps = defaultDeps): TxWrite[] {
  if (keys.length === 0) return [];
  return [
    queueTaskWrite({ id: deps.newId(), kind: MEDIA_DELETE_TASK, payload: { keys: [...keys] } }, deps.now()),
  ];
}

/** The task's one step: delete the keys (DeleteObjects, 1,000 a call). */
export async function deleteObjectsStep(task: Task): Promise<{ done: boolean }> {
  const keys = Array.isArray(task.payload.keys) ? task.payload.keys.map(String) : [];
  await deleteObjects(keys);
  return { done: true };
}

/** An image processed but attached to nothing (a composer abandoned) is swept after a day. */
export const LOOSE_MEDIA_HOURS = 24;

/**
 * The `media.sweep` job: every image that became ready more than a day ago and was never attached
 * (MD3, a sparse index of loose images, oldest first) is deleted — its item, conditionally on it
 * still being loose (attached meanwhile: left alone), with its objects' task in one transaction.
 */
export async function sweepLooseMedia(
  deps: Deps = defaultDeps,
  opts: { pageSize?: number; maxPages?: number } = {},
): Promise<{ swept: number }> {
  const before = new Date(deps.now().getTime() - LOOSE_MEDIA_HOURS * 3600 * 1000).toISOString();
  const pageSize = opts.pageSize ?? 100;
  let swept = 0;
  // Each page re-reads the index from its start: what was swept or attached has left it.
  for (let page = 0; page < (opts.maxPages ?? 10); page++) {
    const loose = await looseMediaBefore(before, { limit: pageSize });
    for (const media of loose) {
      try {
        await transact([
          deleteLooseMediaWrite(media),
          ...deleteObjectsLater(mediaObjectKeys(media.ownerId, media.id, media.variants), deps),
        ]);
        swept++;
      } catch (error) {
        // Attached (or deleted) since the index was read: nothing to sweep.
        if (failedConditionIndex(error) !== 0) throw error;
      }
    }
    if (loose.length < pageSize) break;
  }
  return { swept };
}
