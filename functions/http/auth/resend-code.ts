import { ResendCodeInput, resendCode } from '../../../shared/domain/accounts/sessions.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'auth.resendCode', body: ResendCodeInput },
  async ({ body, sourceIp, now }) => {
    await resendCode(body, { sourceIp, now });
    return { status: 202, body: { status: 'confirmation_sent' } };
  },
);
