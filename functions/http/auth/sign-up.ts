import { SignUpInput, signUp } from '../../../shared/domain/accounts/sign-up.ts';
import { publicRoute } from '../../../shared/http/handler.ts';

export const handler = publicRoute(
  { route: 'auth.signUp', body: SignUpInput },
  async ({ body, sourceIp }) => {
    await signUp(body, { sourceIp });
    return { status: 202, body: { status: 'confirmation_sent' } };
  },
);
