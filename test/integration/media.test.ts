import { crc32 } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { resetConfig } from '../../shared/config.ts';
import { resetMediaStore, signedReadUrl } from '../../shared/data/media-store.ts';
import { api, getItem, memberItems, newMember } from '../support/api.ts';
import { eventually } from '../support/events.ts';
import {
  bucketClient,
  bucketKeys,
  fetchImage,
  gpsJpeg,
  hasGpsIfd,
  type ImageView,
  memberObjectKeys,
  processAs,
  readyImage,
  uploadAs,
  urlsOf,
} from '../support/media.ts';
import { freshSection, letters, persona, seedPersonas, tokenOf, useLocalStack } from '../support/personas.ts';

/**
 * Photos (issue 10), processing: what goes into the bucket from the browser is decoded and
 * re-encoded on the server; what is stored carries no metadata; what is not an acceptable image
 * is refused with a French message and leaves nothing behind — read back from the S3 emulator.
 */

let member: { id: string; token: string };

beforeAll(async () => {
  member = await newMember();
});

async function object(key: string): Promise<Buffer> {
  const out = await bucketClient().send(new GetObjectCommand({ Bucket: inject('mediaBucket'), Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray: () => Promise<Uint8Array> }).transformToByteArray(),
  );
}

const mediaItems = async (memberId: string) =>
  (await memberItems(memberId)).filter((i) => i.type === 'media');

/** A valid 1×1 PNG whose header then claims `width`×`height` (its CRC recomputed): a decompression bomb's header. */
async function bombPng(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  const out = Buffer.from(png);
  // Signature (8) then the IHDR chunk: length (4), type (4), data (13), CRC (4).
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

describe('a JPEG with GPS EXIF', () => {
  it('is stored only as re-encoded variants that carry no metadata at all', async () => {
    const jpeg = await gpsJpeg(900, 600);
    const meta = await sharp(jpeg).metadata();
    expect(hasGpsIfd(meta.exif)).toBe(true);
    expect(meta.exif?.toString('latin1')).toContain('SondeGPS');

    const { mediaId, putStatus } = await uploadAs(member.token, jpeg, { purpose: 'post' });
    expect(putStatus).toBe(200);
    expect(await bucketKeys(`uploads/${member.id}/${mediaId}`)).toHaveLength(1);

    const done = await processAs(member.token, mediaId);
    expect(done.status).toBe(200);
    expect(done.body.media).toMatchObject({ id: mediaId, state: 'ready' });
    expect(JSON.stringify(done.body)).not.toMatch(/uploads\/|media\/|X-Amz/);

    // The raw upload is gone; the variants are there: 320 and 640 wide (no enlargement to 1280).
    expect(await bucketKeys(`uploads/${member.id}/`)).toEqual([]);
    const keys = (await bucketKeys(`media/${member.id}/${mediaId}/`)).sort();
    expect(keys.map((k) => k.split('/').at(-1))).toEqual(['320.jpg', '320.webp', '640.jpg', '640.webp']);
    for (const key of keys) {
      const body = await object(key);
      const stored = await sharp(body).metadata();
      expect(stored.format).toBe(key.endsWith('.webp') ? 'webp' : 'jpeg');
      expect(stored.width).toBe(Number(key.split('/').at(-1)?.split('.')[0]));
      expect(stored.exif).toBeUndefined();
      expect(stored.xmp).toBeUndefined();
      expect(stored.iptc).toBeUndefined();
      expect(stored.icc).toBeUndefined();
      expect(body.includes(Buffer.from('SondeGPS'))).toBe(false);
    }
    const [item] = (await mediaItems(member.id)).filter((i) => i.id === mediaId);
    expect(item).toMatchObject({ state: 'ready', purpose: 'post', ownerId: member.id });
    expect(item?.expiresAt).toBeUndefined();
  });

  it('is turned upright from its EXIF orientation', async () => {
    // 600×300 landscape pixels tagged "rotate 90°": shown as a 300×600 portrait.
    const tagged = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#c33' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(tagged).metadata()).orientation).toBe(6);
    const { mediaId } = await uploadAs(member.token, tagged, { purpose: 'post' });
    expect((await processAs(member.token, mediaId)).status).toBe(200);
    const stored = await sharp(await object(`media/${member.id}/${mediaId}/320.webp`)).metadata();
    expect([stored.width, stored.height]).toEqual([300, 600]);
    expect(stored.orientation).toBeUndefined();
  });
});

describe('the upload URL', () => {
  it('accepts only the declared type and size', async () => {
    const jpeg = await gpsJpeg(200, 100);
    const { ticket } = await uploadAs(member.token, jpeg, { purpose: 'post' });
    const url = new URL(ticket.upload.url);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    const longer = await fetch(url, {
      method: 'PUT',
      headers: ticket.upload.headers,
      body: new Uint8Array(Buffer.concat([jpeg, Buffer.alloc(10)])),
    });
    expect(longer.status).toBe(403);
    const otherType = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/html' },
      body: new Uint8Array(jpeg),
    });
    expect(otherType.status).toBe(403);
    // Unsigned access to the bucket is refused: it is never public.
    expect(
      (
        await fetch(
          `${inject('s3Url')}/${inject('mediaBucket')}/${ticket.upload.url.split('?')[0]?.split(`/${inject('mediaBucket')}/`)[1]}`,
        )
      ).status,
    ).toBe(403);
  });

  it('is not handed out for a file over 10 MB or of another type', async () => {
    const big = await api('/api/media/uploads', {
      token: member.token,
      body: { purpose: 'post', contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1 },
    });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toContain('10 Mo');
    const gif = await api('/api/media/uploads', {
      token: member.token,
      body: { purpose: 'post', contentType: 'image/gif', size: 1000 },
    });
    expect(gif.status).toBe(400);
    expect(JSON.stringify(gif.body)).toContain('JPEG, PNG ou WebP');
  });
});

