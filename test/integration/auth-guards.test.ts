import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as confirmHandler } from '../../functions/http/auth/confirm-sign-up.ts';
import { handler as forgotPasswordHandler } from '../../functions/http/auth/forgot-password.ts';
import { handler as resendCodeHandler } from '../../functions/http/auth/resend-code.ts';
import { handler as resetPasswordHandler } from '../../functions/http/auth/reset-password.ts';
import { handler as signInHandler } from '../../functions/http/auth/sign-in.ts';
import { handler as signUpHandler } from '../../functions/http/auth/sign-up.ts';
import { memberIdByEmail } from '../../shared/data/accounts.ts';
import { type GuardSubject, guardedCount, type Limit } from '../../shared/data/rate-limits.ts';
import { AUTH_LIMITS, authGuardSecret } from '../../shared/domain/limits.ts';
import type { HttpResult } from '../../shared/http/handler.ts';
import { cognitoUserExists, mailsTo, newMember, uniqueEmail, validSignUp } from '../support/api.ts';
import { codeCount, nextCode } from '../support/auth-fixtures.ts';
import { useLocalStack } from '../support/personas.ts';

/**
 * The sign-in and sign-up guards (issue 12) at their real limits. The shared test stack raises
 * them (thousands of personas sign in from 127.0.0.1), so these tests call the handlers in-process,
 * with this worker's limits, against the stack's emulators; each test uses its own source
 * addresses (198.51.100.0/24, TEST-NET-2) so that counters never mix.
 */

const TEMPLATE = JSON.parse(
  readFileSync(new URL('../fixtures/http-api-v2-jwt-event.json', import.meta.url), 'utf8'),
) as APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } };

type Handler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

let nextIp = 10 + Math.floor(Math.random() * 40);
/** A source address of its own for a test (repeated runs on one stack get other addresses too). */
function freshIp(): string {
  nextIp += 1;
  return `198.51.100.${nextIp}`;
}
let farIp = 0;
/** Many distinct addresses (for "from different IPs"): 203.0.113.0/24 and beyond, by counter. */
function otherIp(): string {
  farIp += 1;
  return `203.0.${113 + Math.floor(farIp / 250)}.${(farIp % 250) + 1}`;
}

function call(handler: Handler, path: string, body: unknown, sourceIp: string): Promise<HttpResult> {
  const { authorizer: _drop, ...requestContext } = TEMPLATE.requestContext;
  const event: APIGatewayProxyEventV2 = {
    ...TEMPLATE,
    routeKey: `POST ${path}`,
    rawPath: path,
    cookies: [],
    headers: { 'content-type': 'application/json', 'user-agent': 'vitest' },
    requestContext: {
      ...requestContext,
      http: { ...requestContext.http, method: 'POST', path, sourceIp },
      routeKey: `POST ${path}`,
      requestId: `guard-${Math.random().toString(36).slice(2)}`,
    },
    body: JSON.stringify(body),
  };
  return handler(event);
}

const signIn = (body: unknown, ip: string) => call(signInHandler as Handler, '/api/auth/sign-in', body, ip);
const signUp = (body: unknown, ip: string) => call(signUpHandler as Handler, '/api/auth/sign-up', body, ip);
const resend = (body: unknown, ip: string) =>
  call(resendCodeHandler as Handler, '/api/auth/resend-code', body, ip);
const confirm = (body: unknown, ip: string) => call(confirmHandler as Handler, '/api/auth/confirm', body, ip);
const forgot = (body: unknown, ip: string) =>
  call(forgotPasswordHandler as Handler, '/api/auth/forgot-password', body, ip);
const reset = (body: unknown, ip: string) =>
  call(resetPasswordHandler as Handler, '/api/auth/reset-password', body, ip);

const errorCode = (res: HttpResult) =>
  (JSON.parse(String(res.body)) as { error?: { code: string } }).error?.code;
const retryAfter = (res: HttpResult) => Number((res.headers as Record<string, string>)['retry-after']);

function expectRefused(res: HttpResult, windowSeconds: number): void {
  expect(res.statusCode, String(res.body)).toBe(429);
  const body = JSON.parse(String(res.body)) as { error: { code: string; message: string } };
  expect(body.error.message).toMatch(/^Trop d/);
  expect(retryAfter(res)).toBeGreaterThan(0);
  expect(retryAfter(res)).toBeLessThanOrEqual(windowSeconds);
}

const count = (subject: GuardSubject, limit: () => Limit) =>
  guardedCount(subject, limit(), new Date(), authGuardSecret());

const PASSWORD = String(validSignUp('x').password);
const LIMIT_VARS = [
  'RATE_LIMIT_SIGN_INS_PER_IP',
  'RATE_LIMIT_SIGN_INS_PER_ACCOUNT',
  'RATE_LIMIT_SIGN_UPS_PER_IP',
  'RATE_LIMIT_RESEND_CODES_PER_IP',
  'RATE_LIMIT_RESEND_CODES_PER_ACCOUNT',
  'RATE_LIMIT_PASSWORD_RESETS_PER_IP',
  'RATE_LIMIT_PASSWORD_RESETS_PER_ACCOUNT',
  'RATE_LIMIT_CONFIRMS_PER_IP',
  'RATE_LIMIT_CONFIRMS_PER_ACCOUNT',
  'RATE_LIMIT_NEW_PASSWORDS_PER_IP',
  'RATE_LIMIT_NEW_PASSWORDS_PER_ACCOUNT',
];

