import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  admitMember,
  effectiveMembership,
  inAdherentsCircle,
  mayListInDirectory,
  mayModerate,
  mayModerateAt,
  mayReadAuditLog,
  mayReadContactDetails,
  profileAccess,
} from '../../shared/auth/policy.ts';
import type { GroupMembership } from '../../shared/data/groups.ts';
import type { Member } from '../../shared/data/members.ts';
import type { Audience } from '../../shared/data/posts.ts';

interface Matrix {
  now: string;
  personas: Record<string, Member>;
  contactDetails: { viewer: string; member: string; allowed: boolean; rule: string }[];
  admission: { member: string | null; route: 'member' | 'allowSuspended'; expected: string; rule: string }[];
  circles: { member: string; inAdherentsCircle: boolean; effectiveMembership: string }[];
  profile: {
    viewer: string;
    member: string;
    coopains: boolean;
    blocked: boolean;
    expected: string | null;
    rule: string;
  }[];
  directory: { viewer: string; member: string; blocked: boolean; listed: boolean; rule: string }[];
  moderation: {
    viewer: string;
    action: 'moderate' | 'readAuditLog' | 'removeAt';
    audience?: Audience;
    group?: Pick<GroupMembership, 'role' | 'status'>;
    allowed: boolean;
    rule: string;
  }[];
}

const matrix = JSON.parse(
  readFileSync(new URL('../fixtures/authorization-matrix.json', import.meta.url), 'utf8'),
) as Matrix;
const now = new Date(matrix.now);

function persona(name: string): Member {
  const p = matrix.personas[name];
  if (!p) throw new Error(`Unknown persona ${name} in the matrix`);
  return p;
}

describe('authorization matrix (shared/auth/policy.ts, driven by test/fixtures/authorization-matrix.json)', () => {
  it.each(
    matrix.contactDetails.map(
      (r) => [`${r.viewer} → ${r.member}: ${r.allowed ? 'reads' : 'refused'} — ${r.rule}`, r] as const,
    ),
  )('contact details: %s', (_title, row) => {
    expect(mayReadContactDetails(persona(row.viewer), persona(row.member))).toBe(row.allowed);
  });

  it.each(
    matrix.admission.map(
      (r) =>
        [`${r.member ?? '(no member item)'} on a ${r.route} route → ${r.expected} — ${r.rule}`, r] as const,
    ),
  )('admission: %s', (_title, row) => {
    const member = row.member ? persona(row.member) : undefined;
    expect(admitMember(member, { allowSuspended: row.route === 'allowSuspended' }, now)).toBe(row.expected);
  });

  it.each(matrix.circles.map((r) => [r.member, r] as const))('circle of %s', (_name, row) => {
    expect(inAdherentsCircle(persona(row.member))).toBe(row.inAdherentsCircle);
    expect(effectiveMembership(persona(row.member))).toBe(row.effectiveMembership);
  });

  it.each(
    matrix.profile.map(
      (r) =>
        [
          `${r.viewer} → ${r.member}${r.coopains ? ' (coopains)' : ''}${r.blocked ? ' (blocked)' : ''}: ${r.expected ?? 'hidden'} — ${r.rule}`,
          r,
        ] as const,
    ),
  )('profile: %s', (_title, row) => {
    expect(
      profileAccess(
        persona(row.viewer),
        persona(row.member),
        { coopains: row.coopains, blocked: row.blocked },
        now,
      ),
    ).toBe(row.expected);
  });

  it.each(
    matrix.directory.map(
      (r) =>
        [
          `${r.viewer} → ${r.member}${r.blocked ? ' (blocked)' : ''}: ${r.listed ? 'listed' : 'not listed'} — ${r.rule}`,
          r,
        ] as const,
    ),
  )('directory: %s', (_title, row) => {
    expect(mayListInDirectory(persona(row.viewer), persona(row.member), { blocked: row.blocked }, now)).toBe(
      row.listed,
    );
  });

  it.each(
    matrix.moderation.map(
      (r) =>
        [
          `${r.viewer} ${r.action}${r.audience ? ` on ${r.audience.kind}` : ''}${r.group ? ` (${r.group.role}, ${r.group.status})` : ''}: ${r.allowed ? 'allowed' : 'refused'} — ${r.rule}`,
          r,
        ] as const,
    ),
  )('moderation: %s', (_title, row) => {
    const viewer = persona(row.viewer);
    const answer =
      row.action === 'moderate'
        ? mayModerate(viewer)
        : row.action === 'readAuditLog'
          ? mayReadAuditLog(viewer)
          : mayModerateAt(viewer, row.audience as Audience, {
              group: row.group ? { groupId: 'G1', memberId: viewer.id, at: '', ...row.group } : undefined,
            });
    expect(answer).toBe(row.allowed);
  });
});
