import { ConfirmInput, confirmSignUp } from '../../../shared/domain/accounts/sessions.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'auth.confirm', body: ConfirmInput },
  async ({ body, sourceIp, now }) => {
    await confirmSignUp(body, { sourceIp, now });
    return { body: { status: 'confirmed' } };
  },
);