describe('refusals leave nothing behind', () => {
  async function refused(body: Buffer, opts: { contentType?: string } = {}) {
    const before = await bucketKeys();
    const { mediaId, putStatus } = await uploadAs(member.token, body, { purpose: 'post', ...opts });
    expect(putStatus).toBe(200);
    const res = await processAs(member.token, mediaId);
    const after = await bucketKeys();
    return { res, mediaId, added: after.filter((k) => !before.includes(k)) };
  }

  it('refuses a text file renamed .jpg', async () => {
    const { res, mediaId, added } = await refused(Buffer.from('Ceci n’est pas une photo.\n'.repeat(40)));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'media.not_an_image' });
    expect(res.body.error?.message).toMatch(/n’est pas une image/);
    expect(added.filter((k) => k.includes(mediaId))).toEqual([]);
    expect((await mediaItems(member.id)).some((i) => i.id === mediaId)).toBe(false);
  });

  it('refuses a decompression bomb (a tiny PNG declaring 20000×20000)', async () => {
    const bomb = await bombPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200);
    expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(20_000);
    const { res, mediaId, added } = await refused(bomb, { contentType: 'image/png' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'media.too_many_pixels' });
    expect(res.body.error?.message).toMatch(/40 mégapixels/);
    expect(added.filter((k) => k.includes(mediaId))).toEqual([]);
    expect((await mediaItems(member.id)).some((i) => i.id === mediaId)).toBe(false);
  });

  it('refuses an image of another format (a GIF sent as JPEG)', async () => {
    const gif = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#00f' } })
      .gif()
      .toBuffer();
    const { res, mediaId, added } = await refused(gif);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'media.bad_type' });
    expect(added.filter((k) => k.includes(mediaId))).toEqual([]);
  });

  it('refuses an object over 10 MB found in the bucket (HeadObject before any read)', async () => {
    // The signed length stops a browser from sending more than it declared; an object that got
    // there anyway (here written straight to the emulator) is still refused and deleted.
    const small = await gpsJpeg(100, 100);
    const before = await bucketKeys();
    const { mediaId } = await uploadAs(member.token, small, { purpose: 'post' });
    const [key] = await bucketKeys(`uploads/${member.id}/${mediaId}`);
    expect(key).toBeDefined();
    await bucketClient().send(
      new PutObjectCommand({
        Bucket: inject('mediaBucket'),
        Key: key,
        Body: Buffer.alloc(10 * 1024 * 1024 + 1, 0xff),
        ContentType: 'image/jpeg',
      }),
    );
    const res = await processAs(member.token, mediaId);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'media.too_large' });
    expect(res.body.error?.message).toMatch(/10 Mo/);
    expect((await bucketKeys()).filter((k) => !before.includes(k))).toEqual([]);
    expect((await mediaItems(member.id)).some((i) => i.id === mediaId)).toBe(false);
  });
});

