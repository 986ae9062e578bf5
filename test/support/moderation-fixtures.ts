import {
  appealedSuspension,
  asCoopilote,
  reportedMember,
  suspendedMember,
  visibleMember,
} from './moderation.ts';

type Request = { path: string; method: string; body?: unknown; token?: string };

/** The moderation and personal-data routes' fixtures (issue 8), spread into test/support/route-fixtures.ts. */
export const moderationFixtures = {
  'reports.create': async (): Promise<Request> => {
    const [author, reporter] = await Promise.all([visibleMember(), visibleMember()]);
    return {
      method: 'POST',
      path: '/api/reports',
      token: reporter.token,
      body: { target: `member:${author.id}`, category: 'identity_usurpation', comment: 'Ce n’est pas lui.' },
    };
  },
  'moderation.queue': async (): Promise<Request> => {
    await reportedMember();
    return { method: 'GET', path: '/api/moderation/reports', token: await asCoopilote() };
  },
  'moderation.file': async (): Promise<Request> => {
    const { target } = await reportedMember();
    return {
      method: 'GET',
      path: `/api/moderation/reports/${encodeURIComponent(target)}`,
      token: await asCoopilote(),
    };
  },
  'moderation.decide': async (): Promise<Request> => {
    const { target } = await reportedMember();
    return {
      method: 'POST',
      path: `/api/moderation/reports/${encodeURIComponent(target)}/decision`,
      token: await asCoopilote(),
      body: { decision: 'dismiss', note: 'Rien de contraire à la charte.' },
    };
  },
  'moderation.history': async (): Promise<Request> => {
    const { member } = await suspendedMember();
    return { method: 'GET', path: `/api/moderation/members/${member.id}`, token: await asCoopilote() };
  },
  'moderation.lift': async (): Promise<Request> => {
    const { member, coopilote } = await suspendedMember();
    return {
      method: 'POST',
      path: `/api/moderation/members/${member.id}/lift`,
      token: coopilote,
      body: { reason: 'Levée après échange avec le membre.' },
    };
  },
  'moderation.appeals': async (): Promise<Request> => {
    await appealedSuspension();
    return { method: 'GET', path: '/api/moderation/appeals', token: await asCoopilote() };
  },
  'moderation.answerAppeal': async (): Promise<Request> => {
    const { member, decisionId, coopilote } = await appealedSuspension();
    return {
      method: 'POST',
      path: `/api/moderation/members/${member.id}/appeals/${decisionId}`,
      token: coopilote,
      body: { decision: 'uphold', answer: 'La décision est maintenue : les propos étaient injurieux.' },
    };
  },
  'moderation.audit': async (): Promise<Request> => {
    const { member } = await suspendedMember();
    return { method: 'GET', path: `/api/moderation/audit?member=${member.id}`, token: await asCoopilote() };
  },
  'me.moderation': async (): Promise<Request> => {
    const { member } = await suspendedMember();
    return { method: 'GET', path: '/api/me/moderation', token: member.token };
  },
  'me.appeal': async (): Promise<Request> => {
    const { member, decisionId } = await suspendedMember();
    return {
      method: 'POST',
      path: '/api/me/appeals',
      token: member.token,
      body: { decisionId, text: 'Je demande un réexamen de cette décision.' },
    };
  },
  'me.export': async (): Promise<Request> => {
    const member = await visibleMember();
    return { method: 'GET', path: '/api/me/export', token: member.token };
  },
  'me.delete': async (): Promise<Request> => {
    const member = await visibleMember();
    return { method: 'DELETE', path: '/api/me', token: member.token, body: { confirm: 'SUPPRIMER' } };
  },
};
