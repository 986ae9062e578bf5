import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { resetConfig } from '../../shared/config.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { resetMediaStore } from '../../shared/data/media-store.ts';
import type { Task } from '../../shared/data/tasks.ts';
import { deleteObjectsStep, MEDIA_DELETE_TASK, sweepLooseMedia } from '../../shared/domain/media/cleanup.ts';
import { api, getItem, newMember } from '../support/api.ts';
import { eventually } from '../support/events.ts';
import { bucketKeys, readyImage } from '../support/media.ts';
import { useLocalStack } from '../support/personas.ts';

/**
 * Nothing left behind in the bucket (issue 10, ADR 013): objects are deleted by a task queued in
 * the transaction that deletes their media item (an outbox, retried until it succeeds), and an
 * image processed but never attached is swept after a day by the `media.sweep` job.
 */

let member: { id: string; token: string };

const mediaKeyOf = (ownerId: string, mediaId: string) => ({
  pk: `MEMBER#${ownerId}`,
  sk: `MEDIA#${mediaId}`,
});

/** Moves a loose image's place in the sweep's index back by two days (abandoned the day before yesterday). */
async function backdate(ownerId: string, mediaId: string): Promise<void> {
  const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000).toISOString();
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: mediaKeyOf(ownerId, mediaId),
      UpdateExpression: 'SET gsi3sk = :since',
      ConditionExpression: 'gsi3pk = :loose',
      ExpressionAttributeValues: { ':since': `${twoDaysAgo}#${ownerId}#${mediaId}`, ':loose': 'MEDIA#LOOSE' },
    }),
  );
}

function useMediaStore(s3Url: string): void {
  Object.assign(process.env, { S3_ENDPOINT: s3Url, MEDIA_BUCKET: inject('mediaBucket') });
  resetConfig();
  resetMediaStore();
}

beforeAll(async () => {
  useLocalStack();
  useMediaStore(inject('s3Url'));
  member = await newMember();
});

describe('loose images', () => {
  it('lists a processed image as loose until it is attached', async () => {
    const mediaId = await readyImage(member.token, 'avatar');
    const item = await getItem(`MEMBER#${member.id}`, `MEDIA#${mediaId}`);
    expect(item).toMatchObject({ state: 'ready', gsi3pk: 'MEDIA#LOOSE' });
    expect(String(item?.gsi3sk)).toMatch(new RegExp(`#${member.id}#${mediaId}$`));

    const set = await api('/api/me/avatar', { method: 'PUT', token: member.token, body: { mediaId } });
    expect(set.status).toBe(200);
    const attached = await getItem(`MEMBER#${member.id}`, `MEDIA#${mediaId}`);
    expect(attached).toMatchObject({ attachedTo: 'avatar' });
    expect(attached?.gsi3pk).toBeUndefined();
    expect(attached?.gsi3sk).toBeUndefined();
  });

  it('sweeps an image left loose for over a day — item and objects — and nothing fresher', async () => {
    const abandoned = await readyImage(member.token, 'post');
    const fresh = await readyImage(member.token, 'post');
    expect(await bucketKeys(`media/${member.id}/${abandoned}/`)).toHaveLength(4);
    await backdate(member.id, abandoned);

    await sweepLooseMedia();
    expect(await getItem(`MEMBER#${member.id}`, `MEDIA#${abandoned}`)).toBeUndefined();
    // The objects go with the task queued in the sweep's transaction (run by the stack's task job).
    await eventually(
      async () => (await bucketKeys(`media/${member.id}/${abandoned}/`)).length === 0,
      'the abandoned image’s objects deleted',
    );
    // Ready an instant ago: untouched, item and objects.
    expect(await getItem(`MEMBER#${member.id}`, `MEDIA#${fresh}`)).toMatchObject({ gsi3pk: 'MEDIA#LOOSE' });
    expect(await bucketKeys(`media/${member.id}/${fresh}/`)).toHaveLength(4);
  });

  it('never sweeps an image attached after it was found loose', async () => {
    const mediaId = await readyImage(member.token, 'avatar');
    await backdate(member.id, mediaId);
    const set = await api('/api/me/avatar', { method: 'PUT', token: member.token, body: { mediaId } });
    expect(set.status).toBe(200);
    await sweepLooseMedia();
    expect(await getItem(`MEMBER#${member.id}`, `MEDIA#${mediaId}`)).toMatchObject({ attachedTo: 'avatar' });
    expect(await bucketKeys(`media/${member.id}/${mediaId}/`)).toHaveLength(4);
  });
});

describe('the object-deletion task', () => {
  const task = (keys: string[]): Task => ({
    id: 'test',
    kind: MEDIA_DELETE_TASK,
    payload: { keys },
    dueAt: new Date().toISOString(),
    attempts: 0,
    version: 0,
  });

  it('fails while the bucket cannot be reached (so the runner retries it), then deletes the objects', async () => {
    const other = await newMember();
    const mediaId = await readyImage(other.token, 'post');
    const keys = await bucketKeys(`media/${other.id}/${mediaId}/`);
    expect(keys).toHaveLength(4);

    // Storage down for a moment: the step throws, nothing is lost.
    useMediaStore('http://127.0.0.1:9');
    await expect(deleteObjectsStep(task(keys))).rejects.toThrow();
    useMediaStore(inject('s3Url'));
    expect(await bucketKeys(`media/${other.id}/${mediaId}/`)).toHaveLength(4);

    // Back: the step deletes them; repeated (a step redone after a crash), it still succeeds.
    await expect(deleteObjectsStep(task(keys))).resolves.toEqual({ done: true });
    expect(await bucketKeys(`media/${other.id}/${mediaId}/`)).toEqual([]);
    await expect(deleteObjectsStep(task(keys))).resolves.toEqual({ done: true });
  });
});
