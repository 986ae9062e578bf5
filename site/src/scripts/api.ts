/**
 * The one way the site talks to the API (docs/api.md). Same origin only: the site is served with
 * `connect-src 'self'`, so every path starts with `/api`.
 */
import { dropToken, getToken, setToken } from './session.ts';

export type Membership = 'adherent' | 'mjs' | 'sympathisant';
export type Visibility = 'section' | 'adherents' | 'all';

export interface SectionRef {
  id: string;
  name: string;
}

/** `Mandate` in docs/api.md: unverified until the section's secretary or an admin verifies it. */
export interface Mandate {
  id: string;
  office: string;
  territory: string;
  /** `YYYY-MM-DD`. */
  startDate: string;
  endDate: string | null;
  verified: boolean;
}

/** `Profile` in docs/api.md: my own profile (`GET /api/me`). */
export interface Profile {
  id: string;
  firstName: string;
  lastName: string;
  bio: string | null;
  membership: { claimed: Membership; confirmed: boolean };
  section: SectionRef | null;
  visibility: Visibility;
  state: string;
  roles: { secretaryOf: string[]; coopilote: boolean; admin: boolean };
  createdAt: string;
  /** All of my mandates, verified or not (absent from answers older than the members slice). */
  mandates?: Mandate[];
  /** When I, as a secretary, accepted the charter's confidentiality commitment. */
  confidentialityAcceptedAt?: string | null;
}

/** How the viewer is related to a member they may see without the visibility rule (SPEC §2). */
export type Relation = 'self' | 'coopain' | 'secretary';

/** `PublicProfile` in docs/api.md: never contact details, never the member's visibility. */
export interface PublicProfile {
  id: string;
  firstName: string;
  lastName: string;
  bio: string | null;
  /** The confirmed circle. */
  membership: Membership;
  section: SectionRef | null;
  /** Verified and current only. */
  mandates: Mandate[];
  relation: Relation | null;
}

/** `DirectoryCard` in docs/api.md. */
export interface DirectoryCard {
  id: string;
  firstName: string;
  lastName: string;
  membership: Membership;
  section: SectionRef | null;
}

/** `MemberCard` in docs/api.md: a member in the coopains, invitations and blocks lists. */
export type MemberCard = DirectoryCard;

/** `GET /api/me/invitations`: the invitations waiting for an answer, both ways. */
export interface Invitations {
  received: Array<{ from: MemberCard; at: string }>;
  sent: Array<{ to: MemberCard; at: string }>;
}

/** `RosterEntry` in docs/api.md: a line of a section's roster, for its secretary or an admin. */
export interface RosterEntry {
  id: string;
  firstName: string;
  lastName: string;
  membership: { claimed: Membership; confirmed: boolean };
  visibility: Visibility;
  state: string;
  createdAt: string;
  contact: Contact | null;
  /** All the member's declared mandates, verified or not (served, not yet in docs/api.md). */
  mandates?: Mandate[];
}

/** A line of the inbox (`GET /api/conversations`); `with` is null for a deleted member. */
export interface ConversationSummary {
  id: string;
  with: { id: string; firstName: string; lastName: string } | null;
  lastMessageAt: string;
  preview: string;
  unread: number;
}

/** A message of a conversation (`GET /api/conversations/{id}/messages`). */
export interface Message {
  id: string;
  mine: boolean;
  text: string;
  at: string;
  /** The secretary's message to the whole section (« Message à la section »). */
  toSection?: true;
  /** Removed by the coopilotes (SPEC §6): its text is gone. */
  removed?: true;
}

/** Where a message to the whole section is: queued, being delivered, done, or stopped midway. */
export type SectionMessageStatus = 'queued' | 'sending' | 'sent' | 'stopped';

/** `SectionMessage` in docs/api.md: a secretary's message to the section, with its delivery progress. */
export interface SectionMessage {
  id: string;
  text: string;
  at: string;
  authorName: string;
  status: SectionMessageStatus;
  /** Members reached so far. */
  delivered: number;
  finishedAt: string | null;
}

/** A page of a conversation, newest first; `with` is the other member's id. */
export interface Thread extends Page<Message> {
  with: string;
}

/** A page of a list: `cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface ContactRead {
  at: string;
  /** docs/api.md says `firstName`/`lastName`; the server answers `name`: both are read. */
  by: { id: string; firstName?: string; lastName?: string; name?: string; role: string };
}

