import { signOut } from '../../../shared/domain/accounts/sessions.ts';
import { clearedRefreshCookie, REFRESH_COOKIE, readCookie } from '../../../shared/http/cookies.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute({ route: 'auth.signOut', input: 'none' }, async ({ cookies }) => {
  await signOut(readCookie(cookies, REFRESH_COOKIE));
  return { status: 204, cookies: [clearedRefreshCookie()] };
});
