import { ResendCodeInput, resendCode } from '../../../shared/domain/accounts/sessions.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute({ route: 'auth.resendCode', body: ResendCodeInput }, async ({ body }) => {
  await resendCode(body);
  return { status: 202, body: { status: 'confirmation_sent' } };
});
