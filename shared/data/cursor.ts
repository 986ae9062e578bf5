import { ValidationError } from '../errors.ts';

/** Opaque pagination cursors: the LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/** Decodes a cursor made by `encodeCursor`; `undefined` for a malformed one (callers answer 400). */
export function decodeCursor(cursor: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    for (const v of Object.values(value)) if (typeof v !== 'string') return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The start key of a page from the client's cursor (none for the first page); a malformed one is a 400. */
export function startKeyOf(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor);
  if (!key) throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  return key;
}