export interface Contact {
  email: string;
  phone: string | null;
  postalAddress: string | null;
}

export interface Section {
  id: string;
  name: string;
  department: string;
}

/** An error answered by the API (`{ error: { code, message, field? } }`) or met on the way. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON; no body means no `Content-Type` (the API refuses a typed empty body). */
  body?: unknown;
}

const UNAVAILABLE = 'Le service est momentanément indisponible. Réessayez dans un instant.';
const UNREACHABLE = 'Impossible de joindre la coopol. Vérifiez votre connexion internet et réessayez.';
const SESSION_EXPIRED = 'Votre session a expiré : reconnectez-vous.';

/** Routes that need no token (docs/api.md); every other route is a member route. */
function isMemberRoute(path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  return !(
    bare.startsWith('/api/auth/') ||
    bare === '/api/health' ||
    bare === '/api/sections' ||
    // The email's unsubscribe link works signed out: no token, no refresh.
    bare === '/api/unsubscribe'
  );
}

async function send(path: string, options: ApiOptions, withToken: boolean): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json' });
  const token = withToken ? getToken() : null;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const init: RequestInit = { method: options.method ?? 'GET', headers, credentials: 'same-origin' };
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    init.body = JSON.stringify(options.body);
  }
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', UNREACHABLE);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const data = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; field?: unknown };
    };
    const error = data.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiError(
        response.status,
        error.code,
        error.message,
        typeof error.field === 'string' ? error.field : undefined,
      );
    }
  } catch {
    // Not our JSON (a proxy's error page): fall through to a generic message.
  }
  // The JWT authorizer answers a missing or expired token itself, without our error shape.
  if (response.status === 401) return new ApiError(401, 'auth.session_expired', SESSION_EXPIRED);
  return new ApiError(response.status, 'unavailable', UNAVAILABLE);
}

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the HttpOnly refresh cookie for a new ID token. Concurrent callers share one request,
 * so a page loading several member routes refreshes once.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
      if (!response.ok) return false;
      const data = (await response.json()) as { idToken?: unknown };
      if (typeof data.idToken !== 'string') return false;
      setToken(data.idToken);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Where a suspended member reads the decision and appeals (SPEC §6). */
export const SUSPENDED_PAGE = '/moderation/mes-decisions/';

/**
 * A suspended member's token is still valid, but every route except those meant for them answers
 * 403 `account.suspended` (effective on the next request): whatever page asked, the member is sent,
 * once, to the page that explains the decision and takes the appeal.
 */
/** Pages a suspended member may still use: the decision, the charter it cites, and their data (export, deletion). */
const OPEN_WHEN_SUSPENDED = new Set([SUSPENDED_PAGE, '/charte/', '/parametres/donnees/']);
let leaving = false;
function toSuspendedPage(): void {
  if (leaving || OPEN_WHEN_SUSPENDED.has(window.location.pathname.replace(/\/*$/, '/'))) return;
  leaving = true;
  window.location.replace(SUSPENDED_PAGE);
}

/**
 * Calls the API and returns the parsed JSON answer (undefined for 204). On a 401 from a member
 * route it refreshes the session once and retries; if that fails the token is dropped and the
 * 401 is thrown. Every failure is an `ApiError` with a French message fit to show.
 */
export async function apiFetch<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  const member = isMemberRoute(path);
  let response = await send(path, options, member);
  if (response.status === 401 && member) {
    if (await refreshSession()) {
      response = await send(path, options, true);
    }
    if (response.status === 401) dropToken();
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.status === 403 && error.code === 'account.suspended') toSuspendedPage();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'unavailable', UNAVAILABLE);
  }
}

/**
 * Downloads a file the API makes (the roster export): the same session handling and errors as
 * `apiFetch`, the answer kept as a blob with the name the server gave it.
 */
export async function apiDownload(path: string): Promise<{ blob: Blob; filename: string }> {
  let response = await send(path, {}, true);
  if (response.status === 401) {
    if (await refreshSession()) response = await send(path, {}, true);
    if (response.status === 401) dropToken();
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.status === 403 && error.code === 'account.suspended') toSuspendedPage();
    throw error;
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export.csv';
  return { blob: await response.blob(), filename };
}

/** Ends the session on the server (revokes the refresh token, clears its cookie). */
export async function signOutOnServer(): Promise<void> {
  await apiFetch('/api/auth/sign-out', { method: 'POST' });
}
