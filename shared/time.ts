import { TZDate } from '@date-fns/tz';

/**
 * Party time is Paris time (SPEC §4: agenda and missions). Members type and read wall-clock times
 * in Europe/Paris; the table stores UTC ISO-8601 strings, which sort. Conversions go through
 * `@date-fns/tz` (the IANA rules of the runtime's ICU), never through a fixed offset: an event at
 * 10:00 on the Sunday the clocks change is still at 10:00.
 */
export const PARIS = 'Europe/Paris';

/** A wall-clock time as a form sends it: `YYYY-MM-DDTHH:mm`. */
export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The UTC instant of a Paris wall-clock time, or `null` when it is not a real time: a malformed
 * string, a date that does not exist (31 February), or a time inside the spring-forward gap (02:00
 * to 03:00 on the last Sunday of March). In the autumn hour that happens twice, the later (winter
 * time) is taken.
 */
export function parisToUtc(local: string): string | null {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const t = new TZDate(year, month - 1, day, hour, minute, PARIS);
  // TZDate normalises what does not exist (31/02 → 03/03, 02:30 in the gap → 03:30): refuse it.
  if (
    t.getFullYear() !== year ||
    t.getMonth() !== month - 1 ||
    t.getDate() !== day ||
    t.getHours() !== hour ||
    t.getMinutes() !== minute
  )
    return null;
  return new Date(t.getTime()).toISOString();
}

/** The Paris wall-clock time of a UTC instant, as a form shows it: `YYYY-MM-DDTHH:mm`. */
export function utcToParis(iso: string): string {
  const t = new TZDate(new Date(iso).getTime(), PARIS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

const LONG = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** « samedi 28 mars 2026 à 10:00 » — for emails and notifications. */
export function formatParis(iso: string): string {
  return LONG.format(new Date(iso));
}
