import type { Actor } from '../../auth/actor.ts';
import { CHARTER_VERSION } from '../../charter.ts';
import { auditBySubject } from '../../data/audit.ts';
import { messagesOf } from '../../data/conversations.ts';
import { isMediaItem, mediaFromItem } from '../../data/media.ts';
import { READ_URL_SECONDS, signedReadUrl } from '../../data/media-store.ts';
import { d1All } from '../../data/member-data.ts';
import { getMembers } from '../../data/members.ts';

/**
 * « Télécharger mes données » (SPEC §7, RGPD art. 15 and 20): everything the coopol holds about
 * the member, as JSON, from the D1 sources — also when suspended. What is theirs is in it whole;
 * what names other members is limited to ids and the names the member sees anyway (coopains,
 * conversation partners, whom they block). Never another member's contact details, never who
 * blocks them (SPEC §3), never a reporter's identity.
 */

const INTERNAL = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'expiresAt',
  'version',
]);

/** An item as the member reads it: without the table's keys. */
function clean(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([k]) => !INTERNAL.has(k))
      .map(([k, v]) => [k, v instanceof Set ? [...v] : v]),
  );
}

const ofType = (items: Record<string, unknown>[], ...types: string[]) =>
  items.filter((i) => types.includes(String(i.type))).map(clean);

async function all<T>(
  fetch: (startKey?: Record<string, unknown>) => Promise<{ items: T[]; lastKey?: Record<string, unknown> }>,
): Promise<T[]> {
  const out: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await fetch(startKey);
    out.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return out;
}

/**
 * The member's own images (issue 10): every processed one, each variant with a fresh signed GET
 * (valid READ_URL_SECONDS, like every image URL). Presigning is local computation: no call. An
 * upload not yet processed holds no image of theirs to give (it is refused or processed within
 * minutes, and expires within a day).
 */
async function myImages(partition: Record<string, unknown>[], now: Date) {
  const ready = partition
    .filter(isMediaItem)
    .map(mediaFromItem)
    .filter((m) => m.state === 'ready');
  return {
    urlsExpireAt: new Date(now.getTime() + READ_URL_SECONDS * 1000).toISOString(),
    items: await Promise.all(
      ready.map(async (m) => ({
        id: m.id,
        purpose: m.purpose,
        attachedTo: m.attachedTo,
        createdAt: m.createdAt,
        files: await Promise.all(
          [...m.variants]
            .sort((a, b) => a.width - b.width || a.format.localeCompare(b.format))
            .map(async (v) => ({
              format: v.format,
              width: v.width,
              height: v.height,
              url: await signedReadUrl(v.key),
            })),
        ),
      })),
    ),
  };
}

export async function exportMyData(actor: Actor, now: Date = new Date()): Promise<Record<string, unknown>> {
  const me = actor.memberId;
  const [partition, posts, comments, groups, rsvps, signUps, reports, appeals] = await Promise.all([
    d1All('partition', me),
    d1All('posts', me),
    d1All('comments', me),
    d1All('groups', me),
    d1All('rsvps', me),
    d1All('signups', me),
    d1All('reportsBy', me),
    d1All('appeals', me),
  ]);
  const contactReads = await all((startKey) =>
    auditBySubject(me, { action: 'contact.read', limit: 200, ...(startKey ? { startKey } : {}) }),
  );
  const profile = partition.find((i) => i.sk === 'PROFILE');
  const blockList = partition.find((i) => i.sk === 'BLOCKLIST');
  const iBlock = blockList?.blocks instanceof Set ? [...blockList.blocks].map(String) : [];
  const coopainLinks = ofType(partition, 'coopain');
  const memberships = ofType(partition, 'conversation-membership');
  const others = new Set<string>([
    ...iBlock,
    ...coopainLinks.map((c) => String(c.coopainId)),
    ...memberships.map((c) => String(c.otherId)),
  ]);
  const names = await getMembers([...others].filter((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));
  const nameOf = (id: string) => {
    const m = names.get(id);
    return m && m.state !== 'deleted' ? `${m.firstName} ${m.lastName}` : 'Membre supprimé';
  };
  const conversations = await Promise.all(
    memberships.map(async (c) => {
      const conversationId = String(c.conversationId);
      const messages = await all((startKey) =>
        messagesOf(conversationId, { limit: 200, ...(startKey ? { startKey } : {}) }),
      );
      return {
        conversationId,
        with: { id: String(c.otherId), name: nameOf(String(c.otherId)) },
        messages: messages.reverse().map((m) => ({ at: m.at, mine: m.authorId === me, text: m.text })),
      };
    }),
  );
  // A profile item carries no contact details or secrets; the cognito binding stays internal.
  const { cognitoSub: _sub, ...profileData } = profile ? clean(profile) : {};
  const prefs = partition.find((i) => i.sk === 'PREFS');
  const { unsubscribeToken: _token, ...preferences } = prefs ? clean(prefs) : {};
  return {
    format: 'coopol-export/1',
    exportedAt: now.toISOString(),
    charterVersion: CHARTER_VERSION,
    profile: profileData,
    contact: ofType(partition, 'contact')[0] ?? null,
    consents: ofType(partition, 'consent'),
    coopains: coopainLinks.map((c) => ({
      id: String(c.coopainId),
      name: nameOf(String(c.coopainId)),
      since: c.since ?? c.at ?? null,
    })),
    invitations: ofType(partition, 'invitation'),
    blocks: iBlock.map((id) => ({ id, name: nameOf(id) })),
    conversations,
    posts: posts.map(clean),
    comments: comments.map(clean),
    groups: groups.map(clean),
    events: { answers: rsvps.map(clean), agenda: ofType(partition, 'agenda-entry') },
    missions: { signUps: signUps.map(clean), entries: ofType(partition, 'mission-entry') },
    notifications: ofType(partition, 'notification'),
    preferences,
    moderation: {
      decisionsAboutMe: ofType(partition, 'moderation-decision').map(({ byId: _by, ...d }) => d),
      myAppeals: appeals.map(clean),
      myReports: reports.map(({ snapshot: _s, ...r }) => clean(r)),
    },
    contactReads: contactReads.map((e) => ({ at: e.at, by: e.actorName, action: e.action })),
    images: await myImages(partition, now),
  };
}
