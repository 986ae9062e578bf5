import { ForgotPasswordInput, forgotPassword } from '../../../shared/domain/accounts/sessions.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'auth.forgotPassword', body: ForgotPasswordInput },
  async ({ body, sourceIp, now }) => {
    await forgotPassword(body, { sourceIp, now });
    return { status: 202, body: { status: 'reset_code_sent' } };
  },
);
