import { refreshSession } from '../../../shared/domain/accounts/sessions.ts';
import { REFRESH_COOKIE, readCookie } from '../../../shared/http/cookies.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute({ route: 'auth.refresh', input: 'none' }, async ({ cookies }) => {
  const session = await refreshSession(readCookie(cookies, REFRESH_COOKIE));
  return { body: { idToken: session.idToken, expiresIn: session.expiresIn } };
});
