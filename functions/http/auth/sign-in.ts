import { SignInInput, signIn } from '../../../shared/domain/accounts/sessions.ts';
import { refreshCookie } from '../../../shared/http/cookies.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'auth.signIn', body: SignInInput },
  async ({ body, sourceIp, now }) => {
    const session = await signIn(body, { sourceIp, now });
    return {
      body: { idToken: session.idToken, expiresIn: session.expiresIn },
      cookies: session.refreshToken ? [refreshCookie(session.refreshToken)] : [],
    };
  },
);
