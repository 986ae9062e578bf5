import { cognitoGroupsFor } from '../../auth/policy.ts';
import type { Member } from '../../data/members.ts';
import { syncGroups } from '../../identity/cognito.ts';
import { logger } from '../../log.ts';

/**
 * Brings the member's Cognito groups in step with the table after a change of circle or roles.
 * The groups are only a mirror (every decision reads the member item), so a failure here is
 * logged and repaired by the next change, never surfaced to the member.
 */
export async function mirrorGroups(member: Member): Promise<void> {
  if (!member.cognitoSub) return;
  await syncGroups(member.cognitoSub, cognitoGroupsFor(member)).catch((error: unknown) =>
    logger.warn('cognito groups not in step', { memberId: member.id, error: error as Error }),
  );
}
