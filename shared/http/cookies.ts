/** The refresh token lives in an HttpOnly cookie scoped to the auth routes: no script can read it. */
export const REFRESH_COOKIE = 'coopol_refresh';
const THIRTY_DAYS = 30 * 24 * 3600;

export function refreshCookie(token: string): string {
  return `${REFRESH_COOKIE}=${token}; HttpOnly; Secure; SameSite=Strict; Path=/api/auth; Max-Age=${THIRTY_DAYS}`;
}

export function clearedRefreshCookie(): string {
  return `${REFRESH_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/api/auth; Max-Age=0`;
}

/** The value of a cookie among the raw `name=value` strings API Gateway passes. */
export function readCookie(cookies: readonly string[], name: string): string | undefined {
  for (const cookie of cookies) {
    const eq = cookie.indexOf('=');
    if (eq > 0 && cookie.slice(0, eq).trim() === name) return cookie.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
