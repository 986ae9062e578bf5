/**
 * The route table: the single source of truth for the HTTP API.
 * CDK (infra/) turns every entry into an HTTP API route and a function; the local gateway
 * (scripts/local/gateway.ts) serves the same entries. Plain data only — no imports.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `public`: no token. `member`: a valid Cognito ID token, checked by the JWT authorizer. */
export type AuthLevel = 'public' | 'member';

export interface RouteDef {
  /** Stable id, `<area>.<verb>` — used by fixtures, logs, metrics. */
  readonly id: string;
  readonly method: HttpMethod;
  /** Always starts with `/api`; `{name}` marks a path parameter (HTTP API syntax). */
  readonly path: `/api/${string}`;
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly handler: `functions/http/${string}.ts`;
  readonly auth: AuthLevel;
  /** Groups routes for the infrastructure (one stack or construct per area) and the docs. */
  readonly area:
    | 'system'
    | 'auth'
    | 'me'
    | 'sections'
    | 'members'
    | 'secretariat'
    | 'admin'
    | 'coopains'
    | 'messages';
  /** A suspended member may still call it (read the decision, export, appeal). SPEC §1. */
  readonly allowSuspended?: boolean;
  /** Sends email or writes many items: declared so that counts are reported per item. */
  readonly bulk?: boolean;
  /**
   * What the function touches — infra grants exactly this (least privilege), nothing more.
   * `table:read` / `table:write` (write implies read), `cognito` (admin user-pool calls; the
   * public sign-in/sign-up calls need no IAM), `email` (SES send).
   */
  readonly uses: readonly Capability[];
}

export type Capability = 'table:read' | 'table:write' | 'cognito' | 'email';

