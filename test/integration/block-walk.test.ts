import { beforeAll, describe, expect, it } from 'vitest';
import { type RouteId, routes } from '../../shared/routes.ts';
import {
  api,
  DEMO,
  memberItems,
  newMember,
  PARIS,
  signIn,
  uniqueEmail,
  validSignUp,
} from '../support/api.ts';
import { answerAs, createEventAs, eventBody, feedPathOf } from '../support/events.ts';
import { type MissionDetail, newMission, signUpTo, slot } from '../support/missions.ts';
import { freshSection } from '../support/personas.ts';

/**
 * "A block closes every path" (SPEC §3): every route of the route table is called by the blocked
 * member A, aimed at the blocker B wherever the route takes a member. No answer may carry B
 * (except the history of their old conversation, which stays), nothing may succeed in reaching B,
 * and B gets no notification. Each route needs a decision here: a route added later without one
 * fails this test (the map is typed by route id and checked at run time).
 */

interface Ctx {
  a: { id: string; token: string; cookie: string; email: string };
  b: { id: string; token: string; lastName: string };
  conversationId: string;
  /** B's content, from before the block (SPEC §4): where a route takes a post or a comment, it is B's. */
  content: {
    /** B's section (a fresh one: its public page holds B's post among few). */
    sectionId: string;
    /** A post to `all`, and B's own comment on it. */
    postId: string;
    commentId: string;
    /** A post on B's section's public page. */
    sectionPostId: string;
    /** A post to B's coopains, which reached A's fil (the fan-out) while they were coopains. */
    coopainsPostId: string;
    /** A's own comment on B's post to `all`, written while they were coopains. */
    aCommentId: string;
  };
  /**
   * Groups (SPEC §4), all open to every member, joined before the block. B's groups: the group
   * itself is a shared place, not B's profile — it stays for A, B disappears from it.
   */
  groups: {
    /** B admin, A an active member, B's post in it. */
    bGroupId: string;
    bGroupName: string;
    bGroupPostId: string;
    /** B admin, A an active member (who leaves it). */
    bLeaveId: string;
    /** B admin, on request; A not in it (who asks). */
    bRequestId: string;
    /** A admin: B an active member (A tries to make B admin), another (A removes B). */
    aRoleId: string;
    aRemoveId: string;
    /** A admin, on request: B asked to join (A tries to approve it), another (A lists requests). */
    aApproveId: string;
    aPendingId: string;
  };
}

type Expect = 'refused' | 'no-trace' | 'history';
type Probe = (
  ctx: Ctx,
) => Promise<{ method: string; path: string; body?: unknown; cookie?: string; token?: string | null }>;

/** B's post answers exactly as an unknown post: nothing tells A that it exists. */
const POST_NOT_FOUND = { status: 404, code: 'post.not_found' };
/** B answers A's group actions as a member not in the group (or with no request) would. */
const GROUP_NOT_MEMBER = { status: 404, code: 'group.not_member' };
const GROUP_NO_REQUEST = { status: 404, code: 'group.no_request' };
/** B's mission answers A exactly as an unknown mission (issue 6). */
const MISSION_NOT_FOUND = { status: 404, code: 'mission.not_found' };
let bMissionMade: Promise<MissionDetail> | undefined;
/** B's mission in B's group, where A is a member — made by B after the block, B its volunteer. */
function bMission(ctx: Ctx): Promise<MissionDetail> {
  bMissionMade ??= (async () => {
    const b = { key: 'b', token: ctx.b.token };
    const m = await newMission(b, { audience: { kind: 'group', groupId: ctx.groups.bGroupId } });
    await signUpTo(b, m.id, m.slots[0]?.id ?? '');
    return m;
  })();
  return bMissionMade;
}
/** A report on B reads as a report on nothing; the moderation pages do not exist for A. */
const TARGET_NOT_FOUND = { status: 404, code: 'report.target_not_found' };
const MODERATION_NOT_FOUND = { status: 404, code: 'moderation.not_found' };

// ————— Events and agenda (issue 6) —————
/** B's event answers A exactly as an unknown event. */
const EVENT_NOT_FOUND = { status: 404, code: 'event.not_found' };
let bEventsMade: Promise<{ group: string; all: string }> | undefined;
/** B's events, made by B after the block: one in B's group (A a member of it), one to every member; B going. */
function bEvents(ctx: Ctx): Promise<{ group: string; all: string }> {
  bEventsMade ??= (async () => {
    const group = await createEventAs(
      ctx.b.token,
      eventBody({ kind: 'group', groupId: ctx.groups.bGroupId }, { title: 'Balade du groupe', capacity: 20 }),
    );
    const all = await createEventAs(ctx.b.token, eventBody({ kind: 'all' }, { title: 'Grande réunion' }, 9));
    await answerAs(ctx.b.token, group, 'yes');
    await answerAs(ctx.b.token, all, 'yes');
    return { group, all };
  })();
  return bEventsMade;
}

/**
 * `refused`: a 4xx; `no-trace`: may succeed but never shows B; `history`: may show the old
 * conversation only. `answer`: the exact refusal, where it must be indistinguishable.
 */
