import * as z from 'zod/mini';

/** Building blocks shared by the input schemas of every area. */

/** Entity ids are ULIDs (sortable, 26 Crockford base-32 characters). */
export const Id = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Identifiant invalide.'));

export const Email = z.pipe(
  z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254, 'Adresse e-mail trop longue.')),
  z.email('Adresse e-mail invalide.'),
);

/** A calendar day, `YYYY-MM-DD`, that exists (no 30 February, no month 13). */
export function calendarDay(message = 'Date attendue au format AAAA-MM-JJ.') {
  return z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, message),
    z.refine((s) => {
      const t = Date.parse(`${s}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
    }, 'Cette date n’existe pas.'),
  );
}

/** A person's name: letters (any script), spaces, apostrophes, hyphens, dots. */
export const PersonName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'Ce champ est obligatoire.'),
    z.maxLength(60, 'Trop long : 60 caractères au plus.'),
    z.regex(/^[\p{L}\p{M}][\p{L}\p{M}' .’-]*$/u, 'Lettres, espaces, apostrophes et tirets uniquement.'),
  );

/** Free text on one or several lines, without control or bidi-override characters. */
export function freeText(max: number) {
  return z.string().check(
    z.trim(),
    z.maxLength(max, `Trop long : ${max} caractères au plus.`),
    z.refine(
      (s) => !/\p{Cc}/u.test(s.replace(/[\n\r\t]/g, '')) && !/[\u202A-\u202E\u2066-\u2069]/u.test(s),
      'Caractères non autorisés.',
    ),
  );
}
