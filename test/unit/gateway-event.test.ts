import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEvent, claimsAsStrings } from '../../scripts/local/gateway.ts';

/**
 * The local gateway must hand handlers exactly the event an HTTP API (payload 2.0, JWT
 * authorizer) does. The fixture follows the shape API Gateway delivers, with Cognito ID-token
 * claims as strings.
 */
const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/http-api-v2-jwt-event.json', import.meta.url), 'utf8'),
);

function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  return value === null ? null : typeof value;
}

describe('local gateway event', () => {
  const event = buildEvent({
    route: { method: 'GET', path: '/api/me', auth: 'member' },
    url: new URL('http://127.0.0.1:3000/api/me'),
    headers: {
      accept: '*/*',
      authorization: 'Bearer x',
      host: '127.0.0.1:3000',
      'user-agent': 'Mozilla/5.0',
    },
    cookieHeader: 'coopol_refresh=abc',
    pathParameters: {},
    claims: claimsAsStrings({
      'cognito:groups': ['adherents', 'secretaires'],
      exp: 1795622763,
      email_verified: true,
      token_use: 'id',
    }),
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    requestId: 'req-1',
    now: new Date('2026-11-25T15:06:03.412Z'),
  });

  it('has the same structure as a recorded HTTP API v2 event with a JWT authorizer', () => {
    const { claims: _a, ...ctxShape } =
      (shape(event.requestContext.authorizer?.jwt) as Record<string, unknown>) ?? {};
    const { claims: _b, ...recordedCtxShape } = shape(recorded.requestContext.authorizer.jwt) as Record<
      string,
      unknown
    >;
    expect(ctxShape).toEqual(recordedCtxShape);
    expect(Object.keys(event).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.keys(event.requestContext).sort()).toEqual(Object.keys(recorded.requestContext).sort());
    expect(shape(event.requestContext.http)).toEqual(shape(recorded.requestContext.http));
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.time).toBe('25/Nov/2026:15:06:03 +0000');
  });

  it('passes every claim as a string, groups as "[a b]", like the JWT authorizer', () => {
    const claims = event.requestContext.authorizer.jwt.claims;
    expect(claims['cognito:groups']).toBe('[adherents secretaires]');
    expect(claims.exp).toBe('1795622763');
    expect(claims.email_verified).toBe('true');
    for (const value of Object.values(recorded.requestContext.authorizer.jwt.claims))
      expect(typeof value).toBe('string');
  });

  it('moves cookies out of the headers and joins repeated query parameters with commas', () => {
    const withQuery = buildEvent({
      route: { method: 'GET', path: '/api/sections', auth: 'public' },
      url: new URL('http://127.0.0.1:3000/api/sections?q=a&q=b'),
      headers: {},
      pathParameters: {},
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      requestId: 'req-2',
      now: new Date(),
    });
    expect(withQuery.queryStringParameters).toEqual({ q: 'a,b' });
    expect(withQuery.rawQueryString).toBe('q=a&q=b');
    expect(event.cookies).toEqual(['coopol_refresh=abc']);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(withQuery.requestContext).not.toHaveProperty('authorizer');
  });
});
