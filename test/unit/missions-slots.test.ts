import { describe, expect, it } from 'vitest';
import { parseSlots, slotTimes } from '../../shared/domain/missions/slots.ts';
import { ValidationError } from '../../shared/errors.ts';

/** A mission's slots: Paris wall-clock in, UTC stored, the same wall-clock out — across both changes of time. */

const NOW = new Date('2026-12-04T09:00:00.000Z');

describe('mission slots in Paris time', () => {
  it.each([
    // The day before and the day of each change of 2027 (last Sundays of March and October).
    ['2027-03-27T10:00', '2027-03-27T12:00', '2027-03-27T09:00:00.000Z', '2027-03-27T11:00:00.000Z'],
    ['2027-03-28T10:00', '2027-03-28T12:00', '2027-03-28T08:00:00.000Z', '2027-03-28T10:00:00.000Z'],
    ['2027-10-30T10:00', '2027-10-30T12:00', '2027-10-30T08:00:00.000Z', '2027-10-30T10:00:00.000Z'],
    ['2027-10-31T10:00', '2027-10-31T12:00', '2027-10-31T09:00:00.000Z', '2027-10-31T11:00:00.000Z'],
    // Across the change itself: the March night is one hour shorter, the October night one longer.
    ['2027-03-28T01:00', '2027-03-28T04:00', '2027-03-28T00:00:00.000Z', '2027-03-28T02:00:00.000Z'],
    ['2027-10-31T01:00', '2027-10-31T04:00', '2027-10-30T23:00:00.000Z', '2027-10-31T03:00:00.000Z'],
  ])('%s → %s is stored as %s → %s and shown as typed', (start, end, startsAt, endsAt) => {
    const [parsed] = parseSlots([{ start, end, needed: 3 }], NOW);
    expect(parsed).toEqual({ startsAt, endsAt, needed: 3 });
    expect(slotTimes({ startsAt, endsAt })).toEqual({ start, end, startsAt, endsAt });
  });

  it('keeps the slots in time order whatever the order typed', () => {
    const parsed = parseSlots(
      [
        { start: '2027-03-28T14:00', end: '2027-03-28T16:00', needed: 1 },
        { start: '2027-03-27T14:00', end: '2027-03-27T16:00', needed: 2 },
      ],
      NOW,
    );
    expect(parsed.map((s) => s.needed)).toEqual([2, 1]);
  });

  it.each([
    [
      'a time in the hour skipped in March',
      [{ start: '2027-03-28T02:30', end: '2027-03-28T04:00' }],
      'mission.invalid_time',
      'slots.0.start',
    ],
    [
      'an end in the skipped hour',
      [{ start: '2027-03-28T01:00', end: '2027-03-28T02:15' }],
      'mission.invalid_time',
      'slots.0.end',
    ],
    [
      'a day that does not exist',
      [{ start: '2027-02-30T10:00', end: '2027-02-30T12:00' }],
      'mission.invalid_time',
      'slots.0.start',
    ],
    [
      'an end before the start',
      [{ start: '2027-03-27T12:00', end: '2027-03-27T10:00' }],
      'mission.slot_ends_before_start',
      'slots.0.end',
    ],
    [
      'an end equal to the start',
      [{ start: '2027-03-27T12:00', end: '2027-03-27T12:00' }],
      'mission.slot_ends_before_start',
      'slots.0.end',
    ],
    [
      'a slot over 24 hours',
      // 08:00 to 09:00 the next day is only 24 hours that weekend (the clocks go forward): 10:00 is 25.
      [{ start: '2027-03-27T08:00', end: '2027-03-28T10:00' }],
      'mission.slot_too_long',
      'slots.0.end',
    ],
    [
      'a slot already begun',
      [{ start: '2026-12-04T09:00', end: '2026-12-04T12:00' }],
      'mission.slot_in_past',
      'slots.0.start',
    ],
    [
      'the second slot is the bad one',
      [
        { start: '2027-03-27T10:00', end: '2027-03-27T12:00' },
        { start: '2027-03-28T02:00', end: '2027-03-28T05:00' },
      ],
      'mission.invalid_time',
      'slots.1.start',
    ],
  ])('refuses %s, naming the field', (_what, slots, code, field) => {
    const error = (() => {
      try {
        parseSlots(
          slots.map((s) => ({ ...s, needed: 2 })),
          NOW,
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code, field });
  });

  it('refuses more than 96 volunteers over a mission (its page reads them all in one round trip)', () => {
    const slot = (day: number, needed: number) => ({
      start: `2027-04-${String(day).padStart(2, '0')}T10:00`,
      end: `2027-04-${String(day).padStart(2, '0')}T12:00`,
      needed,
    });
    expect(parseSlots([slot(1, 50), slot(2, 46)], NOW)).toHaveLength(2);
    expect(() => parseSlots([slot(1, 50), slot(2, 47)], NOW)).toThrow(/96 volontaires au plus/);
  });
});
