import { AsyncLocalStorage } from 'node:async_hooks';
import { addDynamoMiddleware } from '../../shared/data/client.ts';

/**
 * Counts DynamoDB round trips and consumed capacity per request (local stack, bench and tests
 * only). An SDK middleware adds `ReturnConsumedCapacity: TOTAL` and records each call into the
 * meter of the request it belongs to (AsyncLocalStorage).
 */
export interface Meter {
  calls: string[];
  /**
   * Sequential round trips: calls sent while another is in flight (a `Promise.all`) share the
   * round trip of the first; a call sent when none is in flight starts a new one.
   */
  rounds: number;
  inFlight: number;
  rcu: number;
  wcu: number;
}

const storage = new AsyncLocalStorage<Meter>();
let installed = false;

const CAPACITY_COMMANDS = new Set([
  'GetCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'QueryCommand',
  'BatchGetCommand',
  'BatchWriteCommand',
  'TransactWriteCommand',
  'TransactGetCommand',
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
  'ScanCommand',
]);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Installs the metering middleware on the shared DynamoDB client (idempotent). */
export function installDynamoMeter(): void {
  if (installed) return;
  installed = true;
  addDynamoMiddleware('coopolMeter', (next, context) => async (args) => {
    const meter = storage.getStore();
    const name = String(context.commandName ?? 'unknown');
    const input = args.input as Record<string, unknown>;
    if (meter && CAPACITY_COMMANDS.has(name)) input.ReturnConsumedCapacity = 'TOTAL';
    if (meter) {
      if (meter.inFlight === 0) meter.rounds++;
      meter.inFlight++;
    }
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next(args);
    } finally {
      if (meter) meter.inFlight--;
    }
    if (meter) {
      meter.calls.push(name.replace(/Command$/, ''));
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      const list = Array.isArray(output.ConsumedCapacity)
        ? output.ConsumedCapacity
        : output.ConsumedCapacity
          ? [output.ConsumedCapacity]
          : [];
      for (const c of list) {
        const isWrite = /Put|Update|Delete|Write/.test(name);
        const units = c.CapacityUnits ?? 0;
        meter.rcu += c.ReadCapacityUnits ?? (isWrite ? 0 : units);
        meter.wcu += c.WriteCapacityUnits ?? (isWrite ? units : 0);
      }
    }
    return result;
  });
}

/** Runs `fn` with a fresh meter and returns both. */
export async function metered<T>(fn: () => Promise<T>): Promise<{ result: T; meter: Meter }> {
  const meter: Meter = { calls: [], rounds: 0, inFlight: 0, rcu: 0, wcu: 0 };
  const result = await storage.run(meter, fn);
  return { result, meter };
}