beforeAll(() => {
  useLocalStack();
  // The production defaults, whatever the environment says.
  for (const name of LIMIT_VARS) delete process.env[name];
  // Windows are fixed (aligned on the clock): start just after the top of the next hour, so that
  // no window (5, 15, 30, 60 min) ends in the middle of a test. Only Date is faked; it keeps going.
  const hour = 3600_000;
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(Math.ceil(Date.now() / hour) * hour + 5_000);
});

afterAll(() => {
  vi.useRealTimers();
});

describe('sign-in guards', () => {
  it('refuses the 26th sign-in from one address within 5 minutes, even with the right password', async () => {
    const member = await newMember();
    const ip = freshIp();
    // 25 attempts on 25 addresses with no account (each account stays far from its own limit).
    for (let i = 0; i < 25; i++) {
      const res = await signIn({ email: uniqueEmail('inconnu'), password: 'pas-le-bon-2026' }, ip);
      expect(res.statusCode, String(res.body)).toBe(401);
    }
    const refused = await signIn({ email: member.email, password: PASSWORD }, ip);
    expectRefused(refused, 300);
    expect(errorCode(refused)).toBe('auth.too_many_attempts');
    expect(refused.cookies ?? []).toEqual([]);
    // The counter stopped at the limit; the refused attempt did not count against the account.
    expect(await count({ kind: 'ip', ip }, AUTH_LIMITS.signInPerIp)).toBe(25);
    expect(await count({ kind: 'account', email: member.email }, AUTH_LIMITS.signInPerAccount)).toBe(0);
    // Another address is not affected.
    const elsewhere = await signIn({ email: member.email, password: PASSWORD }, freshIp());
    expect(elsewhere.statusCode, String(elsewhere.body)).toBe(200);
  });

  it('refuses the 11th attempt on one account within 15 minutes, from different addresses', async () => {
    const member = await newMember();
    const account: GuardSubject = { kind: 'account', email: member.email };
    const already = await count(account, AUTH_LIMITS.signInPerAccount);
    for (let i = already; i < 10; i++) {
      const res = await signIn({ email: member.email, password: 'pas-le-bon-2026' }, otherIp());
      expect(res.statusCode, String(res.body)).toBe(401);
    }
    // The email is normalised: another case and spaces are the same account.
    const refused = await signIn({ email: ` ${member.email.toUpperCase()} `, password: PASSWORD }, otherIp());
    expectRefused(refused, 900);
    expect(await count(account, AUTH_LIMITS.signInPerAccount)).toBe(10);
  });

  it('does not count a malformed attempt (400, nothing written)', async () => {
    const ip = freshIp();
    const res = await signIn({ email: 'pas-une-adresse', password: 'x' }, ip);
    expect(res.statusCode).toBe(400);
    const extra = await signIn({ email: uniqueEmail('x'), password: 'x', admin: true }, ip);
    expect(extra.statusCode).toBe(400);
    expect(await count({ kind: 'ip', ip }, AUTH_LIMITS.signInPerIp)).toBe(0);
  });
});

describe('sign-up guard', () => {
  it('refuses the 6th sign-up from one address within 30 minutes, and creates nothing for it', async () => {
    const ip = freshIp();
    // A malformed sign-up is a 400 and is not counted.
    const bad = await signUp(validSignUp(uniqueEmail('inscrit'), { charterAccepted: false }), ip);
    expect(bad.statusCode).toBe(400);
    for (let i = 0; i < 5; i++) {
      const res = await signUp(validSignUp(uniqueEmail('inscrit')), ip);
      expect(res.statusCode, String(res.body)).toBe(202);
    }
    const sixth = uniqueEmail('sixieme');
    const refused = await signUp(validSignUp(sixth), ip);
    expectRefused(refused, 1800);
    expect(errorCode(refused)).toBe('signup.too_many');
    expect(await cognitoUserExists(sixth)).toBe(false);
    expect(await memberIdByEmail(sixth)).toBeUndefined();
    expect(await mailsTo(sixth)).toEqual([]);
    expect(await count({ kind: 'ip', ip }, AUTH_LIMITS.signUpPerIp)).toBe(5);
    // Another address may still sign up.
    expect((await signUp(validSignUp(uniqueEmail('inscrit')), freshIp())).statusCode).toBe(202);
  });
});

