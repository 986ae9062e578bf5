import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, scrubbed } from '../../shared/log.ts';

/**
 * The net under the logs (issue 12): contact details and credentials never reach a log line, even
 * when an SDK error quotes its input. The integration test test/integration/log-scrubbing.test.ts
 * greps the local stack's real logs; this one checks the scrubber and its wiring into the logger.
 */

const JWT =
  'eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiIxMjMiLCJlbWFpbCI6ImEuYkBleGFtcGxlLmZyIn0.c2lnbmF0dXJlLXZhbHVl';
const JWE = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y2lwaGVydGV4dA.dGFn';

afterEach(() => vi.restoreAllMocks());

describe('log scrubbing', () => {
  it.each([
    ['an email address', 'Email address is not verified: camille.martin+coopol@exemple.fr', 'camille.martin'],
    ['a phone number with spaces', 'phone 06 12 34 56 78 rejected', '06 12 34 56 78'],
    ['a phone number with dots', 'tel=06.12.34.56.78', '06.12.34.56.78'],
    ['an international phone number', 'call +33 6 12 34 56 78 now', '6 12 34 56 78'],
    ['a bare phone number', 'got 0612345678', '0612345678'],
    ['an ID token', `token ${JWT} expired`, JWT.slice(0, 40)],
    ['a refresh token', `refresh ${JWE}`, 'a2V5.aXY'],
    ['a bearer header', 'authorization: Bearer abc.DEF-ghi_123', 'abc.DEF'],
    ['a calendar feed URL', 'GET /api/calendar/01KC0DEM000000000000000001/s3cr3t-t0k3n', 's3cr3t-t0k3n'],
    ['an unsubscribe link', 'https://coopol.example/desinscription/?token=Zx9-secret&x=1', 'Zx9-secret'],
  ])('removes %s', (_what, text, secret) => {
    const out = scrubbed(text);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/\[(email|phone|token)\]/);
  });

  it('keeps what is not personal: ids, times, counts, words', () => {
    const text =
      'member 01KC0DEM000000000000000001 at 2026-12-04T14:15:45.484Z: 17 steps, 1500 members, 0 failed';
    expect(scrubbed(text)).toBe(text);
  });

  it('is wired into the logger: messages, attributes and errors are scrubbed', () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    for (const method of ['info', 'warn', 'error', 'log'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    logger.error('send to lea.dupont@exemple.fr failed', {
      phone: '07 98 76 54 32',
      error: new Error(`Bearer ${JWT} rejected for lea.dupont@exemple.fr`),
    });
    const out = lines.join('\n');
    expect(out).toContain('failed');
    expect(out).not.toContain('lea.dupont');
    expect(out).not.toContain('07 98 76 54 32');
    expect(out).not.toContain(JWT.slice(0, 30));
  });
});