describe('another member', () => {
  it('cannot process my upload', async () => {
    const other = await newMember();
    const { mediaId } = await uploadAs(member.token, await gpsJpeg(120, 80), { purpose: 'post' });
    const res = await processAs(other.token, mediaId);
    expect(res.status).toBe(404);
    expect(await bucketKeys(`media/${member.id}/${mediaId}`)).toEqual([]);
  });
});

describe('profile pictures', () => {
  it('are signed for whoever may see the profile, never for an outside member of a hidden one', async () => {
    const section = await freshSection();
    const elsewhere = await freshSection();
    const people = await seedPersonas([
      {
        key: 'hidden',
        firstName: 'Discrète',
        lastName: `Zz${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'section',
        signsIn: true,
      },
      {
        key: 'secretary',
        firstName: 'Solène',
        lastName: `Zz${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: section.id,
        visibility: 'adherents',
        roles: { secretaryOf: [section.id] },
        signsIn: true,
      },
      {
        key: 'outsider',
        firstName: 'Octave',
        lastName: `Zz${letters(8)}`,
        membership: 'adherent',
        confirmed: true,
        section: null,
        ownSection: elsewhere.id,
        visibility: 'all',
        signsIn: true,
      },
    ]);
    const hidden = persona(people, 'hidden');
    const mediaId = await readyImage(tokenOf(hidden), 'avatar', await gpsJpeg(640, 480));
    const set = await api<{ avatar: ImageView }>('/api/me/avatar', {
      method: 'PUT',
      token: tokenOf(hidden),
      body: { mediaId },
    });
    expect(set.status).toBe(200);
    expect(set.body.avatar.webp.map((s) => s.width)).toEqual([96, 256]);

    // The member and their secretary get signed URLs that load the square variants.
    const own = await api<{ member: { avatar: ImageView } }>('/api/me', { token: tokenOf(hidden) });
    expect(urlsOf(own.body.member.avatar)).toHaveLength(4);
    const bySecretary = await api<{ member: { avatar: ImageView } }>(`/api/members/${hidden.id}`, {
      token: tokenOf(persona(people, 'secretary')),
    });
    expect(bySecretary.status).toBe(200);
    const urls = urlsOf(bySecretary.body.member.avatar);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect(Number(new URL(url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(600);
      const image = await fetchImage(url);
      expect(image.status).toBe(200);
      const meta = await sharp(image.body).metadata();
      expect(meta.width).toBe(meta.height);
      expect(meta.exif).toBeUndefined();
    }

    // An outside member gets the same 404 as for nobody, and no URL anywhere in it.
    const byOutsider = await api(`/api/members/${hidden.id}`, {
      token: tokenOf(persona(people, 'outsider')),
    });
    expect(byOutsider.status).toBe(404);
    expect(JSON.stringify(byOutsider.body)).not.toMatch(/X-Amz|media\/|uploads\//);

    // A URL is good for its own key only, and not without its signature.
    const [first] = urls as [string];
    const otherKey = first.replace(/\/(96|256)\.(webp|jpg)\?/, '/256.png?');
    expect((await fetchImage(otherKey)).status).toBe(403);
    expect((await fetchImage(first.split('?')[0] as string)).status).toBe(403);
  });

  it('stop working once the signed URL has expired', async () => {
    useLocalStack();
    Object.assign(process.env, { S3_ENDPOINT: inject('s3Url'), MEDIA_BUCKET: inject('mediaBucket') });
    resetConfig();
    resetMediaStore();
    const [key] = await bucketKeys(`media/${member.id}/`);
    expect(key).toBeDefined();
    const url = await signedReadUrl(String(key), 1);
    expect((await fetchImage(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetchImage(url)).status).toBe(403);
  });

  it('replacing or removing the picture deletes the old objects (by the task queued with the change)', async () => {
    const someone = await newMember();
    const first = await readyImage(someone.token, 'avatar');
    await api('/api/me/avatar', { method: 'PUT', token: someone.token, body: { mediaId: first } });
    expect(await bucketKeys(`media/${someone.id}/${first}/`)).toHaveLength(4);
    const second = await readyImage(someone.token, 'avatar');
    const replaced = await api('/api/me/avatar', {
      method: 'PUT',
      token: someone.token,
      body: { mediaId: second },
    });
    expect(replaced.status).toBe(200);
    // The media item goes in the change's transaction; the objects with the task it queued.
    expect((await mediaItems(someone.id)).map((i) => i.id)).toEqual([second]);
    await eventually(
      async () => (await bucketKeys(`media/${someone.id}/${first}/`)).length === 0,
      'the old picture’s objects deleted',
    );
    expect(await bucketKeys(`media/${someone.id}/${second}/`)).toHaveLength(4);
    const removed = await api('/api/me/avatar', { method: 'DELETE', token: someone.token });
    expect(removed.status).toBe(204);
    expect(await mediaItems(someone.id)).toEqual([]);
    await eventually(
      async () => (await memberObjectKeys(someone.id)).length === 0,
      'the removed picture’s objects deleted',
    );
    const me = await api<{ member: { avatar: unknown } }>('/api/me', { token: someone.token });
    expect(me.body.member.avatar).toBeNull();
  });

  it('refuses a post image as a profile picture', async () => {
    const mediaId = await readyImage(member.token, 'post');
    const res = await api('/api/me/avatar', { method: 'PUT', token: member.token, body: { mediaId } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'media.wrong_purpose' } });
  });
});

describe('account deletion', () => {
  it('erases every object and media item of the member; the export before it lists their images', async () => {
    const leaving = await newMember();
    const avatarId = await readyImage(leaving.token, 'avatar');
    const set = await api('/api/me/avatar', {
      method: 'PUT',
      token: leaving.token,
      body: { mediaId: avatarId },
    });
    expect(set.status).toBe(200);
    const postImageId = await readyImage(leaving.token, 'post', await gpsJpeg(900, 600));
    // An upload never processed: its raw object is theirs too.
    const pending = await uploadAs(leaving.token, await gpsJpeg(200, 100), { purpose: 'post' });
    expect(pending.putStatus).toBe(200);
    const before = await memberObjectKeys(leaving.id);
    // Avatar 96/256 and post image 320/640, each WebP + JPEG, and the raw upload.
    expect(before).toHaveLength(9);
    expect(before.filter((k) => k.startsWith('uploads/'))).toEqual([
      `uploads/${leaving.id}/${pending.mediaId}`,
    ]);

    // The export lists the member's processed images, each file with a fresh short-lived URL.
    const exported = await api<{
      images: {
        urlsExpireAt: string;
        items: {
          id: string;
          purpose: string;
          attachedTo: string | null;
          files: { format: string; width: number; height: number; url: string }[];
        }[];
      };
    }>('/api/me/export', { token: leaving.token });
    expect(exported.status).toBe(200);
    const { images } = exported.body;
    expect(images.items.map((i) => i.id).sort()).toEqual([avatarId, postImageId].sort());
    expect(Date.parse(images.urlsExpireAt) - Date.now()).toBeLessThanOrEqual(600_000);
    const avatar = images.items.find((i) => i.id === avatarId);
    expect(avatar).toMatchObject({ purpose: 'avatar', attachedTo: 'avatar' });
    expect(avatar?.files.map((f) => `${f.width}.${f.format}`)).toEqual([
      '96.jpeg',
      '96.webp',
      '256.jpeg',
      '256.webp',
    ]);
    const postImage = images.items.find((i) => i.id === postImageId);
    expect(postImage).toMatchObject({ purpose: 'post', attachedTo: null });
    const urls = images.items.flatMap((i) => i.files.map((f) => f.url));
    expect(urls).toHaveLength(8);
    for (const file of images.items.flatMap((i) => i.files)) {
      expect(Number(new URL(file.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(600);
      const image = await fetchImage(file.url);
      expect(image.status).toBe(200);
      const meta = await sharp(image.body).metadata();
      expect([meta.width, meta.format]).toEqual([file.width, file.format]);
    }
    // No key of the bucket's raw area, no internal field.
    expect(JSON.stringify(images)).not.toMatch(/uploads\/|uploadKey|"pk"/);

    const deleted = await api('/api/me', {
      method: 'DELETE',
      token: leaving.token,
      body: { confirm: 'SUPPRIMER' },
    });
    expect(deleted.status).toBe(202);
    // The erasure task (every second locally) ends with the profile itself.
    await eventually(
      async () => (await getItem(`MEMBER#${leaving.id}`, 'PROFILE')) === undefined,
      'the account erasure',
      60_000,
    );
    expect(await memberObjectKeys(leaving.id)).toEqual([]);
    expect(await bucketKeys(`media/${leaving.id}/`)).toEqual([]);
    expect(await mediaItems(leaving.id)).toEqual([]);
    expect(await memberItems(leaving.id)).toEqual([]);
    // The URLs the export handed out now lead nowhere.
    for (const url of urls) expect((await fetchImage(url)).status).toBe(404);
  }, 90_000);
});
