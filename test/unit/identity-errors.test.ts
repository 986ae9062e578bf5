import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../shared/config.ts';
import { IdentityError, signIn } from '../../shared/identity/cognito.ts';

/**
 * Cognito's refusals of a sign-in are normalised so that the answer never tells whether an address
 * has an account (issue 12): a wrong password, an unknown user and an account sent to the password
 * reset all read as « bad credentials »; an unexpected error stays a fault.
 */

const cognito = mockClient(CognitoIdentityProviderClient);

beforeAll(() => {
  for (const [k, v] of Object.entries({
    STAGE: 'aws',
    AWS_REGION: 'eu-west-3',
    TABLE_NAME: 'coopol',
    USER_POOL_ID: 'eu-west-3_test',
    USER_POOL_CLIENT_ID: 'client',
    MAIL_FROM: 'La coopol <ne-pas-repondre@coopol.example>',
    SITE_URL: 'https://coopol.example',
  }))
    vi.stubEnv(k, v);
  resetConfig();
});

afterAll(() => {
  vi.unstubAllEnvs();
  resetConfig();
  cognito.restore();
});

function refusal(name: string): Error {
  const error = new Error(`${name}: refused`);
  error.name = name;
  return error;
}

describe('sign-in refusals from Cognito', () => {
  it.each([
    'NotAuthorizedException',
    'UserNotFoundException',
    'InvalidPasswordException',
    'PasswordResetRequiredException',
  ])('%s reads as bad credentials', async (name) => {
    cognito.on(InitiateAuthCommand).rejects(refusal(name));
    const failure = await signIn('camille@exemple.fr', 'un-mot-de-passe-1').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IdentityError);
    expect((failure as IdentityError).failure).toBe('bad_credentials');
  });

  it('keeps an unexpected error a fault (never a silent « bad credentials »)', async () => {
    cognito.on(InitiateAuthCommand).rejects(refusal('InternalErrorException'));
    const failure = await signIn('camille@exemple.fr', 'un-mot-de-passe-1').catch((e: unknown) => e);
    expect(failure).not.toBeInstanceOf(IdentityError);
  });
});
