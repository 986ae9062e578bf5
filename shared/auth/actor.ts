import { type BlockLists, getMemberWithBlocks, type Member, saveMember } from '../data/members.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { admitMember } from './policy.ts';

/** Who is calling: the member item read for this request (the token is only an identity). */
export interface Actor {
  memberId: string;
  member: Member;
  /** Who the actor blocks and who blocks them, read with the member item. */
  blocks: BlockLists;
  /** The actor's coopains (ids), read with the member item. */
  coopains: ReadonlySet<string>;
}

/** JWT claims as API Gateway hands them to Lambda: every value is a string. */
export type Claims = Record<string, string | number | boolean | string[] | undefined>;

const UNAUTHENTICATED = () => new UnauthenticatedError('auth.unauthenticated', 'Veuillez vous connecter.');

/**
 * Builds the actor from verified claims and the member item, read on every request (rule 5):
 * a deleted member's still-valid token is refused, a suspended member reaches only the routes
 * meant for them.
 */
export async function loadActor(
  claims: Claims | undefined,
  route: { allowSuspended?: boolean },
  now: Date,
): Promise<Actor> {
  const memberId = claims?.['custom:member_id'];
  if (typeof memberId !== 'string' || memberId === '' || claims?.token_use !== 'id') throw UNAUTHENTICATED();
  const found = await getMemberWithBlocks(memberId);
  // `custom:member_id` is written at sign-up through the public app client, so anyone could
  // claim another member's id in their own user: the token's `sub` must be the member's own.
  if (!found || found.member.cognitoSub === '' || found.member.cognitoSub !== claims.sub)
    throw UNAUTHENTICATED();
  const { member, blocks, coopains } = found;
  switch (admitMember(member, route, now)) {
    case 'gone':
      throw UNAUTHENTICATED();
    case 'suspended':
      throw new ForbiddenError(
        'account.suspended',
        'Votre compte est suspendu : seules la consultation de la décision, l’export de vos données et un recours sont possibles.',
      );
  }
  if (member.state === 'pending') {
    // A valid ID token proves the address was confirmed in Cognito: the member's first signed-in
    // request activates the account (auth.confirm itself touches no member item).
    const active = await saveMember(member, { ...member, state: 'active', updatedAt: now.toISOString() });
    return { memberId, member: active, blocks, coopains };
  }
  return { memberId, member, blocks, coopains };
}
