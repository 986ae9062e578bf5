import { describe, expect, it } from 'vitest';
import { formatParis, parisToUtc, utcToParis } from '../../shared/time.ts';

describe('Paris wall-clock time ↔ UTC', () => {
  it.each([
    // Winter time (UTC+1), summer time (UTC+2), either side of both changes of 2026.
    ['2026-01-15T18:30', '2026-01-15T17:30:00.000Z'],
    ['2026-07-14T10:00', '2026-07-14T08:00:00.000Z'],
    ['2026-03-29T01:59', '2026-03-29T00:59:00.000Z'],
    ['2026-03-29T03:00', '2026-03-29T01:00:00.000Z'],
    ['2026-03-29T10:00', '2026-03-29T08:00:00.000Z'],
    ['2026-03-28T10:00', '2026-03-28T09:00:00.000Z'],
    ['2026-10-24T10:00', '2026-10-24T08:00:00.000Z'],
    ['2026-10-25T10:00', '2026-10-25T09:00:00.000Z'],
    ['2026-10-25T01:30', '2026-10-24T23:30:00.000Z'],
    // The hour that happens twice: the later (winter time) is taken.
    ['2026-10-25T02:30', '2026-10-25T01:30:00.000Z'],
  ])('%s in Paris is %s', (local, utc) => {
    expect(parisToUtc(local)).toBe(utc);
    expect(utcToParis(utc)).toBe(local);
  });

  it.each([
    '2026-03-29T02:00',
    '2026-03-29T02:30',
    '2026-02-30T10:00',
    '2026-13-01T10:00',
    '2026-01-01T24:00',
    '2026-01-01 10:00',
    '2026-01-01T10:00:00Z',
    '',
  ])('refuses %j (not a Paris wall-clock time)', (local) => {
    expect(parisToUtc(local)).toBeNull();
  });

  it('formats in French, in Paris time', () => {
    expect(formatParis('2026-03-29T08:00:00.000Z')).toBe('dimanche 29 mars 2026 à 10:00');
  });
});
