import { auditWrite } from '../../data/audit.ts';
import { getMember, saveMember, suspensionsEndingBefore } from '../../data/members.ts';
import { decisionWrite } from '../../data/moderation.ts';
import { type Deps, defaultDeps } from '../deps.ts';

/**
 * Timed suspensions end by themselves (SPEC §6). The per-request check already lets a member in
 * once `suspendedUntil` has passed; this job then makes it so in the table: the state back to
 * active (their directory entries back with it), a « lifted » decision in their history and an
 * audit entry by the platform itself. Q3: the sparse index holds timed suspensions only.
 */
export async function expireSuspensions(
  deps: Deps = defaultDeps,
  opts: { limit?: number } = {},
): Promise<{ lifted: number }> {
  const now = deps.now().toISOString();
  const due = await suspensionsEndingBefore(now, { limit: opts.limit ?? 100 });
  let lifted = 0;
  for (const { memberId } of due) {
    const member = await getMember(memberId);
    if (member?.state !== 'suspended' || !member.suspendedUntil || member.suspendedUntil > now) continue;
    const decisionId = deps.newId();
    const { suspendedUntil: _ended, ...rest } = member;
    try {
      await saveMember(member, { ...rest, state: 'active', updatedAt: now }, [
        decisionWrite({
          id: decisionId,
          memberId,
          at: now,
          kinds: ['lifted'],
          reason: 'La durée de la suspension est écoulée.',
          byId: 'system',
        }),
        auditWrite({
          id: deps.newId(),
          at: now,
          action: 'moderation.expire',
          actorId: 'system',
          actorName: 'La coopol',
          subjectId: memberId,
          details: { decisionId },
        }),
      ]);
      lifted++;
    } catch {
      // Changed meanwhile (a coopilote acted): the next run looks again.
    }
  }
  return { lifted };
}
