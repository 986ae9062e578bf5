import * as z from 'zod/mini';
import type { Actor } from '../../auth/actor.ts';
import { maySetRoles } from '../../auth/policy.ts';
import { getMember, type MemberRoles, saveMember } from '../../data/members.ts';
import { getSection } from '../../data/sections.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { auditOf } from '../audit.ts';
import { type Deps, defaultDeps } from '../deps.ts';
import { Id } from '../schemas.ts';
import { mirrorGroups } from './groups.ts';

export const SetRolesInput = z.strictObject({
  secretaryOf: z.array(Id).check(z.maxLength(5, '5 sections au plus.')),
  coopilote: z.boolean(),
  admin: z.boolean(),
});

/** An admin sets a member's roles (secretary of sections, coopilote, admin); groups follow. */
export async function setRoles(
  actor: Actor,
  memberId: string,
  input: z.infer<typeof SetRolesInput>,
  deps: Deps = defaultDeps,
): Promise<MemberRoles> {
  if (!maySetRoles(actor.member))
    throw new ForbiddenError('admin.not_allowed', 'Réservé aux administrateurs et administratrices.');
  const member = await getMember(memberId);
  if (!member || member.state === 'deleted')
    throw new NotFoundError('member.not_found', 'Membre introuvable.');
  if (memberId === actor.memberId && !input.admin) {
    throw new ValidationError(
      'admin.keep_one',
      'Vous ne pouvez pas retirer votre propre rôle d’administration.',
      'admin',
    );
  }
  const sections = [...new Set(input.secretaryOf)];
  for (const id of sections) {
    if (!(await getSection(id)))
      throw new ValidationError('admin.unknown_section', 'Section inconnue.', 'secretaryOf');
  }
  const roles: MemberRoles = { secretaryOf: sections, coopilote: input.coopilote, admin: input.admin };
  const at = deps.now().toISOString();
  const saved = await saveMember(member, { ...member, roles, updatedAt: at }, [
    auditOf(actor, 'roles.set', member.id, deps, {
      secretaryOf: sections.join(','),
      coopilote: String(input.coopilote),
      admin: String(input.admin),
    }),
  ]);
  await mirrorGroups(saved);
  return saved.roles;
}