export const routes = [
  {
    id: 'system.health',
    method: 'GET',
    path: '/api/health',
    handler: 'functions/http/system/get-health.ts',
    auth: 'public',
    area: 'system',
    uses: [],
  },
  {
    id: 'sections.list',
    method: 'GET',
    path: '/api/sections',
    handler: 'functions/http/sections/list-sections.ts',
    auth: 'public',
    area: 'sections',
    uses: ['table:read'],
  },
  {
    id: 'auth.signUp',
    method: 'POST',
    path: '/api/auth/sign-up',
    handler: 'functions/http/auth/sign-up.ts',
    auth: 'public',
    area: 'auth',
    uses: ['table:write', 'cognito', 'email'],
  },
  {
    id: 'auth.confirm',
    method: 'POST',
    path: '/api/auth/confirm',
    handler: 'functions/http/auth/confirm-sign-up.ts',
    auth: 'public',
    area: 'auth',
    uses: ['table:write'],
  },
  {
    id: 'auth.resendCode',
    method: 'POST',
    path: '/api/auth/resend-code',
    handler: 'functions/http/auth/resend-code.ts',
    auth: 'public',
    area: 'auth',
    uses: [],
  },
  {
    id: 'auth.signIn',
    method: 'POST',
    path: '/api/auth/sign-in',
    handler: 'functions/http/auth/sign-in.ts',
    auth: 'public',
    area: 'auth',
    uses: [],
  },
  {
    id: 'auth.refresh',
    method: 'POST',
    path: '/api/auth/refresh',
    handler: 'functions/http/auth/refresh-session.ts',
    auth: 'public',
    area: 'auth',
    uses: [],
  },
  {
    id: 'auth.signOut',
    method: 'POST',
    path: '/api/auth/sign-out',
    handler: 'functions/http/auth/sign-out.ts',
    auth: 'public',
    area: 'auth',
    uses: [],
  },
  {
    id: 'me.get',
    method: 'GET',
    path: '/api/me',
    handler: 'functions/http/me/get-profile.ts',
    auth: 'member',
    area: 'me',
    allowSuspended: true,
    uses: ['table:read'],
  },
  {
    id: 'me.update',
    method: 'PUT',
    path: '/api/me',
    handler: 'functions/http/me/update-profile.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:write'],
  },
  {
    id: 'me.getContact',
    method: 'GET',
    path: '/api/me/contact',
    handler: 'functions/http/me/get-contact.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:read'],
  },
  {
    id: 'me.updateContact',
    method: 'PUT',
    path: '/api/me/contact',
    handler: 'functions/http/me/update-contact.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:write'],
  },
  {
    id: 'me.changeSection',
    method: 'PUT',
    path: '/api/me/section',
    handler: 'functions/http/me/change-section.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:write', 'cognito'],
  },
  {
    id: 'me.addMandate',
    method: 'POST',
    path: '/api/me/mandates',
    handler: 'functions/http/me/add-mandate.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:write'],
  },
  {
    id: 'me.deleteMandate',
    method: 'DELETE',
    path: '/api/me/mandates/{mandateId}',
    handler: 'functions/http/me/delete-mandate.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:write'],
  },
  {
    id: 'me.contactReads',
    method: 'GET',
    path: '/api/me/contact-reads',
    handler: 'functions/http/me/list-contact-reads.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:read'],
  },
  {
    id: 'me.acceptCommitment',
    method: 'POST',
    path: '/api/me/confidentiality-commitment',
    handler: 'functions/http/me/accept-commitment.ts',
    auth: 'member',
    area: 'me',
    uses: ['table:write'],
  },
  {
    id: 'members.get',
    method: 'GET',
    path: '/api/members/{id}',
    handler: 'functions/http/members/get-member.ts',
    auth: 'member',
    area: 'members',
    uses: ['table:read'],
  },
  {
    id: 'members.getContact',
    method: 'GET',
    path: '/api/members/{id}/contact',
    handler: 'functions/http/members/get-member-contact.ts',
    auth: 'member',
    area: 'members',
    uses: ['table:write'],
  },
  {
    id: 'members.verifyMandate',
    method: 'POST',
    path: '/api/members/{id}/mandates/{mandateId}/verify',
    handler: 'functions/http/members/verify-mandate.ts',
    auth: 'member',
    area: 'members',
    uses: ['table:write'],
  },
  {
    id: 'directory.search',
    method: 'GET',
    path: '/api/directory',
    handler: 'functions/http/members/search-directory.ts',
    auth: 'member',
    area: 'members',
    uses: ['table:read'],
  },
  {
    id: 'sections.roster',
    method: 'GET',
    path: '/api/sections/{sectionId}/members',
    handler: 'functions/http/secretariat/list-roster.ts',
    auth: 'member',
    area: 'secretariat',
    bulk: true,
    uses: ['table:write'],
  },
  {
    id: 'sections.confirmMembership',
    method: 'POST',
    path: '/api/sections/{sectionId}/members/{memberId}/confirm',
    handler: 'functions/http/secretariat/confirm-membership.ts',
    auth: 'member',
    area: 'secretariat',
    uses: ['table:write', 'cognito'],
  },
  {
    id: 'sections.declineMembership',
    method: 'POST',
    path: '/api/sections/{sectionId}/members/{memberId}/decline',
    handler: 'functions/http/secretariat/decline-membership.ts',
    auth: 'member',
    area: 'secretariat',
    uses: ['table:write', 'cognito'],
  },
  {
    id: 'sections.sendMessage',
    method: 'POST',
    path: '/api/sections/{sectionId}/messages',
    handler: 'functions/http/secretariat/send-section-message.ts',
    auth: 'member',
    area: 'secretariat',
    uses: ['table:write'],
  },
  {
    id: 'sections.listMessages',
    method: 'GET',
    path: '/api/sections/{sectionId}/messages',
    handler: 'functions/http/secretariat/list-section-messages.ts',
    auth: 'member',
    area: 'secretariat',
    uses: ['table:read'],
  },
  {
    id: 'admin.setRoles',
    method: 'PUT',
    path: '/api/admin/members/{id}/roles',
    handler: 'functions/http/admin/set-roles.ts',
    auth: 'member',
    area: 'admin',
    uses: ['table:write', 'cognito'],
  },
  {
    id: 'coopains.list',
    method: 'GET',
    path: '/api/me/coopains',
    handler: 'functions/http/coopains/list-coopains.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:read'],
  },
  {
    id: 'coopains.remove',
    method: 'DELETE',
    path: '/api/me/coopains/{id}',
    handler: 'functions/http/coopains/remove-coopain.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'coopains.invitations',
    method: 'GET',
    path: '/api/me/invitations',
    handler: 'functions/http/coopains/list-invitations.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:read'],
  },
  {
    id: 'coopains.accept',
    method: 'POST',
    path: '/api/me/invitations/{id}/accept',
    handler: 'functions/http/coopains/accept-invitation.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'coopains.refuse',
    method: 'POST',
    path: '/api/me/invitations/{id}/refuse',
    handler: 'functions/http/coopains/refuse-invitation.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'coopains.invite',
    method: 'POST',
    path: '/api/members/{id}/invitation',
    handler: 'functions/http/coopains/invite-member.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'coopains.cancel',
    method: 'DELETE',
    path: '/api/members/{id}/invitation',
    handler: 'functions/http/coopains/cancel-invitation.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'blocks.list',
    method: 'GET',
    path: '/api/me/blocks',
    handler: 'functions/http/coopains/list-blocks.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:read'],
  },
  {
    id: 'blocks.block',
    method: 'PUT',
    path: '/api/me/blocks/{id}',
    handler: 'functions/http/coopains/block-member.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'blocks.unblock',
    method: 'DELETE',
    path: '/api/me/blocks/{id}',
    handler: 'functions/http/coopains/unblock-member.ts',
    auth: 'member',
    area: 'coopains',
    uses: ['table:write'],
  },
  {
    id: 'messages.send',
    method: 'POST',
    path: '/api/members/{id}/messages',
    handler: 'functions/http/messages/send-message.ts',
    auth: 'member',
    area: 'messages',
    uses: ['table:write'],
  },
  {
    id: 'messages.inbox',
    method: 'GET',
    path: '/api/conversations',
    handler: 'functions/http/messages/list-inbox.ts',
    auth: 'member',
    area: 'messages',
    uses: ['table:read'],
  },
  {
    id: 'messages.list',
    method: 'GET',
    path: '/api/conversations/{id}/messages',
    handler: 'functions/http/messages/list-messages.ts',
    auth: 'member',
    area: 'messages',
    uses: ['table:read'],
  },
  {
    id: 'messages.markRead',
    method: 'POST',
    path: '/api/conversations/{id}/read',
    handler: 'functions/http/messages/mark-read.ts',
    auth: 'member',
    area: 'messages',
    uses: ['table:write'],
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];

/** The route with this id; throws on an unknown id (a programming error). */
export function routeById(id: RouteId): RouteDef {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}
