import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config.ts';

/** The Cognito groups that mirror the circles and roles kept in the table (SPEC §1). */
export const COGNITO_GROUPS = ['adherents', 'sympathisants', 'secretaires', 'coopilotes', 'admins'] as const;
export type CognitoGroup = (typeof COGNITO_GROUPS)[number];

let client: CognitoIdentityProviderClient | undefined;

/** The user-pool client (the only module that talks to Cognito). */
export function cognito(): CognitoIdentityProviderClient {
  if (client) return client;
  const cfg = config();
  client = new CognitoIdentityProviderClient({
    region: cfg.AWS_REGION,
    ...(cfg.COGNITO_ENDPOINT
      ? { endpoint: cfg.COGNITO_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return client;
}

export interface Session {
  idToken: string;
  /** Absent on refresh: Cognito keeps the same refresh token. */
  refreshToken?: string;
  expiresIn: number;
}

/** Error names Cognito uses, normalised: the emulator and AWS differ on a few (see notes). */
export type IdentityFailure =
  | 'exists'
  | 'bad_credentials'
  | 'not_confirmed'
  | 'bad_code'
  | 'expired_code'
  | 'bad_password'
  | 'too_many';

function failureOf(error: unknown): IdentityFailure | undefined {
  switch ((error as { name?: string }).name) {
    case 'UsernameExistsException':
      return 'exists';
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
    // cognito-local answers a wrong password with InvalidPasswordException where AWS says NotAuthorized.
    case 'InvalidPasswordException':
    // An account an administrator sent to « Mot de passe oublié »: answered like a wrong password
    // (a distinct answer would tell anyone that the address has an account); the sign-in page
    // links to the reset.
    case 'PasswordResetRequiredException':
      return 'bad_credentials';
    case 'UserNotConfirmedException':
      return 'not_confirmed';
    case 'CodeMismatchException':
      return 'bad_code';
    case 'ExpiredCodeException':
      return 'expired_code';
    case 'InvalidParameterException':
      return 'bad_password';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return 'too_many';
    default:
      return undefined;
  }
}

/** Raised for an expected Cognito refusal; anything else propagates as a fault. */
export class IdentityError extends Error {
  constructor(readonly failure: IdentityFailure) {
    super(`identity: ${failure}`);
  }
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const failure = failureOf(error);
    if (failure) throw new IdentityError(failure);
    throw error;
  }
}

/**
 * Registers a user whose ID token will carry `custom:member_id`; Cognito emails the code.
 * Returns the user's `sub`, which the member item keeps to bind the two (see `loadActor`).
 */
export async function signUp(input: { email: string; password: string; memberId: string }): Promise<string> {
  const out = await call(() =>
    cognito().send(
      new SignUpCommand({
        ClientId: config().USER_POOL_CLIENT_ID,
        Username: input.email,
        Password: input.password,
        UserAttributes: [
          { Name: 'email', Value: input.email },
          { Name: 'custom:member_id', Value: input.memberId },
        ],
      }),
    ),
  );
  if (!out.UserSub) throw new Error('Cognito SignUp returned no UserSub');
  return out.UserSub;
}

export async function confirmSignUp(email: string, code: string): Promise<void> {
  await call(() =>
    cognito().send(
      new ConfirmSignUpCommand({
        ClientId: config().USER_POOL_CLIENT_ID,
        Username: email,
        ConfirmationCode: code,
      }),
    ),
  );
}

export async function resendCode(email: string): Promise<void> {
  await call(() =>
    cognito().send(
      new ResendConfirmationCodeCommand({ ClientId: config().USER_POOL_CLIENT_ID, Username: email }),
    ),
  );
}

/** « Mot de passe oublié »: Cognito emails a code that lets the user choose a new password. */
export async function forgotPassword(email: string): Promise<void> {
  await call(() =>
    cognito().send(new ForgotPasswordCommand({ ClientId: config().USER_POOL_CLIENT_ID, Username: email })),
  );
}

/** Sets a new password with the code `forgotPassword` sent. */
export async function confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
  await call(() =>
    cognito().send(
      new ConfirmForgotPasswordCommand({
        ClientId: config().USER_POOL_CLIENT_ID,
        Username: email,
        ConfirmationCode: code,
        Password: password,
      }),
    ),
  );
}

export async function signIn(email: string, password: string): Promise<Session> {
  const out = await call(() =>
    cognito().send(
      new InitiateAuthCommand({
        ClientId: config().USER_POOL_CLIENT_ID,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    ),
  );
  const result = out.AuthenticationResult;
  if (!result?.IdToken || !result.RefreshToken) throw new IdentityError('bad_credentials');
  // cognito-local omits ExpiresIn; Cognito's default ID-token lifetime is one hour.
  return { idToken: result.IdToken, refreshToken: result.RefreshToken, expiresIn: result.ExpiresIn ?? 3600 };
}

export async function refresh(refreshToken: string): Promise<Session> {
  const out = await call(() =>
    cognito().send(
      new InitiateAuthCommand({
        ClientId: config().USER_POOL_CLIENT_ID,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    ),
  );
  const result = out.AuthenticationResult;
  if (!result?.IdToken) throw new IdentityError('bad_credentials');
  return { idToken: result.IdToken, expiresIn: result.ExpiresIn ?? 3600 };
}

/** Revokes the refresh token (sign-out): no new ID token can be minted from it. */
export async function revoke(refreshToken: string): Promise<void> {
  await call(() =>
    cognito().send(new RevokeTokenCommand({ ClientId: config().USER_POOL_CLIENT_ID, Token: refreshToken })),
  );
}

export async function addToGroup(email: string, group: CognitoGroup): Promise<void> {
  await cognito().send(
    new AdminAddUserToGroupCommand({ UserPoolId: config().USER_POOL_ID, Username: email, GroupName: group }),
  );
}

/** Removes a user; used to undo a sign-up whose table write failed. */
export async function deleteUser(email: string): Promise<void> {
  await cognito().send(new AdminDeleteUserCommand({ UserPoolId: config().USER_POOL_ID, Username: email }));
}

/**
 * Puts the user in exactly these groups (the mirror of the table's circle and roles): adds the
 * missing ones, removes the others. `username` is the Cognito user name (the `sub`).
 */
export async function syncGroups(username: string, wanted: readonly CognitoGroup[]): Promise<void> {
  const poolId = config().USER_POOL_ID;
  const out = await cognito().send(
    new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username, Limit: 60 }),
  );
  const current = new Set((out.Groups ?? []).map((g) => g.GroupName));
  for (const group of wanted) {
    if (!current.has(group))
      await cognito().send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }),
      );
  }
  for (const group of current) {
    if (group && !wanted.includes(group as CognitoGroup)) {
      await cognito().send(
        new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }),
      );
    }
  }
}
