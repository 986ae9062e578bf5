import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '../../data/cursor.ts';
import { listSections as querySections, type Section } from '../../data/sections.ts';
import { ValidationError } from '../../errors.ts';

export const ListSectionsQuery = z.strictObject({
  q: z.optional(z.string().check(z.trim(), z.maxLength(60))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'Nombre invalide.'))),
});

/** Sections by name or department (sign-up, directory filters); paginated. */
export async function listSections(
  query: z.infer<typeof ListSectionsQuery>,
): Promise<{ items: Section[]; cursor: string | null }> {
  const startKey = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (query.cursor && !startKey)
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  const limit = Math.min(Math.max(Number(query.limit ?? 100), 1), 200);
  const page = await querySections({ query: query.q, limit, startKey });
  return { items: page.items, cursor: encodeCursor(page.lastKey) };
}
