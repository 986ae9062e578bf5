import { api, mailsTo, newMember } from './api.ts';

type Request = { path: string; method: string; body?: unknown; token?: string; cookie?: string };

/** The newest code emailed to an address after `before` mails, waited for. */
export async function nextCode(email: string, before: number, timeoutMs = 10_000): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const mails = (await mailsTo(email)).filter((m) => /code/.test(m.subject));
    const last = mails.length > before ? mails[mails.length - 1] : undefined;
    const code = /(\d{6})/.exec(last?.body.text ?? '')?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No new code mailed to ${email} within ${timeoutMs} ms`);
}

/** Codes mailed to an address so far. */
export async function codeCount(email: string): Promise<number> {
  return (await mailsTo(email)).filter((m) => /code/.test(m.subject)).length;
}

/** A confirmed member who asked for a password reset, and the code they received. */
export async function memberWithResetCode(): Promise<{ email: string; code: string }> {
  const { email } = await newMember();
  const before = await codeCount(email);
  const res = await api('/api/auth/forgot-password', { body: { email } });
  if (res.status !== 202)
    throw new Error(`forgot-password failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, code: await nextCode(email, before) };
}

/** The password-reset routes' fixtures (issue 12), spread into test/support/route-fixtures.ts. */
export const authFixtures = {
  'auth.forgotPassword': async (): Promise<Request> => ({
    method: 'POST',
    path: '/api/auth/forgot-password',
    body: { email: (await newMember()).email },
  }),
  'auth.resetPassword': async (): Promise<Request> => ({
    method: 'POST',
    path: '/api/auth/reset-password',
    body: { ...(await memberWithResetCode()), password: 'nouveau-mot-2026' },
  }),
};
