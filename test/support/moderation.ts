import { api, DEMO, newMember, signIn } from './api.ts';

/**
 * Moderation test helpers (issue 8), shared by the route fixtures, the probes and the moderation
 * tests: a reported member, a suspended one with a decision to appeal.
 */

export interface Someone {
  id: string;
  token: string;
  email: string;
}

const visible = { visibility: 'all', consentVisibilityAll: true };

export const asCoopilote = async (): Promise<string> => (await signIn(DEMO.coopilote.email)).token;

export async function visibleMember(overrides: Record<string, unknown> = {}): Promise<Someone> {
  const m = await newMember({ ...visible, ...overrides });
  return { id: m.id, token: m.token, email: m.email };
}

/** `reporter` reports `target` (a target string such as `member:<id>`); throws unless 201. */
export async function report(
  reporter: { token: string },
  target: string,
  category = 'injurious',
  comment = 'Propos blessants.',
): Promise<string> {
  const res = await api<{ id: string }>('/api/reports', {
    token: reporter.token,
    body: { target, category, comment },
  });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A member visible to all, and another who reported their profile. */
export async function reportedMember(): Promise<{ author: Someone; reporter: Someone; target: string }> {
  const [author, reporter] = await Promise.all([visibleMember(), visibleMember()]);
  const target = `member:${author.id}`;
  await report(reporter, target);
  return { author, reporter, target };
}

/** A coopilote's decision on a target; throws unless 200. */
export async function decide(
  coopilote: string,
  target: string,
  body: Record<string, unknown>,
): Promise<{ decisionId: string; outcome: string }> {
  const res = await api<{ decisionId: string; outcome: string }>(
    `/api/moderation/reports/${encodeURIComponent(target)}/decision`,
    { token: coopilote, body },
  );
  if (res.status !== 200) throw new Error(`decision failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A member suspended for `days` (or for good) after a report on their profile. */
export async function suspendedMember(
  days: number | 'permanent' = 7,
): Promise<{ member: Someone; reporter: Someone; target: string; decisionId: string; coopilote: string }> {
  const { author, reporter, target } = await reportedMember();
  const coopilote = await asCoopilote();
  const { decisionId } = await decide(coopilote, target, {
    decision: 'act',
    reason: 'Propos injurieux répétés envers d’autres membres.',
    remove: false,
    suspend: days,
  });
  return { member: author, reporter, target, decisionId, coopilote };
}

/** A suspended member who appealed; returns what the coopilote answers. */
export async function appealedSuspension(): Promise<{
  member: Someone;
  decisionId: string;
  coopilote: string;
}> {
  const { member, decisionId, coopilote } = await suspendedMember();
  const res = await api('/api/me/appeals', {
    token: member.token,
    body: { decisionId, text: 'Je conteste : mes propos ont été mal compris.' },
  });
  if (res.status !== 201) throw new Error(`appeal failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { member, decisionId, coopilote };
}