const probes: Record<RouteId, { expect: Expect; answer?: { status: number; code: string }; probe: Probe }> = {
  'system.health': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/health', token: null }),
  },
  'sections.list': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/sections', token: null }),
  },
  'auth.signUp': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'POST',
      path: '/api/auth/sign-up',
      body: validSignUp(uniqueEmail('bloque')),
      token: null,
    }),
  },
  'auth.confirm': {
    expect: 'refused',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/confirm',
      body: { email: a.email, code: '000000' },
      token: null,
    }),
  },
  'auth.resendCode': {
    expect: 'no-trace',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/resend-code',
      body: { email: a.email },
      token: null,
    }),
  },
  'auth.forgotPassword': {
    expect: 'no-trace',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/forgot-password',
      body: { email: a.email },
      token: null,
    }),
  },
  'auth.resetPassword': {
    expect: 'refused',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/reset-password',
      body: { email: a.email, code: '000000', password: 'pas-le-bon-2026' },
      token: null,
    }),
  },
  'auth.signIn': {
    expect: 'no-trace',
    probe: async ({ a }) => ({
      method: 'POST',
      path: '/api/auth/sign-in',
      body: { email: a.email, password: 'motdepasse-2026' },
      token: null,
    }),
  },
  'auth.refresh': {
    expect: 'no-trace',
    probe: async ({ a }) => ({ method: 'POST', path: '/api/auth/refresh', cookie: a.cookie, token: null }),
  },
  'auth.signOut': {
    expect: 'no-trace',
    probe: async () => ({ method: 'POST', path: '/api/auth/sign-out', token: null }),
  },
  'me.get': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me' }) },
  'me.update': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'PUT',
      path: '/api/me',
      body: { firstName: 'Jeanne', lastName: 'Dupont', visibility: 'all' },
    }),
  },
  'me.getContact': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/contact' }) },
  'me.updateContact': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'PUT',
      path: '/api/me/contact',
      body: { phone: null, postalAddress: null },
    }),
  },
  'me.changeSection': {
    expect: 'no-trace',
    probe: async () => ({ method: 'PUT', path: '/api/me/section', body: { sectionId: PARIS } }),
  },
  'me.addMandate': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'POST',
      path: '/api/me/mandates',
      body: { office: 'Conseillère municipale', territory: 'Paris', startDate: '2020-07-01' },
    }),
  },
  'media.createUpload': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'POST',
      path: '/api/media/uploads',
      body: { purpose: 'post', contentType: 'image/png', size: 2000 },
    }),
  },
  'media.process': {
    expect: 'refused',
    answer: { status: 404, code: 'media.not_found' },
    probe: async () => ({ method: 'POST', path: '/api/media/01KC0MED000000000000009999/process' }),
  },
  'me.setAvatar': {
    expect: 'refused',
    answer: { status: 404, code: 'media.not_found' },
    probe: async () => ({
      method: 'PUT',
      path: '/api/me/avatar',
      body: { mediaId: '01KC0MED000000000000009999' },
    }),
  },
  'me.removeAvatar': {
    expect: 'no-trace',
    probe: async () => ({ method: 'DELETE', path: '/api/me/avatar' }),
  },
  'me.deleteMandate': {
    expect: 'refused',
    probe: async () => ({ method: 'DELETE', path: '/api/me/mandates/01KC0MAN000000000000009999' }),
  },
  'me.contactReads': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/contact-reads' }),
  },
  'me.acceptCommitment': {
    expect: 'refused',
    probe: async () => ({
      method: 'POST',
      path: '/api/me/confidentiality-commitment',
      body: { accepted: true },
    }),
  },
  'members.get': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/members/${b.id}` }),
  },
  'members.getContact': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/members/${b.id}/contact` }),
  },
  'members.verifyMandate': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/members/${b.id}/mandates/01KC0MAN000000000000009999/verify`,
    }),
  },
  'directory.search': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/directory?q=${encodeURIComponent(b.lastName)}` }),
  },
  'sections.roster': {
    expect: 'refused',
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/members?contacts=true` }),
  },
  // A is no secretary: the section's messages are closed to them.
  'sections.sendMessage': {
    expect: 'refused',
    probe: async () => ({
      method: 'POST',
      path: `/api/sections/${PARIS}/messages`,
      body: { text: 'À toute la section' },
    }),
  },
  'sections.listMessages': {
    expect: 'refused',
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/messages` }),
  },
  'sections.confirmMembership': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/sections/${PARIS}/members/${b.id}/confirm` }),
  },
  'sections.declineMembership': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/sections/${PARIS}/members/${b.id}/decline` }),
  },
  // A is no secretary: the section's welcome template and roster export are closed to them.
  'sections.getWelcomeTemplate': {
    expect: 'refused',
    answer: { status: 404, code: 'section.not_found' },
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/welcome-template` }),
  },
  'sections.putWelcomeTemplate': {
    expect: 'refused',
    answer: { status: 404, code: 'section.not_found' },
    probe: async ({ b }) => ({
      method: 'PUT',
      path: `/api/sections/${PARIS}/welcome-template`,
      body: { text: `Bienvenue {prénom}, de la part de ${b.lastName}` },
    }),
  },
  'sections.exportRoster': {
    expect: 'refused',
    answer: { status: 404, code: 'section.not_found' },
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/roster-export` }),
  },
  'sections.dashboard': {
    expect: 'refused',
    answer: { status: 404, code: 'section.not_found' },
    probe: async () => ({ method: 'GET', path: `/api/sections/${PARIS}/dashboard` }),
  },
  // Issue 11: A, a plain member, has no newcomers list (B's section or any).
  'newcomers.list': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async () => ({ method: 'GET', path: '/api/newcomers' }),
  },
  'admin.setRoles': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'PUT',
      path: `/api/admin/members/${b.id}/roles`,
      body: { secretaryOf: [], coopilote: false, admin: false },
    }),
  },
  'coopains.list': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/coopains' }) },
  'coopains.remove': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'DELETE', path: `/api/me/coopains/${b.id}` }),
  },
  'coopains.invitations': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/invitations' }),
  },
  'coopains.accept': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/me/invitations/${b.id}/accept` }),
  },
  'coopains.refuse': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/me/invitations/${b.id}/refuse` }),
  },
  'coopains.invite': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'POST', path: `/api/members/${b.id}/invitation` }),
  },
  'coopains.cancel': {
    expect: 'refused',
    probe: async ({ b }) => ({ method: 'DELETE', path: `/api/members/${b.id}/invitation` }),
  },
  'blocks.list': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/blocks' }) },
  // Blocking back is A's own right: it reaches nothing of B's (204 whatever the id).
  'blocks.block': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'PUT', path: `/api/me/blocks/${b.id}` }),
  },
  'blocks.unblock': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'DELETE', path: `/api/me/blocks/${b.id}` }),
  },
  'messages.send': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/members/${b.id}/messages`,
      body: { text: 'Tu me reçois ?' },
    }),
  },
  // The conversation's history stays (SPEC §3): it may still show, and nothing new.
  'messages.inbox': { expect: 'history', probe: async () => ({ method: 'GET', path: '/api/conversations' }) },
  'messages.list': {
    expect: 'history',
    probe: async ({ conversationId }) => ({
      method: 'GET',
      path: `/api/conversations/${conversationId}/messages`,
    }),
  },
  'messages.markRead': {
    expect: 'history',
    probe: async ({ conversationId }) => ({
      method: 'POST',
      path: `/api/conversations/${conversationId}/read`,
    }),
  },
  // Posts, comments, feeds (SPEC §3–4): B's content disappears for A, and A cannot reach B through it.
  // Publishing stays A's right; mentioning B is refused as any member A may not mention is.
  'posts.create': {
    expect: 'refused',
    answer: { status: 400, code: 'post.mention_not_allowed' },
    probe: async ({ b }) => ({
      method: 'POST',
      path: '/api/posts',
      body: { audience: { kind: 'all' }, body: 'Qu’en pensez-vous ?', mentions: [b.id] },
    }),
  },
  'posts.get': {
    expect: 'refused',
    answer: POST_NOT_FOUND,
    probe: async ({ content }) => ({ method: 'GET', path: `/api/posts/${content.postId}` }),
  },
  'posts.update': {
    expect: 'refused',
    answer: POST_NOT_FOUND,
    probe: async ({ content }) => ({
      method: 'PUT',
      path: `/api/posts/${content.postId}`,
      body: { body: 'Réécrit par un autre' },
    }),
  },
  'posts.delete': {
    expect: 'refused',
    answer: POST_NOT_FOUND,
    probe: async ({ content }) => ({ method: 'DELETE', path: `/api/posts/${content.sectionPostId}` }),
  },
  'posts.pin': {
    expect: 'refused',
    answer: POST_NOT_FOUND,
    probe: async ({ content }) => ({
      method: 'PUT',
      path: `/api/posts/${content.sectionPostId}/pin`,
      body: { pinned: true },
    }),
  },
  'comments.list': {
    expect: 'refused',
    answer: POST_NOT_FOUND,
    probe: async ({ content }) => ({ method: 'GET', path: `/api/posts/${content.postId}/comments` }),
  },
  // No comment on B's post, no reply to B's comment.
  'comments.create': {
    expect: 'refused',
    answer: POST_NOT_FOUND,
    probe: async ({ content }) => ({
      method: 'POST',
      path: `/api/posts/${content.postId}/comments`,
      body: { body: 'Je réponds quand même', replyTo: content.commentId },
    }),
  },
  'comments.update': {
    expect: 'refused',
    probe: async ({ content }) => ({
      method: 'PUT',
      path: `/api/posts/${content.postId}/comments/${content.commentId}`,
      body: { body: 'Réécrit par un autre' },
    }),
  },
  'comments.delete': {
    expect: 'refused',
    probe: async ({ content }) => ({
      method: 'DELETE',
      path: `/api/posts/${content.postId}/comments/${content.commentId}`,
    }),
  },
  // B's coopains post is still in A's timeline (written before the block): dropped at read time.
  'feed.home': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/feed' }) },
  'feed.party': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/feed/party' }) },
  'sections.posts': {
    expect: 'no-trace',
    probe: async ({ content }) => ({
      method: 'GET',
      path: `/api/sections/${content.sectionId}/posts?page=public`,
    }),
  },
  // B's own list of posts: A may call it, B's posts never show.
  'members.posts': {
    expect: 'no-trace',
    probe: async ({ b }) => ({ method: 'GET', path: `/api/members/${b.id}/posts` }),
  },
  // Notifications: what B did before the block (accepting A's invitation) is no longer shown to A.
  'notifications.list': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/notifications' }),
  },
  'notifications.markRead': {
    expect: 'no-trace',
    probe: async () => ({ method: 'POST', path: '/api/notifications/01KC0DEM000000000000099998/read' }),
  },
  'notifications.markAllRead': {
    expect: 'no-trace',
    probe: async () => ({ method: 'POST', path: '/api/notifications/read' }),
  },
  'notifications.getPreferences': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/notification-preferences' }),
  },
  'notifications.setPreferences': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'PUT',
      path: '/api/me/notification-preferences',
      body: { email: { 'message.new': 'immediate' } },
    }),
  },
  // A token is a secret of its member: A has none of B's; an unknown one is refused.
  'notifications.unsubscribe': {
    expect: 'refused',
    probe: async () => ({
      method: 'POST',
      path: '/api/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      token: null,
    }),
  },
  // Groups (SPEC §3–4). A group B runs is a shared place, not B's profile or content: A still
  // finds it, reads it, joins it (or asks to: B is not notified and does not see the request); B
  // and B's posts disappear from it for A. In A's own groups, A may still remove B (moderating
  // one's own group reaches nothing of B's), but A cannot make B admin nor let B in: those act on
  // B, whom A no longer sees in the lists — answered as for a member not there.
  'groups.create': {
    expect: 'no-trace',
    probe: async () => ({
      method: 'POST',
      path: '/api/groups',
      body: { name: 'Jardins partagés', joinPolicy: 'open', visibility: 'all' },
    }),
  },
  'groups.list': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({
      method: 'GET',
      path: `/api/groups?q=${encodeURIComponent(groups.bGroupName)}`,
    }),
  },
  'groups.get': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({ method: 'GET', path: `/api/groups/${groups.bGroupId}` }),
  },
  'groups.update': {
    expect: 'refused',
    answer: { status: 403, code: 'group.not_admin' },
    probe: async ({ groups }) => ({
      method: 'PUT',
      path: `/api/groups/${groups.bGroupId}`,
      body: { name: 'Repris en main', joinPolicy: 'open', visibility: 'all' },
    }),
  },
  // A's request goes to the group's admins: B is not notified, and does not see it.
  'groups.join': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({ method: 'POST', path: `/api/groups/${groups.bRequestId}/membership` }),
  },
  'groups.leave': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({ method: 'DELETE', path: `/api/groups/${groups.bLeaveId}/membership` }),
  },
  'groups.members': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({ method: 'GET', path: `/api/groups/${groups.bGroupId}/members` }),
  },
  'groups.approve': {
    expect: 'refused',
    answer: GROUP_NO_REQUEST,
    probe: async ({ b, groups }) => ({
      method: 'POST',
      path: `/api/groups/${groups.aApproveId}/members/${b.id}/approve`,
    }),
  },
  'groups.removeMember': {
    expect: 'no-trace',
    probe: async ({ b, groups }) => ({
      method: 'DELETE',
      path: `/api/groups/${groups.aRemoveId}/members/${b.id}`,
    }),
  },
  'groups.setRole': {
    expect: 'refused',
    answer: GROUP_NOT_MEMBER,
    probe: async ({ b, groups }) => ({
      method: 'PUT',
      path: `/api/groups/${groups.aRoleId}/members/${b.id}/role`,
      body: { admin: true },
    }),
  },
  'groups.posts': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({ method: 'GET', path: `/api/groups/${groups.bGroupId}/posts` }),
  },
  // ————— Missions (issue 6): B's mission in B's group (A a member of it) is B's content: it
  // disappears for A, who can neither sign up to it nor run it; A's own missions never reach B. —————
  'missions.create': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({
      method: 'POST',
      path: '/api/missions',
      body: {
        title: 'Collage du quartier',
        kind: 'collage',
        place: 'Local',
        audience: { kind: 'group', groupId: groups.aRoleId },
        slots: [slot(6, '18:00', '20:00', 4)],
      },
    }),
  },
  'missions.list': {
    expect: 'no-trace',
    probe: async (ctx) => {
      await bMission(ctx);
      return { method: 'GET', path: `/api/missions?group=${ctx.groups.bGroupId}` };
    },
  },
  'missions.get': {
    expect: 'refused',
    answer: MISSION_NOT_FOUND,
    probe: async (ctx) => ({ method: 'GET', path: `/api/missions/${(await bMission(ctx)).id}` }),
  },
  'missions.signUp': {
    expect: 'refused',
    answer: MISSION_NOT_FOUND,
    probe: async (ctx) => {
      const m = await bMission(ctx);
      return { method: 'POST', path: `/api/missions/${m.id}/slots/${m.slots[0]?.id}/sign-up` };
    },
  },
  'missions.withdraw': {
    expect: 'refused',
    probe: async (ctx) => {
      const m = await bMission(ctx);
      return { method: 'DELETE', path: `/api/missions/${m.id}/slots/${m.slots[0]?.id}/sign-up` };
    },
  },
  'missions.attendance': {
    expect: 'refused',
    answer: MISSION_NOT_FOUND,
    probe: async (ctx) => {
      const m = await bMission(ctx);
      return {
        method: 'PUT',
        path: `/api/missions/${m.id}/slots/${m.slots[0]?.id}/volunteers/${ctx.b.id}/attendance`,
        body: { attended: false },
      };
    },
  },
  'missions.close': {
    expect: 'refused',
    answer: MISSION_NOT_FOUND,
    probe: async (ctx) => ({
      method: 'POST',
      path: `/api/missions/${(await bMission(ctx)).id}/close`,
      body: { outcome: 'cancelled' },
    }),
  },
  'missions.mySignUps': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/mission-sign-ups' }),
  },
  // ————— Moderation (issue 8) —————
  'reports.create': {
    // B's profile reads as one that does not exist: a report never confirms a hidden member.
    expect: 'refused',
    answer: TARGET_NOT_FOUND,
    probe: async ({ b }) => ({
      method: 'POST',
      path: '/api/reports',
      body: { target: `member:${b.id}`, category: 'spam' },
    }),
  },
  'moderation.queue': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async () => ({ method: 'GET', path: '/api/moderation/reports' }),
  },
  'moderation.file': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async ({ b }) => ({ method: 'GET', path: `/api/moderation/reports/member%3A${b.id}` }),
  },
  'moderation.decide': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/moderation/reports/member%3A${b.id}/decision`,
      body: { decision: 'dismiss' },
    }),
  },
  'moderation.history': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async ({ b }) => ({ method: 'GET', path: `/api/moderation/members/${b.id}` }),
  },
  'moderation.lift': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/moderation/members/${b.id}/lift`,
      body: { reason: 'Tentative de lever une suspension.' },
    }),
  },
  'moderation.appeals': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async () => ({ method: 'GET', path: '/api/moderation/appeals' }),
  },
  'moderation.answerAppeal': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async ({ b }) => ({
      method: 'POST',
      path: `/api/moderation/members/${b.id}/appeals/${b.id}`,
      body: { decision: 'lift', answer: 'Tentative de répondre à un recours.' },
    }),
  },
  'moderation.audit': {
    expect: 'refused',
    answer: MODERATION_NOT_FOUND,
    probe: async ({ b }) => ({ method: 'GET', path: `/api/moderation/audit?member=${b.id}` }),
  },
  'me.export': {
    // A's own data: their old conversation with B stays in it (its history), nothing else of B.
    expect: 'history',
    probe: async () => ({ method: 'GET', path: '/api/me/export' }),
  },
  'me.delete': {
    expect: 'refused',
    probe: async () => ({ method: 'DELETE', path: '/api/me', body: { confirm: 'non' } }),
  },
  'me.moderation': {
    expect: 'no-trace',
    probe: async () => ({ method: 'GET', path: '/api/me/moderation' }),
  },
  'me.appeal': {
    expect: 'refused',
    probe: async ({ b }) => ({
      method: 'POST',
      path: '/api/me/appeals',
      body: { decisionId: b.id, text: 'Je conteste une décision qui n’existe pas.' },
    }),
  },
  // ————— Events and agenda (issue 6): B's events are B's content — they disappear for A, who
  // can neither answer nor run them; A's own events never reach B (the fan-out skips B). —————
  'events.create': {
    expect: 'no-trace',
    probe: async ({ groups }) => ({
      method: 'POST',
      path: '/api/events',
      body: eventBody({ kind: 'group', groupId: groups.aRoleId }, { title: 'Réunion du quartier' }),
    }),
  },
  'events.get': {
    expect: 'refused',
    answer: EVENT_NOT_FOUND,
    probe: async (ctx) => ({ method: 'GET', path: `/api/events/${(await bEvents(ctx)).group}` }),
  },
  'events.update': {
    expect: 'refused',
    answer: EVENT_NOT_FOUND,
    probe: async (ctx) => {
      const { audience: _audience, ...body } = eventBody({ kind: 'all' });
      return { method: 'PUT', path: `/api/events/${(await bEvents(ctx)).group}`, body };
    },
  },
  'events.cancel': {
    expect: 'refused',
    answer: EVENT_NOT_FOUND,
    probe: async (ctx) => ({ method: 'POST', path: `/api/events/${(await bEvents(ctx)).group}/cancel` }),
  },
  'events.rsvp': {
    expect: 'refused',
    answer: EVENT_NOT_FOUND,
    probe: async (ctx) => ({
      method: 'PUT',
      path: `/api/events/${(await bEvents(ctx)).all}/rsvp`,
      body: { answer: 'yes' },
    }),
  },
  'events.attendees': {
    expect: 'refused',
    answer: EVENT_NOT_FOUND,
    probe: async (ctx) => ({ method: 'GET', path: `/api/events/${(await bEvents(ctx)).group}/attendees` }),
  },
  'agenda.mine': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/agenda' }) },
  'agenda.party': {
    expect: 'no-trace',
    probe: async (ctx) => {
      await bEvents(ctx);
      return { method: 'GET', path: '/api/agenda/party' };
    },
  },
  'sections.events': {
    expect: 'no-trace',
    probe: async ({ content }) => ({ method: 'GET', path: `/api/sections/${content.sectionId}/events` }),
  },
  'groups.events': {
    expect: 'no-trace',
    probe: async (ctx) => {
      await bEvents(ctx);
      return { method: 'GET', path: `/api/groups/${ctx.groups.bGroupId}/events` };
    },
  },
  'calendar.status': { expect: 'no-trace', probe: async () => ({ method: 'GET', path: '/api/me/calendar' }) },
  'calendar.rotate': {
    expect: 'no-trace',
    probe: async () => ({ method: 'POST', path: '/api/me/calendar' }),
  },
  'calendar.revoke': {
    expect: 'no-trace',
    probe: async () => ({ method: 'DELETE', path: '/api/me/calendar' }),
  },
  // A's own feed (a public route: the URL is the credential), with B's events around.
  'calendar.feed': {
    expect: 'no-trace',
    probe: async (ctx) => {
      await bEvents(ctx);
      return { method: 'GET', path: await feedPathOf(ctx.a.token), token: null };
    },
  },
};

describe('a block closes every path (walks the whole route table as the blocked member)', () => {
  let ctx: Ctx;
  let notificationsBefore = 0;

  beforeAll(async () => {
    const visible = { visibility: 'all', consentVisibilityAll: true };
    const lastName = `Bloqueuse${Date.now().toString(36).replace(/\d/g, '')}`;
    const section = await freshSection();
    const [a, b] = await Promise.all([
      newMember(visible),
      newMember({ ...visible, lastName, sectionId: section.id }),
    ]);
    // They were coopains and talked before the block.
    await api(`/api/members/${b.id}/invitation`, { method: 'POST', token: a.token });
    await api(`/api/me/invitations/${a.id}/accept`, { method: 'POST', token: b.token });
    const first = await api<{ conversationId: string }>(`/api/members/${b.id}/messages`, {
      token: a.token,
      body: { text: 'Avant le blocage' },
    });
    // B published (to A among others), commented; A commented B's post too.
    const publish = async (body: Record<string, unknown>) => {
      const res = await api<{ id: string }>('/api/posts', { token: b.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const commentOn = async (token: string, postId: string, body: string) => {
      const res = await api<{ id: string }>(`/api/posts/${postId}/comments`, { token, body: { body } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const coopainsPostId = await publish({ audience: { kind: 'coopains' }, body: 'Entre coopains' });
    const postId = await publish({ audience: { kind: 'all' }, body: 'À toute la coopol' });
    const sectionPostId = await publish({
      audience: { kind: 'section-public', sectionId: section.id },
      title: 'Permanence',
      body: 'Samedi au local.',
    });
    const commentId = await commentOn(b.token, postId, 'Je précise.');
    const aCommentId = await commentOn(a.token, postId, 'Merci !');
    // Groups: each runs a few, and joined the other's (names that say nothing of B).
    const group = async (token: string, name: string, joinPolicy: 'open' | 'request') => {
      const res = await api<{ id: string }>('/api/groups', {
        token,
        body: { name, description: 'Pour agir ensemble.', joinPolicy, visibility: 'all' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const join = async (token: string, groupId: string, status: 'active' | 'pending') => {
      const res = await api(`/api/groups/${groupId}/membership`, { method: 'POST', token });
      expect(res.body, JSON.stringify(res.body)).toEqual({ status });
    };
    const tag = Date.now().toString(36).replace(/\d/g, '');
    const bGroupName = `Vélo en ville ${tag}`;
    const [bGroupId, bLeaveId, bRequestId, aRoleId, aRemoveId, aApproveId, aPendingId] = await Promise.all([
      group(b.token, bGroupName, 'open'),
      group(b.token, `Covoiturage ${tag}`, 'open'),
      group(b.token, `Lecture ${tag}`, 'request'),
      group(a.token, `Quartier nord ${tag}`, 'open'),
      group(a.token, `Quartier sud ${tag}`, 'open'),
      group(a.token, `Jeunes ${tag}`, 'request'),
      group(a.token, `Retraités ${tag}`, 'request'),
    ]);
    await join(a.token, bGroupId, 'active');
    await join(a.token, bLeaveId, 'active');
    await join(b.token, aRoleId, 'active');
    await join(b.token, aRemoveId, 'active');
    await join(b.token, aApproveId, 'pending');
    await join(b.token, aPendingId, 'pending');
    const bGroupPostId = await publish({
      audience: { kind: 'group', groupId: bGroupId },
      body: 'Balade samedi',
    });
    // The fan-out (the task job, every second locally) put B's coopains post in A's fil.
    const deadline = Date.now() + 15_000;
    const inFil = async () =>
      (await api<{ items: { id: string }[] }>('/api/feed', { token: a.token })).body.items.some(
        (i) => i.id === coopainsPostId,
      );
    while (!(await inFil())) {
      if (Date.now() > deadline) throw new Error('B’s coopains post never reached A’s fil');
      await new Promise((r) => setTimeout(r, 300));
    }
    // A pending invitation from B survives nothing either.
    expect((await api(`/api/me/blocks/${a.id}`, { method: 'PUT', token: b.token })).status).toBe(204);
    ctx = {
      a,
      b: { id: b.id, token: b.token, lastName },
      conversationId: first.body.conversationId,
      content: { sectionId: section.id, postId, commentId, sectionPostId, coopainsPostId, aCommentId },
      groups: {
        bGroupId,
        bGroupName,
        bGroupPostId,
        bLeaveId,
        bRequestId,
        aRoleId,
        aRemoveId,
        aApproveId,
        aPendingId,
      },
    };
    notificationsBefore = (await memberItems(b.id)).filter((i) => String(i.sk).startsWith('NOTIF#')).length;
  });

  it('has a block decision for every route in the table', () => {
    expect(Object.keys(probes).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it.each(routes.map((r) => [r.id] as const))('%s', async (id) => {
    const { expect: outcome, answer, probe } = probes[id];
    const req = await probe(ctx);
    const token = req.token === null ? undefined : (req.token ?? ctx.a.token);
    const res = await api(req.path, { method: req.method, body: req.body, token, cookie: req.cookie });
    const text = JSON.stringify(res.body);
    if (outcome === 'refused') {
      expect(res.status, text).toBeGreaterThanOrEqual(400);
      expect(res.status, text).toBeLessThan(500);
    } else {
      expect(res.status, text).toBeLessThan(500);
    }
    if (answer) {
      expect(res.status, text).toBe(answer.status);
      expect((res.body as { error?: { code?: string } }).error?.code, text).toBe(answer.code);
    }
    if (outcome !== 'history') {
      expect(text).not.toContain(ctx.b.id);
      expect(text).not.toContain(ctx.b.lastName);
    }
    // Whatever the route, nothing reached the blocker.
    const notifications = (await memberItems(ctx.b.id)).filter((i) =>
      String(i.sk).startsWith('NOTIF#'),
    ).length;
    expect(notifications).toBe(notificationsBefore);
  });

  it('never tells the blocked member that a block exists', async () => {
    const messages = [
      await api(`/api/members/${ctx.b.id}/messages`, { token: ctx.a.token, body: { text: 'Allô ?' } }),
      await api(`/api/members/${ctx.b.id}/invitation`, { method: 'POST', token: ctx.a.token }),
      await api(`/api/members/${ctx.b.id}`, { token: ctx.a.token }),
      await api(`/api/posts/${ctx.content.postId}`, { token: ctx.a.token }),
      await api(`/api/posts/${ctx.content.postId}/comments`, {
        token: ctx.a.token,
        body: { body: 'Allô ?' },
      }),
      await api('/api/posts', {
        token: ctx.a.token,
        body: { audience: { kind: 'all' }, body: 'Allô ?', mentions: [ctx.b.id] },
      }),
      await api(`/api/groups/${ctx.groups.aRoleId}/members/${ctx.b.id}/role`, {
        method: 'PUT',
        token: ctx.a.token,
        body: { admin: true },
      }),
      await api(`/api/groups/${ctx.groups.aApproveId}/members/${ctx.b.id}/approve`, {
        method: 'POST',
        token: ctx.a.token,
      }),
    ];
    for (const m of messages) expect(JSON.stringify(m.body)).not.toMatch(/bloqu|block/i);
  });

  it('hides B’s content from A by the block alone: it is still there for B, and still in A’s timeline', async () => {
    const { content } = ctx;
    const ids = async (path: string, token: string) =>
      (await api<{ items: { id: string }[] }>(path, { token })).body.items.map((i) => i.id);
    // The no-trace answers above are not empty by chance: B's posts are on the first pages…
    expect(await ids('/api/feed/party', ctx.b.token)).toContain(content.postId);
    expect(await ids(`/api/sections/${content.sectionId}/posts?page=public`, ctx.b.token)).toContain(
      content.sectionPostId,
    );
    expect(await ids('/api/feed', ctx.b.token)).toContain(content.coopainsPostId);
    expect((await api(`/api/posts/${content.postId}`, { token: ctx.b.token })).status).toBe(200);
    // …and A's timeline still holds the entry of B's coopains post: the fil drops it when read.
    const entries = (await memberItems(ctx.a.id)).filter((i) => String(i.sk).startsWith('FEED#'));
    expect(entries.map((e) => e.postId)).toContain(content.coopainsPostId);
    expect(await ids('/api/feed', ctx.a.token)).not.toContain(content.coopainsPostId);
  });

  it('keeps B’s group open to A, with B and B’s posts gone from it — and A gone from it for B', async () => {
    const { groups } = ctx;
    const ids = async (path: string, token: string) =>
      (await api<{ items: { id: string }[] }>(path, { token })).body.items.map((i) => i.id);
    // A is still an active member of B's group: the no-trace answers above are not empty by chance.
    expect((await api(`/api/groups/${groups.bGroupId}`, { token: ctx.a.token })).body).toMatchObject({
      me: { status: 'active', role: 'member' },
    });
    expect(await ids(`/api/groups/${groups.bGroupId}/members`, ctx.b.token)).toContain(ctx.b.id);
    expect(await ids(`/api/groups/${groups.bGroupId}/posts`, ctx.b.token)).toContain(groups.bGroupPostId);
    expect(await ids(`/api/groups/${groups.bGroupId}/posts`, ctx.a.token)).not.toContain(groups.bGroupPostId);
    // Both ways: B sees neither A in their group nor A's request.
    expect(await ids(`/api/groups/${groups.bGroupId}/members`, ctx.b.token)).not.toContain(ctx.a.id);
    expect(await ids(`/api/groups/${groups.bRequestId}/members?pending=true`, ctx.b.token)).not.toContain(
      ctx.a.id,
    );
    expect((await api(`/api/groups/${groups.bRequestId}`, { token: ctx.a.token })).body).toMatchObject({
      me: { status: 'pending' },
    });
    // In A's own groups, B (still a member, still asking) is out of A's lists.
    expect((await api(`/api/groups/${groups.aRoleId}`, { token: ctx.b.token })).body).toMatchObject({
      me: { status: 'active' },
    });
    expect(await ids(`/api/groups/${groups.aRoleId}/members`, ctx.a.token)).not.toContain(ctx.b.id);
    expect((await api(`/api/groups/${groups.aPendingId}`, { token: ctx.b.token })).body).toMatchObject({
      me: { status: 'pending' },
    });
    expect(await ids(`/api/groups/${groups.aPendingId}/members?pending=true`, ctx.a.token)).not.toContain(
      ctx.b.id,
    );
    // A removed B from A's group: B is out of it, and was told nothing.
    expect((await api(`/api/groups/${groups.aRemoveId}`, { token: ctx.b.token })).body).toMatchObject({
      me: null,
    });
    const notifications = (await memberItems(ctx.b.id)).filter((i) =>
      String(i.sk).startsWith('NOTIF#'),
    ).length;
    expect(notifications).toBe(notificationsBefore);
  });

  it('lets A take back their own comment on B’s post, but not edit it (A no longer reads the post)', async () => {
    const { content } = ctx;
    const path = `/api/posts/${content.postId}/comments/${content.aCommentId}`;
    const edit = await api(path, { method: 'PUT', token: ctx.a.token, body: { body: 'Merci beaucoup !' } });
    expect(edit).toMatchObject({ status: 404, body: { error: { code: 'post.not_found' } } });
    expect((await api(path, { method: 'DELETE', token: ctx.a.token })).status).toBe(204);
    const notifications = (await memberItems(ctx.b.id)).filter((i) =>
      String(i.sk).startsWith('NOTIF#'),
    ).length;
    expect(notifications).toBe(notificationsBefore);
    // B sees the comment's place kept, without its text or its author.
    const thread = await api<{ comments: { id: string; deleted: boolean; author: unknown; body: string }[] }>(
      `/api/posts/${content.postId}`,
      { token: ctx.b.token },
    );
    expect(thread.body.comments.find((c) => c.id === content.aCommentId)).toMatchObject({
      deleted: true,
      author: null,
      body: '',
    });
  });

  it('refuses A a reply to B’s comment on someone else’s post, as a reply to an unknown comment', async () => {
    // C, whom neither blocks, publishes; B comments; A reads the post but not B's comment.
    const c = await newMember({ visibility: 'all', consentVisibilityAll: true });
    const post = await api<{ id: string }>('/api/posts', {
      token: c.token,
      body: { audience: { kind: 'all' }, body: 'Votre avis ?' },
    });
    expect(post.status).toBe(201);
    const path = `/api/posts/${post.body.id}/comments`;
    const fromB = await api<{ id: string }>(path, { token: ctx.b.token, body: { body: 'Pour.' } });
    expect(fromB.status).toBe(201);
    const read = await api(`/api/posts/${post.body.id}`, { token: ctx.a.token });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(ctx.b.id);

    const unknown = await api(path, {
      token: ctx.a.token,
      body: { body: 'Contre.', replyTo: '01KC0MAN000000000000009999' },
    });
    const reply = await api(path, { token: ctx.a.token, body: { body: 'Contre.', replyTo: fromB.body.id } });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'comment.not_found' } } });
    expect({ status: reply.status, body: reply.body }, JSON.stringify(reply.body)).toEqual({
      status: unknown.status,
      body: unknown.body,
    });
    const notifications = (await memberItems(ctx.b.id)).filter((i) =>
      String(i.sk).startsWith('NOTIF#'),
    ).length;
    expect(notifications).toBe(notificationsBefore);
  });

  it('lets the secretary still reach a member who blocked them (charter §2)', async () => {
    const member = await newMember();
    const { token: sec } = await signIn(DEMO.secretaire.email);
    const { token } = await signIn(member.email, 'motdepasse-2026');
    await api(`/api/me/blocks/${DEMO.secretaire.id}`, { method: 'PUT', token });
    expect((await api(`/api/members/${member.id}`, { token: sec })).status).toBe(200);
  });
});
