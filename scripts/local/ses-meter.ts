import { AsyncLocalStorage } from 'node:async_hooks';
import { addSesMiddleware } from '../../shared/notifications/mailer.ts';

/**
 * Counts the emails sent through SES while a request is handled (local stack and tests only), as
 * dynamo-meter.ts counts DynamoDB calls: an SDK middleware on the mailer's SES client records each
 * send into the meter of the request it belongs to (AsyncLocalStorage). The gateway exposes it as
 * `x-coopol-ses: sends=N`; the fuzzer asserts that a refused request sent nothing.
 */
export interface SesMeter {
  sends: number;
}

const storage = new AsyncLocalStorage<SesMeter>();
let installed = false;

/** Installs the counting middleware on the mailer's SES client (idempotent). */
export function installSesMeter(): void {
  if (installed) return;
  installed = true;
  addSesMiddleware('coopolSesMeter', (next, context) => async (args) => {
    const meter = storage.getStore();
    // Counted when attempted, before the call: a send that fails still tried to mail someone.
    if (meter && /^Send(Bulk)?Email/.test(String(context.commandName ?? ''))) meter.sends++;
    return next(args);
  });
}

/** Runs `fn` with a fresh SES meter and returns both. */
export async function sesMetered<T>(fn: () => Promise<T>): Promise<{ result: T; meter: SesMeter }> {
  const meter: SesMeter = { sends: 0 };
  const result = await storage.run(meter, fn);
  return { result, meter };
}
