import { type MessageHeader, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { InitializeMiddleware } from '@smithy/types';
import { config } from '../config.ts';

let client: SESv2Client | undefined;
// biome-ignore lint/suspicious/noExplicitAny: an SDK middleware sees any command's input and output.
type Middleware = InitializeMiddleware<any, any>;
const extraMiddleware: { mw: Middleware; name: string }[] = [];

function ses(): SESv2Client {
  if (client) return client;
  const cfg = config();
  client = new SESv2Client({
    region: cfg.AWS_REGION,
    ...(cfg.SES_ENDPOINT
      ? { endpoint: cfg.SES_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  for (const { mw, name } of extraMiddleware)
    client.middlewareStack.add(mw, { step: 'initialize', name, override: true });
  return client;
}

/**
 * Adds an SDK middleware to the SES client (tests: inject failures before a call reaches the
 * emulator, and read the outgoing request — aws-ses-v2-local drops custom headers).
 */
export function addSesMiddleware(name: string, mw: Middleware): void {
  extraMiddleware.push({ mw, name });
  if (client) client.middlewareStack.add(mw, { step: 'initialize', name, override: true });
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post — RFC 8058). */
  headers?: Record<string, string>;
}

/** Sends one email through SES (v2). Callers that must not lose a mail go through a task (ADR 007). */
export async function sendEmail(email: Email): Promise<void> {
  const headers: MessageHeader[] = Object.entries(email.headers ?? {}).map(([Name, Value]) => ({
    Name,
    Value,
  }));
  await ses().send(
    new SendEmailCommand({
      FromEmailAddress: config().MAIL_FROM,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            ...(email.html ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}),
          },
          ...(headers.length ? { Headers: headers } : {}),
        },
      },
    }),
  );
}
