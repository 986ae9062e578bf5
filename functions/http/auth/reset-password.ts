import { ResetPasswordInput, resetPassword } from '../../../shared/domain/accounts/sessions.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'auth.resetPassword', body: ResetPasswordInput },
  async ({ body, sourceIp, now }) => {
    await resetPassword(body, { sourceIp, now });
    return { body: { status: 'password_reset' } };
  },
);
