import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { NotFoundError, RateLimitedError } from '../../shared/errors.ts';
import { publicRoute } from '../../shared/http/handler.ts';
import { logger } from '../../shared/log.ts';

function event(body?: string, query?: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /api/auth/sign-up',
    rawPath: '/api/auth/sign-up',
    rawQueryString: '',
    headers: {},
    requestContext: { requestId: 'req-42' } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
    ...(query ? { queryStringParameters: query } : {}),
  };
}

const Body = z.strictObject({ name: z.string().check(z.minLength(1)) });

describe('HTTP handler wrapper', () => {
  it('validates the body and answers the use case result as JSON, never cached', async () => {
    const handler = publicRoute({ route: 'auth.signUp', body: Body }, async ({ body }) => ({
      status: 201,
      body: { hello: body.name },
    }));
    const res = await handler(event('{"name":"Léa"}'));
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(String(res.body))).toEqual({ hello: 'Léa' });
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
    });
  });

  it('answers 400 with the field for invalid input and never calls the use case', async () => {
    const useCase = vi.fn();
    const handler = publicRoute({ route: 'auth.signUp', body: Body }, useCase);
    for (const raw of ['{"name":""}', '{"name":"a","extra":1}', '[]', 'null', '{"name":', '"x"']) {
      const res = await handler(event(raw));
      expect(res.statusCode, raw).toBe(400);
      expect(JSON.parse(String(res.body)).error.code).toMatch(/^request\./);
    }
    expect(useCase).not.toHaveBeenCalled();
  });

  it('refuses a body on a route that takes none, and an unknown query parameter', async () => {
    const handler = publicRoute({ route: 'system.health' }, async () => ({ body: { ok: true } }));
    expect((await handler(event('{}'))).statusCode).toBe(400);
    expect((await handler(event(undefined, { debug: '1' }))).statusCode).toBe(400);
  });

  it('maps application errors to their status and keeps their French message', async () => {
    const notFound = publicRoute({ route: 'system.health' }, async () => {
      throw new NotFoundError('member.not_found', 'Membre introuvable.');
    });
    const res = await notFound(event());
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(String(res.body))).toEqual({
      error: { code: 'member.not_found', message: 'Membre introuvable.' },
    });

    const limited = publicRoute({ route: 'system.health' }, async () => {
      throw new RateLimitedError('message.rate_limited', 'Trop de messages.', 120);
    });
    const res429 = await limited(event());
    expect(res429.statusCode).toBe(429);
    expect(res429.headers).toMatchObject({ 'retry-after': '120' });
  });

  it('turns an unexpected error into a bare 500 with the request id, and logs it', async () => {
    const spy = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const handler = publicRoute({ route: 'system.health' }, async () => {
      throw new Error('ConditionalCheckFailed on MEMBER#01ABC secret details');
    });
    const res = await handler(event());
    expect(res.statusCode).toBe(500);
    const body = String(res.body);
    expect(body).not.toContain('MEMBER#');
    expect(body).not.toContain('secret');
    expect(JSON.parse(body).error).toMatchObject({ code: 'internal' });
    expect(body).toContain('req-42');
    expect(spy).toHaveBeenCalledWith('unexpected error', expect.objectContaining({ requestId: 'req-42' }));
    spy.mockRestore();
  });

  it('refuses an oversized body', async () => {
    const handler = publicRoute({ route: 'auth.signUp', body: Body }, async () => ({}));
    const res = await handler(event(JSON.stringify({ name: 'x'.repeat(70_000) })));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(String(res.body)).error.code).toBe('request.too_large');
  });
});
