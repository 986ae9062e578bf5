import * as z from 'zod/mini';
import { ValidationError } from '../../errors.ts';
import { LOCAL_DATE_TIME, parisToUtc, utcToParis } from '../../time.ts';

/**
 * A mission's timeslots (issue 6): typed in Paris wall-clock time (`YYYY-MM-DDTHH:mm`), stored in
 * UTC through `shared/time.ts` — a slot at 10:00 on the Sunday the clocks change stays at 10:00.
 */

/** Volunteers per slot, and over a whole mission: its page reads every volunteer in one BatchGet. */
export const MAX_NEEDED_PER_SLOT = 50;
export const MAX_VOLUNTEERS_PER_MISSION = 96;
export const MAX_SLOTS = 12;
const MAX_SLOT_HOURS = 24;

const LocalTime = z
  .string()
  .check(z.regex(LOCAL_DATE_TIME, 'Date et heure attendues au format AAAA-MM-JJTHH:mm (heure de Paris).'));

export const SlotInput = z.strictObject({
  start: LocalTime,
  end: LocalTime,
  needed: z
    .int('Un nombre entier de volontaires.')
    .check(
      z.minimum(1, 'Un volontaire au moins.'),
      z.maximum(MAX_NEEDED_PER_SLOT, `${MAX_NEEDED_PER_SLOT} volontaires au plus par créneau.`),
    ),
});

export interface ParsedSlot {
  startsAt: string;
  endsAt: string;
  needed: number;
}

const NOT_A_PARIS_TIME =
  'Cette date ou cette heure n’existe pas à Paris (jour impossible, ou heure sautée au passage à l’heure d’été).';

/**
 * The slots in UTC, checked: real Paris times (not in the spring-forward gap), the end after the
 * start and within 24 hours, not begun yet, and at most 96 volunteers over the mission. A refusal
 * names the field (`slots.1.start`), before anything is read or written.
 */
export function parseSlots(slots: readonly z.infer<typeof SlotInput>[], now: Date): ParsedSlot[] {
  const parsed = slots.map((slot, i) => {
    const startsAt = parisToUtc(slot.start);
    if (!startsAt) throw new ValidationError('mission.invalid_time', NOT_A_PARIS_TIME, `slots.${i}.start`);
    const endsAt = parisToUtc(slot.end);
    if (!endsAt) throw new ValidationError('mission.invalid_time', NOT_A_PARIS_TIME, `slots.${i}.end`);
    const length = Date.parse(endsAt) - Date.parse(startsAt);
    if (length <= 0)
      throw new ValidationError(
        'mission.slot_ends_before_start',
        'La fin du créneau doit venir après son début.',
        `slots.${i}.end`,
      );
    if (length > MAX_SLOT_HOURS * 3600_000)
      throw new ValidationError(
        'mission.slot_too_long',
        'Un créneau dure 24 heures au plus : découpez-le.',
        `slots.${i}.end`,
      );
    if (Date.parse(startsAt) <= now.getTime())
      throw new ValidationError('mission.slot_in_past', 'Ce créneau est déjà passé.', `slots.${i}.start`);
    return { startsAt, endsAt, needed: slot.needed };
  });
  const total = parsed.reduce((sum, s) => sum + s.needed, 0);
  if (total > MAX_VOLUNTEERS_PER_MISSION)
    throw new ValidationError(
      'mission.too_many_volunteers',
      `${MAX_VOLUNTEERS_PER_MISSION} volontaires au plus par mission : découpez-la en plusieurs missions.`,
      'slots',
    );
  return parsed.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** A slot's times as pages show them: Paris wall-clock (`start`, `end`) and UTC (`startsAt`, `endsAt`). */
export function slotTimes(s: { startsAt: string; endsAt: string }): {
  start: string;
  end: string;
  startsAt: string;
  endsAt: string;
} {
  return { start: utcToParis(s.startsAt), end: utcToParis(s.endsAt), startsAt: s.startsAt, endsAt: s.endsAt };
}
