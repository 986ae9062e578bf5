import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { api, memberItems, newMember } from '../support/api.ts';
import { eventually } from '../support/events.ts';
import { bucketKeys, fetchImage, gpsJpeg, readyImage, uploadAs } from '../support/media.ts';
import {
  freshSection,
  letterCode,
  letters,
  type Persona,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Photos (issue 10), images in posts: attached by their author with a required alternative
 * text, signed only for readers the policy lets read the post (audience, blocks), and deleted
 * with the post — through the real API, the S3 emulator and its signature guard.
 */

interface ImageView {
  alt: string;
  width: number;
  height: number;
  src: string;
  srcset: string;
  webpSrcset: string;
}
interface PostView {
  id: string;
  images: ImageView[];
}
interface Page {
  items: PostView[];
  cursor: string | null;
}
type ErrorBody = { error?: { code: string; message: string; field?: string } };

const run = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string, extra: Partial<PersonaSpec> = {}): PersonaSpec => ({
  key,
  firstName: 'Iris',
  lastName: `Zz${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: sectionId,
  visibility: 'all',
  signsIn: true,
  ...extra,
});

/** Anything in an answer that would let its reader fetch an image. */
const LEAK = /X-Amz-|media\/|uploads\//;

/** The URLs of a `srcset` (`url 320w, url 640w`). */
const srcsetUrls = (srcset: string) => srcset.split(', ').map((s) => s.split(' ')[0] as string);

async function publish(token: string, body: Record<string, unknown>) {
  return api<PostView & ErrorBody>('/api/posts', { token, body });
}

/** Waits until the fan-out put the post in the reader's fil (the task job runs every second locally). */
async function filOf(p: Persona, postId: string): Promise<PostView | undefined> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const page = await api<Page>('/api/feed', { token: tokenOf(p) });
    const found = page.body.items.find((i) => i.id === postId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 300));
  }
  return undefined;
}

const mediaItem = async (ownerId: string, mediaId: string) =>
  (await memberItems(ownerId)).find((i) => i.type === 'media' && i.id === mediaId);

describe('images in a section-private post', () => {
  it('are signed for the section’s members only, never across a block, and go with the post', async () => {
    const section = await freshSection();
    const other = await freshSection();
    const people = await seedPersonas(
      [
        spec('author', section.id),
        spec('peer', section.id),
        spec('blocked', section.id),
        spec('outsider', other.id),
      ],
      { blocks: [['author', 'blocked']] },
    );
    const p = (k: string) => persona(people, k);
    const author = tokenOf(p('author'));
    const mediaId = await readyImage(author, 'post', await gpsJpeg(900, 600));

    const created = await publish(author, {
      audience: { kind: 'section-private', sectionId: section.id },
      body: 'La photo du tractage de samedi.',
      images: [{ mediaId, alt: '  Six militant·es devant le marché, tracts à la main.  ' }],
    });
    expect(created.status).toBe(201);
    const postId = created.body.id;
    expect(created.body.images).toHaveLength(1);
    expect(created.body.images[0]).toMatchObject({
      alt: 'Six militant·es devant le marché, tracts à la main.',
      width: 640,
      height: 427,
    });
    expect((await mediaItem(p('author').id, mediaId))?.attachedTo).toBe(`post:${postId}`);

    // A member of the section: the post page, the private page and le fil carry the image, and
    // every URL loads it (JPEG and WebP, 320 and 640 wide — no enlargement past 900).
    const peer = tokenOf(p('peer'));
    const page = await api<{ post: PostView }>(`/api/posts/${postId}`, { token: peer });
    expect(page.status).toBe(200);
    const [image] = page.body.post.images as [ImageView];
    expect(image.alt).toBe('Six militant·es devant le marché, tracts à la main.');
    expect(srcsetUrls(image.srcset)).toHaveLength(2);
    expect(srcsetUrls(image.webpSrcset)).toHaveLength(2);
    const src = await fetchImage(image.src);
    expect(src.status).toBe(200);
    expect((await sharp(src.body).metadata()).format).toBe('jpeg');
    expect(Number(new URL(image.src).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(600);
    for (const url of [...srcsetUrls(image.srcset), ...srcsetUrls(image.webpSrcset)])
      expect((await fetchImage(url)).status).toBe(200);
    const privatePage = await api<Page>(`/api/sections/${section.id}/posts?page=private`, { token: peer });
    expect(privatePage.body.items.find((i) => i.id === postId)?.images).toHaveLength(1);
    expect((await filOf(p('peer'), postId))?.images).toHaveLength(1);

    // A member of another section and a member the author blocked: no URL in any answer they
    // can get — the post is a 404, the lists go without it.
    for (const key of ['outsider', 'blocked']) {
      const token = tokenOf(p(key));
      const answers = [
        await api(`/api/posts/${postId}`, { token }),
        await api(`/api/sections/${section.id}/posts?page=private`, { token }),
        await api(`/api/sections/${section.id}/posts`, { token }),
        await api('/api/feed', { token }),
        await api('/api/feed/party', { token }),
        await api(`/api/members/${p('author').id}/posts`, { token }),
        await api(`/api/posts/${postId}/comments`, { token }),
      ];
      expect(answers[0]?.status, key).toBe(404);
      for (const answer of answers) {
        expect(JSON.stringify(answer.body), key).not.toMatch(LEAK);
        expect(JSON.stringify(answer.body), key).not.toContain(postId);
      }
    }
    // Deleting the post deletes the image's objects and its media item; a URL issued before fails.
    const keysBefore = await bucketKeys(`media/${p('author').id}/${mediaId}/`);
    expect(keysBefore).toHaveLength(4);
    expect((await api(`/api/posts/${postId}`, { method: 'DELETE', token: author })).status).toBe(204);
    expect(await mediaItem(p('author').id, mediaId)).toBeUndefined();
    // The objects go with the task queued in the deletion's transaction (media/cleanup.ts).
    await eventually(
      async () => (await bucketKeys(`media/${p('author').id}/${mediaId}/`)).length === 0,
      'the post image’s objects deleted',
    );
    expect(await bucketKeys(`uploads/${p('author').id}/${mediaId}`)).toEqual([]);
    expect((await fetchImage(image.src)).status).not.toBe(200);
  });
});

describe('attaching images', () => {
  const audience = { kind: 'coopains' };

  it('requires an alternative text for every image (nothing is written otherwise)', async () => {
    const member = await newMember({ visibility: 'adherents' });
    const mediaId = await readyImage(member.token, 'post', await gpsJpeg(200, 150));
    for (const images of [[{ mediaId }], [{ mediaId, alt: '' }], [{ mediaId, alt: '   ' }]]) {
      const res = await publish(member.token, { audience, body: 'Sans description', images });
      expect(res.status, JSON.stringify(images)).toBe(400);
      expect(res.body.error?.field).toBe('images.0.alt');
      expect(res.body.error?.message).toMatch(/texte alternatif|obligatoire/);
    }
    const tooLong = await publish(member.token, {
      audience,
      body: 'Trop long',
      images: [{ mediaId, alt: 'x'.repeat(301) }],
    });
    expect(tooLong.status).toBe(400);
    expect((await mediaItem(member.id, mediaId))?.attachedTo ?? null).toBeNull();
    const posts = await api<Page>(`/api/members/${member.id}/posts`, { token: member.token });
    expect(posts.body.items).toEqual([]);
  });

  it('refuses someone else’s image, a profile picture, a duplicate, more than 4, an unprocessed upload', async () => {
    const owner = await newMember({ visibility: 'adherents' });
    const thief = await newMember({ visibility: 'adherents' });
    const theirs = await readyImage(owner.token, 'post', await gpsJpeg(200, 150));
    const stolen = await publish(thief.token, {
      audience,
      body: 'Pas à moi',
      images: [{ mediaId: theirs, alt: 'Une image' }],
    });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toMatchObject({ code: 'post.image_not_allowed', field: 'images' });
    expect(stolen.body.error?.message).toMatch(/ne peut pas être jointe/);
    expect((await mediaItem(owner.id, theirs))?.attachedTo ?? null).toBeNull();

    const avatar = await readyImage(thief.token, 'avatar', await gpsJpeg(200, 150));
    const asAvatar = await publish(thief.token, {
      audience,
      body: 'Une photo de profil',
      images: [{ mediaId: avatar, alt: 'Portrait' }],
    });
    expect(asAvatar.body.error?.code).toBe('post.image_not_allowed');

    const mine = await readyImage(thief.token, 'post', await gpsJpeg(200, 150));
    const twice = await publish(thief.token, {
      audience,
      body: 'Deux fois',
      images: [
        { mediaId: mine, alt: 'Une' },
        { mediaId: mine, alt: 'La même' },
      ],
    });
    expect(twice.body.error?.code).toBe('post.image_not_allowed');

    const five = await publish(thief.token, {
      audience,
      body: 'Cinq',
      images: Array.from({ length: 5 }, () => ({ mediaId: mine, alt: 'Une' })),
    });
    expect(five.status).toBe(400);
    expect(five.body.error?.message).toMatch(/4 images au plus/);

    const pending = (await uploadAs(thief.token, await gpsJpeg(100, 100))).mediaId;
    const unprocessed = await publish(thief.token, {
      audience,
      body: 'Pas prête',
      images: [{ mediaId: pending, alt: 'Pas prête' }],
    });
    expect(unprocessed.body.error?.code).toBe('post.image_not_allowed');
    const posts = await api<Page>(`/api/members/${thief.id}/posts`, { token: thief.token });
    expect(posts.body.items).toEqual([]);
    expect((await mediaItem(thief.id, mine))?.attachedTo ?? null).toBeNull();
  });

  it('attaches an image to one post only, even when two posts race for it', async () => {
    const member = await newMember({ visibility: 'adherents' });
    const mediaId = await readyImage(member.token, 'post', await gpsJpeg(200, 150));
    const images = [{ mediaId, alt: 'Le local de la section' }];
    const results = await Promise.all([
      publish(member.token, { audience, body: 'Premier', images }),
      publish(member.token, { audience, body: 'Second', images }),
    ]);
    // The loser is told the image is taken (400) or, if DynamoDB saw both at once, to retry (409).
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    expect([400, 409]).toContain(statuses[1]);
    const winner = results.find((r) => r.status === 201)?.body.id;
    expect((await mediaItem(member.id, mediaId))?.attachedTo).toBe(`post:${winner}`);
    const posts = await api<Page>(`/api/members/${member.id}/posts`, { token: member.token });
    expect(posts.body.items.map((i) => i.id)).toEqual([winner]);
    // Once attached, a later post cannot take it either.
    const later = await publish(member.token, { audience, body: 'Troisième', images });
    expect(later.body.error?.code).toBe('post.image_not_allowed');
  });
});
