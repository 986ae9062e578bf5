/**
 * Runs cognito-local (in its own process; its data folder is the current working directory) and
 * delivers the confirmation codes through SES — as the real user pool does when configured with
 * SES — so that they land in the local mail catcher instead of this process's console.
 */
import { createRequire } from 'node:module';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { confirmationCode } from '../../shared/notifications/templates.ts';

const require = createRequire(import.meta.url);
const sesEndpoint = process.env.SES_ENDPOINT;
const mailFrom = process.env.MAIL_FROM ?? 'La coopol <ne-pas-repondre@coopol.example>';
if (!sesEndpoint) throw new Error('SES_ENDPOINT is required');

const ses = new SESv2Client({
  region: 'eu-west-3',
  endpoint: sesEndpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

const { ConsoleMessageSender } =
  require('cognito-local/lib/services/messageDelivery/consoleMessageSender.js') as {
    ConsoleMessageSender: { prototype: { sendToConsole: (...args: unknown[]) => Promise<void> } };
  };
ConsoleMessageSender.prototype.sendToConsole = async (
  _ctx: unknown,
  _user: unknown,
  destination: unknown,
  message: unknown,
) => {
  // cognito-local passes the delivery destination (the address) as a plain string.
  const to = typeof destination === 'string' ? destination : undefined;
  const code = (message as { __code?: string }).__code;
  if (!to || !code) return;
  const mail = confirmationCode(to, code);
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: mailFrom,
      Destination: { ToAddresses: [to] },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
        },
      },
    }),
  );
};

/**
 * cognito-local 5.3 lacks ResendConfirmationCode, which the real user pool has; this adds it,
 * modelled on its own ForgotPassword target (new code saved on the user, delivered by email).
 */
interface LocalUser {
  Attributes?: { Name: string; Value?: string }[];
  UserStatus?: string;
}
interface LocalServices {
  cognito: {
    getUserPoolForClientId: (
      ctx: unknown,
      clientId: string,
    ) => Promise<{
      options: { Id: string };
      getUserByUsername: (ctx: unknown, username: string) => Promise<LocalUser | null>;
      saveUser: (ctx: unknown, user: LocalUser & Record<string, unknown>) => Promise<void>;
    }>;
  };
  clock: { get: () => Date };
  messages: { deliver: (...args: unknown[]) => Promise<void> };
  otp: () => string;
}
const errors = require('cognito-local/lib/errors.js') as Record<string, new (message?: string) => Error>;
const { Targets } = require('cognito-local/lib/targets/targets.js') as { Targets: Record<string, unknown> };
Targets.ResendConfirmationCode =
  ({ cognito, clock, messages, otp }: LocalServices) =>
  async (ctx: unknown, req: { ClientId: string; Username: string; ClientMetadata?: unknown }) => {
    const userPool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new (errors.UserNotFoundError as new () => Error)();
    if (user.UserStatus !== 'UNCONFIRMED')
      throw new (errors.InvalidParameterError as new (m: string) => Error)('User is already confirmed.');
    const email = user.Attributes?.find((a) => a.Name === 'email')?.Value;
    const deliveryDetails = { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: email };
    const code = otp();
    await messages.deliver(
      ctx,
      'ResendCode',
      req.ClientId,
      userPool.options.Id,
      user,
      code,
      req.ClientMetadata,
      deliveryDetails,
    );
    await userPool.saveUser(ctx, { ...user, UserLastModifiedDate: clock.get(), ConfirmationCode: code });
    return { CodeDeliveryDetails: deliveryDetails };
  };

const { createDefaultServer } = require('cognito-local') as {
  createDefaultServer: (logger: unknown) => Promise<{ start: () => Promise<unknown> }>;
};
const pino = require('pino') as (opts: { level: string }) => unknown;

const server = await createDefaultServer(pino({ level: process.env.COGNITO_LOG_LEVEL ?? 'warn' }));
await server.start();
process.stdout.write('COGNITO_READY\n');
