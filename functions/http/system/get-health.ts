import { publicRoute } from '../../../shared/http/handler.ts';

/** Liveness of the API itself (no dependency is called: a health check must stay cheap). */
export const handler = publicRoute({ route: 'system.health', input: 'none' }, async () => ({
  body: { status: 'ok' },
}));
