/** Groups (shared/domain/groups/groups.ts): the API's shapes, the calls, the words. */
import { apiFetch, type Page } from './api.ts';

export type JoinPolicy = 'open' | 'request';
export type GroupVisibility = 'all' | 'adherents';

/** `GroupView`. */
export interface Group {
  id: string;
  name: string;
  description: string;
  joinPolicy: JoinPolicy;
  visibility: GroupVisibility;
  memberCount: number;
  /** My membership: `active` (member or admin), `pending` (asked), or none. */
  me: { status: 'active' | 'pending'; role: 'member' | 'admin' } | null;
}

/** `GroupMemberCard`. */
export interface GroupMember {
  id: string;
  firstName: string;
  lastName: string;
  role: 'member' | 'admin';
  since: string;
}

export interface GroupInput {
  name: string;
  description?: string;
  joinPolicy: JoinPolicy;
  visibility: GroupVisibility;
}

export const JOIN_POLICY_LABELS: Record<JoinPolicy, string> = {
  open: 'Ouvert : chacun·e rejoint librement',
  request: 'Sur demande : les admins acceptent chaque membre',
};

export const GROUP_VISIBILITY_LABELS: Record<GroupVisibility, string> = {
  all: 'Visible de tous les membres',
  adherents: 'Réservé aux adhérent·es',
};

export function isActiveMember(group: Pick<Group, 'me'>): boolean {
  return group.me?.status === 'active';
}

export function isAdmin(group: Pick<Group, 'me'>): boolean {
  return group.me?.status === 'active' && group.me.role === 'admin';
}

export function membersLabel(count: number): string {
  return count === 1 ? '1 membre' : `${count.toLocaleString('fr-FR')} membres`;
}

export function listGroups(params: {
  q?: string;
  mine?: boolean;
  cursor?: string | null;
}): Promise<Page<Group>> {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.mine) query.set('mine', 'true');
  if (params.cursor) query.set('cursor', params.cursor);
  const qs = query.toString();
  return apiFetch<Page<Group>>(qs ? `/api/groups?${qs}` : '/api/groups');
}

/** All my groups (a few pages at most): the composer offers those I am an active member of. */
export async function myGroups(): Promise<Group[]> {
  const groups: Group[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 5; pages++) {
    const page: Page<Group> = await listGroups({ mine: true, cursor });
    groups.push(...page.items);
    cursor = page.cursor;
    if (!cursor) break;
  }
  return groups;
}

export function groupPath(groupId: string, rest = ''): string {
  return `/api/groups/${encodeURIComponent(groupId)}${rest}`;
}
