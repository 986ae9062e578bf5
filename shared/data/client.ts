import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import { config } from '../config.ts';
import { ValidationError } from '../errors.ts';

/** The one table; every item has `pk`/`sk`, and optionally `gsi{1,2,3}pk/sk` and `expiresAt` (TTL). */
export const INDEXES = ['gsi1', 'gsi2', 'gsi3'] as const;
export type IndexName = (typeof INDEXES)[number];

// biome-ignore lint/suspicious/noExplicitAny: SDK middleware generics vary per command
type Middleware = InitializeMiddleware<any, any>;
const extraMiddleware: { mw: Middleware; name: string }[] = [];

/**
 * Adds an SDK middleware to every DynamoDB client created afterwards (and to the current one):
 * the bench and tests use it to count round trips and to inject faults before a call reaches
 * the emulator.
 */
export function addDynamoMiddleware(name: string, mw: Middleware): void {
  extraMiddleware.push({ mw, name });
  if (doc) doc.middlewareStack.add(mw, { step: 'initialize', name, override: true });
}

let doc: DynamoDBDocumentClient | undefined;

/** The shared document client (created on first use, reused across warm invocations). */
export function db(): DynamoDBDocumentClient {
  if (doc) return doc;
  const cfg = config();
  const client = new DynamoDBClient({
    region: cfg.AWS_REGION,
    ...(cfg.DYNAMODB_ENDPOINT
      ? { endpoint: cfg.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    // Throttling and transaction conflicts are retried with backoff, never surfaced as a 500.
    maxAttempts: 4,
  });
  doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  for (const { mw, name } of extraMiddleware)
    doc.middlewareStack.add(mw, { step: 'initialize', name, override: true });
  return doc;
}

/** Forget the client (tests that change the configuration). */
export function resetDb(): void {
  doc = undefined;
}

export function tableName(): string {
  return config().TABLE_NAME;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One write of a transaction, built by an entity module (which alone knows its keys). */
export type TxWrite = TransactItem;

/** Runs the writes atomically; the item order is kept so cancellation reasons can be mapped back. */
export async function transact(writes: TxWrite[]): Promise<void> {
  await db().send(new TransactWriteCommand({ TransactItems: writes }));
}

/** Index of the first write whose condition failed in a cancelled transaction, or -1. */
export function failedConditionIndex(error: unknown): number {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (!reasons) return -1;
  return reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

/**
 * Writes many independent puts (audit entries, fan-out) with BatchWrite, 25 at a time, retrying
 * unprocessed items; throws if some still fail, so that the caller does not go on as if written.
 */
export async function putAll(writes: TxWrite[]): Promise<void> {
  await batchWrite(
    writes.map((w) => {
      if (!w.Put)
        throw new Error('putAll writes Put items only (use transact for updates, deletes and checks)');
      return { PutRequest: { Item: w.Put.Item ?? {} } };
    }),
  );
}

/** Deletes many items by key with BatchWrite (erasure, clean-ups); deleting a missing item is a no-op. */
export async function deleteAll(keys: Record<string, unknown>[]): Promise<void> {
  await batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
}

type BatchRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

async function batchWrite(all: BatchRequest[]): Promise<void> {
  for (let i = 0; i < all.length; i += 25) {
    let requests = all.slice(i, i + 25);
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt >= 5) throw new Error('BatchWrite: items still unprocessed after 5 attempts');
      const out = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = (out.UnprocessedItems?.[tableName()] as typeof requests | undefined) ?? [];
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/**
 * One page of a Query on a partition of the table or of a GSI, optionally narrowed to a sort-key
 * prefix. A cursor (`startKey`) from another partition — forged or stale — is refused as bad input
 * (DynamoDB would fail with a 500 otherwise).
 */
export async function queryPage(opts: {
  index?: IndexName;
  partition: string;
  prefix?: string;
  /** Only sort keys strictly below this one (instead of a prefix). */
  below?: string;
  limit: number;
  startKey?: Record<string, unknown>;
  newestFirst?: boolean;
  /** Strongly consistent (the table only, not a GSI). */
  consistent?: boolean;
  filter?: { expression: string; names?: Record<string, string>; values: Record<string, unknown> };
}): Promise<{ items: Record<string, unknown>[]; lastKey?: Record<string, unknown> }> {
  const pk = opts.index ? `${opts.index}pk` : 'pk';
  const sk = opts.index ? `${opts.index}sk` : 'sk';
  if (opts.startKey && opts.startKey[pk] !== opts.partition) {
    throw new ValidationError('request.invalid_cursor', 'Curseur de pagination invalide.', 'cursor');
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      ...(opts.index ? { IndexName: opts.index } : {}),
      KeyConditionExpression: opts.prefix
        ? `${pk} = :pk AND begins_with(${sk}, :prefix)`
        : opts.below !== undefined
          ? `${pk} = :pk AND ${sk} < :below`
          : `${pk} = :pk`,
      ...(opts.filter
        ? {
            FilterExpression: opts.filter.expression,
            ...(opts.filter.names ? { ExpressionAttributeNames: opts.filter.names } : {}),
          }
        : {}),
      ...(opts.consistent ? { ConsistentRead: true } : {}),
      ExpressionAttributeValues: {
        ':pk': opts.partition,
        ...(opts.prefix ? { ':prefix': opts.prefix } : {}),
        ...(opts.below !== undefined && !opts.prefix ? { ':below': opts.below } : {}),
        ...opts.filter?.values,
      },
      ScanIndexForward: !opts.newestFirst,
      Limit: opts.limit,
      ExclusiveStartKey: opts.startKey,
    }),
  );
  return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
}

/**
 * BatchGet of any number of keys (100 per call), asking again for the keys DynamoDB hands back
 * unprocessed under load; returns the items found.
 */
export async function getAll(
  keys: Record<string, unknown>[],
  consistent: boolean,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 5) throw new Error('BatchGet: keys still unprocessed after 5 attempts');
      const out = await db().send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: consistent } },
        }),
      );
      found.push(...(out.Responses?.[tableName()] ?? []));
      pending = (out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
  return found;
}
