import { mayReadContent } from '../../auth/policy.ts';
import { putAll } from '../../data/client.ts';
import { getMembers, getMemberWithBlocks } from '../../data/members.ts';
import { getPostItem, timelineWrites } from '../../data/posts.ts';
import type { Task } from '../../data/tasks.ts';
import { circlePage } from '../circles.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/** The background task that writes a post into its readers' timelines (ADR 003, ADR 007). */
export const POST_FANOUT_TASK = 'post-fanout';

/** Readers handled per step of the fan-out task. */
const PAGE = 100;

/**
 * One step of a post's fan-out (ADR 003, ADR 007): the next page of its possible readers — the
 * section's roster for a section page, the group's members, the author's coopains (for a post to
 * coopains, to the adherents or to every member) — each checked
 * with the one policy (base items, not the index), and a timeline entry for each reader
 * (BatchWrite; the entry's key is deterministic, so a step run twice writes the same items).
 * A post deleted meanwhile stops the fan-out; entries already written are dropped at read time.
 */
export async function fanOutPostPage(
  task: Pick<Task, 'payload' | 'cursor'>,
  deps: Deps = defaultDeps,
): Promise<{ done: boolean; cursor?: Record<string, unknown>; written: number }> {
  const postId = String(task.payload.postId ?? '');
  const post = await getPostItem(postId);
  if (!post || post.deleted) return { done: true, written: 0 };
  const author = await getMemberWithBlocks(post.authorId);
  if (!author) return { done: true, written: 0 };
  const a = post.audience;
  // The section's roster, the group's members, or the author's coopains (for a post to coopains,
  // to the adherents or to every member, which are not fanned out to the whole party).
  const { ids, lastKey } = await circlePage(a, post.authorId, {
    limit: PAGE,
    ...(task.cursor ? { startKey: task.cursor } : {}),
  });

  const now = deps.now();
  const readers = [...(await getMembers(ids.filter((id) => id !== post.authorId))).values()].filter(
    (reader) =>
      mayReadContent(
        reader,
        author.member,
        a,
        {
          // The author's coopain set and block lists say it both ways.
          coopains: author.coopains.has(reader.id),
          blocked: author.blocks.blocks.has(reader.id) || author.blocks.blockedBy.has(reader.id),
          // Readers of a group page come from its active members.
          ...(a.kind === 'group'
            ? { group: { groupId: a.groupId, memberId: reader.id, role: 'member', status: 'active', at: '' } }
            : {}),
        },
        now,
      ),
  );
  await putAll(
    timelineWrites(
      readers.map((r) => r.id),
      post,
    ),
  );
  return { done: !lastKey, ...(lastKey ? { cursor: lastKey } : {}), written: readers.length };
}
