import * as z from 'zod/mini';
import { encodeCursor, startKeyOf } from '../../data/cursor.ts';
import { listSections as querySections, type Section } from '../../data/sections.ts';

export const ListSectionsQuery = z.strictObject({
  q: z.optional(z.string().check(z.trim(), z.maxLength(60))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'Nombre invalide.'))),
});

/** Sections by name or department (sign-up, directory filters); paginated. */
export async function listSections(
  query: z.infer<typeof ListSectionsQuery>,
): Promise<{ items: Section[]; cursor: string | null }> {
  const startKey = startKeyOf(query.cursor);
  const limit = Math.min(Math.max(Number(query.limit ?? 100), 1), 200);
  const page = await querySections({ query: query.q, limit, startKey });
  return { items: page.items, cursor: encodeCursor(page.lastKey) };
}
