import type { RouteId } from '../../shared/routes.ts';
import { api, DEMO, signIn, uniqueEmail, validSignUp, waitForMail } from './api.ts';

/**
 * The fixture registry: for every route id, a valid request made by its legitimate actor.
 * The route walker (test/integration/route-walk.test.ts) fails if a route has none, so a new route
 * cannot pass a walk vacuously.
 */
export interface FixtureRequest {
  path: string;
  method: string;
  body?: unknown;
  token?: string;
  cookie?: string;
}

type Fixture = () => Promise<FixtureRequest>;

async function pendingSignUp(): Promise<{ email: string; code: string }> {
  const email = uniqueEmail('walk');
  await api('/api/auth/sign-up', { body: validSignUp(email) });
  const mail = await waitForMail(email, /code/);
  return { email, code: /(\d{6})/.exec(mail.body.text ?? '')?.[1] ?? '' };
}

const asAdherente = async () => (await signIn(DEMO.adherente.email)).token;

export const routeFixtures: Record<RouteId, Fixture> = {
  'system.health': async () => ({ method: 'GET', path: '/api/health' }),
  'sections.list': async () => ({ method: 'GET', path: '/api/sections?q=par' }),
  'auth.signUp': async () => ({
    method: 'POST',
    path: '/api/auth/sign-up',
    body: validSignUp(uniqueEmail('walk')),
  }),
  'auth.confirm': async () => ({ method: 'POST', path: '/api/auth/confirm', body: await pendingSignUp() }),
  'auth.resendCode': async () => ({
    method: 'POST',
    path: '/api/auth/resend-code',
    body: { email: (await pendingSignUp()).email },
  }),
  'auth.signIn': async () => ({
    method: 'POST',
    path: '/api/auth/sign-in',
    body: { email: DEMO.adherente.email, password: 'coopol-demo-2026' },
  }),
  'auth.refresh': async () => ({
    method: 'POST',
    path: '/api/auth/refresh',
    cookie: (await signIn(DEMO.adherente.email)).cookie,
  }),
  'auth.signOut': async () => ({
    method: 'POST',
    path: '/api/auth/sign-out',
    cookie: (await signIn(DEMO.adherente.email)).cookie,
  }),
  'me.get': async () => ({ method: 'GET', path: '/api/me', token: await asAdherente() }),
  'me.update': async () => ({
    method: 'PUT',
    path: '/api/me',
    token: await asAdherente(),
    body: {
      firstName: 'Camille',
      lastName: 'Martin',
      bio: 'Adhérente depuis 2015.',
      visibility: 'adherents',
    },
  }),
  'me.getContact': async () => ({ method: 'GET', path: '/api/me/contact', token: await asAdherente() }),
  'me.updateContact': async () => ({
    method: 'PUT',
    path: '/api/me/contact',
    token: await asAdherente(),
    body: { phone: '06 12 34 56 78', postalAddress: '1 rue de la République, 75011 Paris' },
  }),
};