describe('password reset', () => {
  it('mails a code that sets a new password, then the new password signs in', async () => {
    const member = await newMember();
    const before = await codeCount(member.email);
    const asked = await forgot({ email: member.email }, freshIp());
    expect(asked.statusCode).toBe(202);
    const code = await nextCode(member.email, before);
    const wrong = await reset(
      { email: member.email, code: code === '000000' ? '111111' : '000000', password: 'nouveau-mot-2026' },
      freshIp(),
    );
    expect(wrong.statusCode).toBe(400);
    expect(errorCode(wrong)).toBe('auth.invalid_code');
    const done = await reset({ email: member.email, code, password: 'nouveau-mot-2026' }, freshIp());
    expect(done.statusCode, String(done.body)).toBe(200);
    expect((await signIn({ email: member.email, password: PASSWORD }, freshIp())).statusCode).toBe(401);
    expect((await signIn({ email: member.email, password: 'nouveau-mot-2026' }, freshIp())).statusCode).toBe(
      200,
    );
  });

  it('limits reset requests per account (3 an hour) and sends no code past the limit', async () => {
    const member = await newMember();
    for (let i = 0; i < 3; i++)
      expect((await forgot({ email: member.email }, otherIp())).statusCode).toBe(202);
    const mailed = await codeCount(member.email);
    const refused = await forgot({ email: member.email }, otherIp());
    expectRefused(refused, 3600);
    await new Promise((r) => setTimeout(r, 500));
    expect(await codeCount(member.email)).toBe(mailed);
  });

  it('limits reset requests per address (10 an hour)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++)
      expect((await forgot({ email: uniqueEmail('oubli') }, ip)).statusCode).toBe(202);
    expectRefused(await forgot({ email: uniqueEmail('oubli') }, ip), 3600);
    expect(await count({ kind: 'ip', ip }, AUTH_LIMITS.passwordResetPerIp)).toBe(10);
  });

  it('limits code attempts per account (10 an hour)', async () => {
    const email = uniqueEmail('devine');
    for (let i = 0; i < 10; i++) {
      const res = await reset({ email, code: String(100000 + i), password: 'nouveau-mot-2026' }, otherIp());
      expect(res.statusCode).toBe(400);
    }
    expectRefused(await reset({ email, code: '999999', password: 'nouveau-mot-2026' }, otherIp()), 3600);
  });
});

describe('confirmation-code guard', () => {
  it('limits code attempts per account (10 an hour): the right code is refused past the limit', async () => {
    const email = uniqueEmail('confirme');
    expect((await signUp(validSignUp(email), freshIp())).statusCode).toBe(202);
    const code = await nextCode(email, 0);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 10; i++)
      expect((await confirm({ email, code: wrong }, otherIp())).statusCode).toBe(400);
    expectRefused(await confirm({ email, code }, otherIp()), 3600);
    expect(await count({ kind: 'account', email }, AUTH_LIMITS.confirmCodePerAccount)).toBe(10);
  });

  it('limits code attempts per address (25 an hour), whatever the account', async () => {
    const ip = freshIp();
    for (let i = 0; i < 25; i++)
      expect((await confirm({ email: uniqueEmail('devine'), code: '123456' }, ip)).statusCode).toBe(400);
    expectRefused(await confirm({ email: uniqueEmail('devine'), code: '123456' }, ip), 3600);
  });
});

describe('resend-code guard', () => {
  it('limits resends per account (3 an hour)', async () => {
    const email = uniqueEmail('renvoi');
    expect((await signUp(validSignUp(email), freshIp())).statusCode).toBe(202);
    for (let i = 0; i < 3; i++) expect((await resend({ email }, otherIp())).statusCode).toBe(202);
    expectRefused(await resend({ email }, otherIp()), 3600);
  });
});

describe('neutral answers: a known and an unknown address are answered byte for byte alike', () => {
  const comparable = (res: HttpResult) => ({
    statusCode: res.statusCode,
    headers: res.headers,
    cookies: res.cookies,
    body: res.body,
  });

  it('for a failed sign-in, a resend, a reset request, a wrong confirmation code, a wrong reset code and a sign-up', async () => {
    const known = await newMember();
    const unknown = uniqueEmail('personne');
    const pairs: [HttpResult, HttpResult][] = [
      [
        await signIn({ email: known.email, password: 'pas-le-bon-2026' }, freshIp()),
        await signIn({ email: unknown, password: 'pas-le-bon-2026' }, freshIp()),
      ],
      [await resend({ email: known.email }, freshIp()), await resend({ email: unknown }, freshIp())],
      [await forgot({ email: known.email }, freshIp()), await forgot({ email: unknown }, freshIp())],
      [
        await confirm({ email: known.email, code: '000000' }, freshIp()),
        await confirm({ email: unknown, code: '000000' }, freshIp()),
      ],
      [
        await reset({ email: known.email, code: '000000', password: 'nouveau-mot-2026' }, freshIp()),
        await reset({ email: unknown, code: '000000', password: 'nouveau-mot-2026' }, freshIp()),
      ],
      [
        await signUp(validSignUp(known.email), freshIp()),
        await signUp(validSignUp(uniqueEmail('nouvelle')), freshIp()),
      ],
    ];
    const statuses = pairs.map(([a]) => a.statusCode);
    expect(statuses).toEqual([401, 202, 202, 400, 400, 202]);
    for (const [a, b] of pairs) expect(comparable(a)).toEqual(comparable(b));
  });
});
