/**
 * The one family of application errors. Each kind maps to one HTTP status in `shared/http/`;
 * codes are `area.snake_case` and never reveal a block or a hidden member; messages are French
 * because members read them.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the input is malformed; nothing was written. */
export class ValidationError extends AppError {}
/** 401: no valid session. */
export class UnauthenticatedError extends AppError {}
/** 403: the actor is known but may not do this (only when saying so reveals nothing). */
export class ForbiddenError extends AppError {}
/** 404: absent — or present but not visible to the actor (existence is not revealed). */
export class NotFoundError extends AppError {}
/** 409: conflicts with the current state (duplicate, stale version). */
export class ConflictError extends AppError {}
/** 429: over a per-member limit; `retryAfterSeconds` becomes the `Retry-After` header. */
export class RateLimitedError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}
/** 503: a dependency failed for a moment; the member may retry, nothing was half-done. */
export class UnavailableError extends AppError {}

// biome-ignore lint/suspicious/noExplicitAny: constructor signatures differ between kinds
type ErrorKind = abstract new (...args: any[]) => AppError;

export const STATUS_BY_KIND = new Map<ErrorKind, number>([
  [ValidationError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [RateLimitedError, 429],
  [UnavailableError, 503],
]);

/** HTTP status of an application error (500 for a bare AppError, which is a programming slip). */
export function statusOf(error: AppError): number {
  for (const [kind, status] of STATUS_BY_KIND) if (error instanceof kind) return status;
  return 500;
}
