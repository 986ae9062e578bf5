import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors.ts';
import { fold } from '../text.ts';
import { db, type TxWrite, tableName } from './client.ts';

/** A local section of the party (SPEC §1). */
export interface Section {
  id: string;
  name: string;
  /** Department code, e.g. `75`, `2A`, `971`. */
  department: string;
}

const key = (id: string) => ({ pk: `SECTION#${id}`, sk: 'META' });
/** The section item's key (exported for reads batched with other entities' items). */
export const sectionKey = key;

function toItem(section: Section) {
  const folded = fold(section.name);
  return {
    ...key(section.id),
    type: 'section',
    ...section,
    // M3 sectionsByName: one partition for ~3,000 small items, sorted by folded name.
    gsi1pk: 'SECTIONS',
    gsi1sk: `${folded}#${section.id}`,
    // M3 sectionsByDepartment.
    gsi2pk: `DEPT#${section.department.toUpperCase()}`,
    gsi2sk: `${folded}#${section.id}`,
  };
}

export function sectionFromItem(item: Record<string, unknown>): Section {
  return { id: String(item.id), name: String(item.name), department: String(item.department) };
}

/** M3 sectionById. */
export async function getSection(id: string): Promise<Section | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key(id) }));
  return out.Item ? sectionFromItem(out.Item) : undefined;
}

/** Writes a section if absent (seed and admin); returns false if it existed. */
export function putSectionIfAbsent(section: Section): TxWrite {
  return {
    Put: { TableName: tableName(), Item: toItem(section), ConditionExpression: 'attribute_not_exists(pk)' },
  };
}

/** M3 sectionsByName (prefix, accents and case folded) or sectionsByDepartment (exact code). */
export async function listSections(opts: {
  query?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ items: Section[]; lastKey?: Record<string, unknown> }> {
  const q = opts.query?.trim() ?? '';
  const isDepartment = /^(\d{2,3}|2[ab])$/i.test(q);
  // A cursor from another listing (or forged) would make DynamoDB fail: refuse it as bad input.
  const partition = isDepartment ? { gsi2pk: `DEPT#${q.toUpperCase()}` } : { gsi1pk: 'SECTIONS' };
  if (opts.startKey && Object.entries(partition).some(([k, v]) => opts.startKey?.[k] !== v)) {
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  }
  const out = await db().send(
    new QueryCommand(
      isDepartment
        ? {
            TableName: tableName(),
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': `DEPT#${q.toUpperCase()}` },
            Limit: opts.limit,
            ExclusiveStartKey: opts.startKey,
          }
        : {
            TableName: tableName(),
            IndexName: 'gsi1',
            KeyConditionExpression: q ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
            ExpressionAttributeValues: q ? { ':pk': 'SECTIONS', ':prefix': fold(q) } : { ':pk': 'SECTIONS' },
            Limit: opts.limit,
            ExclusiveStartKey: opts.startKey,
          },
    ),
  );
  return { items: (out.Items ?? []).map(sectionFromItem), lastKey: out.LastEvaluatedKey };
}
