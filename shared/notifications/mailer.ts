import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { config } from '../config.ts';

let client: SESv2Client | undefined;

function ses(): SESv2Client {
  if (client) return client;
  const cfg = config();
  client = new SESv2Client({
    region: cfg.AWS_REGION,
    ...(cfg.SES_ENDPOINT
      ? { endpoint: cfg.SES_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return client;
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends one email through SES (v2). Callers that must not lose a mail go through the outbox. */
export async function sendEmail(email: Email): Promise<void> {
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
        },
      },
    }),
  );
}
