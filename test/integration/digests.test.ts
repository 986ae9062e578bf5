import { describe, expect, it } from 'vitest';
import { transact } from '../../shared/data/client.ts';
import { pendingDigestWrite, shardOf } from '../../shared/data/digests.ts';
import { runDigests } from '../../shared/notifications/digests.ts';
import { api, getItem, mailsTo } from '../support/api.ts';
import {
  freshSection,
  letterCode,
  letters,
  type PersonaSpec,
  persona,
  seedPersonas,
  tokenOf,
} from '../support/personas.ts';

/**
 * Digests (issue 7 item 4): notifications a member wants in a digest put them on the period's
 * pending list; the digest run sends one email per member and period, grouped by type — run
 * twice, still one.
 */

const run = letters(5);
let serial = 0;
const spec = (key: string, sectionId: string): PersonaSpec => ({
  key,
  firstName: 'Lou',
  lastName: `Zz${run}${letterCode(serial++)}`,
  membership: 'adherent',
  confirmed: true,
  section: null,
  ownSection: sectionId,
  visibility: 'all',
  signsIn: true,
});

const pendingItem = (period: string, memberId: string) =>
  getItem(`DIGEST#${period}#${String(shardOf(memberId)).padStart(2, '0')}`, memberId);

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('digests', () => {
  it('sends one daily digest per member grouping what happened, and never twice for the period', async () => {
    const section = await freshSection();
    const people = await seedPersonas([spec('author', section.id), spec('reader', section.id)]);
    const [author, reader] = [persona(people, 'author'), persona(people, 'reader')];
    const post = await api<{ id: string }>('/api/posts', {
      token: tokenOf(author),
      body: { audience: { kind: 'all' }, title: 'Fête de la rose', body: 'Qui vient ?' },
    });
    for (const text of ['Moi !', 'Et ma sœur aussi'])
      expect(
        (await api(`/api/posts/${post.body.id}/comments`, { token: tokenOf(reader), body: { body: text } }))
          .status,
      ).toBe(201);

    // Comments are for the daily digest by default: no email now, the author is pending.
    await until('the pending digest', async () => (await pendingItem('daily', author.id)) !== undefined);
    expect(await mailsTo(author.email)).toEqual([]);

    const first = await runDigests({ period: 'daily', sesPerSecond: 1000 });
    expect(first.sent).toBeGreaterThanOrEqual(1);
    const mails = await mailsTo(author.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Votre résumé du jour sur la coopol (2)');
    expect(mails[0]?.body.text).toContain('Commentaires sur vos billets (2)');
    expect(mails[0]?.body.text).toContain(`/billet/?id=${post.body.id}`);
    expect(mails[0]?.body.text).not.toContain('Et ma sœur aussi');
    expect(await pendingItem('daily', author.id)).toBeUndefined();

    // A retried run — even with the member pending again — sends nothing more for this day.
    await transact([pendingDigestWrite('daily', author.id)]);
    const again = await runDigests({ period: 'daily', sesPerSecond: 1000 });
    expect(again.skipped).toBeGreaterThanOrEqual(1);
    expect(await mailsTo(author.email)).toHaveLength(1);
    expect(await pendingItem('daily', author.id)).toBeUndefined();
  });

  it('follows the member’s choice: a weekly digest for comments, nothing daily', async () => {
    const section = await freshSection();
    const people = await seedPersonas([spec('author', section.id), spec('reader', section.id)]);
    const [author, reader] = [persona(people, 'author'), persona(people, 'reader')];
    await api('/api/me/notification-preferences', {
      method: 'PUT',
      token: tokenOf(author),
      body: { email: { 'comment.new': 'weekly' } },
    });
    const post = await api<{ id: string }>('/api/posts', {
      token: tokenOf(author),
      body: { audience: { kind: 'all' }, body: 'Réunion publique mardi' },
    });
    await api(`/api/posts/${post.body.id}/comments`, { token: tokenOf(reader), body: { body: 'J’y serai' } });
    await until(
      'the weekly pending digest',
      async () => (await pendingItem('weekly', author.id)) !== undefined,
    );
    expect(await pendingItem('daily', author.id)).toBeUndefined();
    await runDigests({ period: 'weekly', sesPerSecond: 1000 });
    const mails = await mailsTo(author.email);
    expect(mails.map((m) => m.subject)).toEqual(['Votre résumé de la semaine sur la coopol (1)']);
  });
});
