import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { INDEXES } from '../../shared/data/client.ts';
import { COGNITO_GROUPS } from '../../shared/identity/cognito.ts';

export const LOCAL_REGION = 'eu-west-3';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const POOL_NAME = 'coopol';
const CLIENT_NAME = 'coopol-site';

/**
 * Creates the table as the stateful stack defines it (pk/sk, gsi1–3 with ALL projection, TTL on
 * `expiresAt`) unless it exists. Idempotent: `npm start` run twice keeps the data.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const ddb = new DynamoDBClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  try {
    await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  const gsis: GlobalSecondaryIndex[] = INDEXES.map((name) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}pk`, KeyType: 'HASH' },
      { AttributeName: `${name}sk`, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  }));
  await ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', ...INDEXES.flatMap((n) => [`${n}pk`, `${n}sk`])].map((a) => ({
        AttributeName: a,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: gsis,
    }),
  );
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
}

export interface PoolIds {
  userPoolId: string;
  clientId: string;
}

/** Finds or creates the user pool, its app client and the five groups (never re-creating a group: that wipes its members in cognito-local). */
export async function ensureUserPool(endpoint: string): Promise<PoolIds> {
  const cognito = new CognitoIdentityProviderClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
  if (!userPoolId) {
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: POOL_NAME,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 10,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireUppercase: false,
            RequireSymbols: false,
          },
        },
        Schema: [{ Name: 'member_id', AttributeDataType: 'String', Mutable: false }],
      }),
    );
    userPoolId = created.UserPool?.Id;
  }
  if (!userPoolId) throw new Error('cognito-local did not return a user pool id');

  const clients = await cognito.send(
    new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
  );
  let clientId = clients.UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
  if (!clientId) {
    const created = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: CLIENT_NAME,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    clientId = created.UserPoolClient?.ClientId;
  }
  if (!clientId) throw new Error('cognito-local did not return a client id');

  // cognito-local answers GetGroup on a missing group with a 500, so list them instead.
  const existing = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const names = new Set(existing.Groups?.map((g) => g.GroupName));
  for (const group of COGNITO_GROUPS) {
    if (!names.has(group))
      await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
  }
  return { userPoolId, clientId };
}

/**
 * Creates the media bucket unless it exists and sets its CORS rules, as the stateful stack does:
 * the site's origins may PUT an upload (presigned) and GET images; nothing is public (the
 * emulator's guard refuses unsigned requests). Lifecycle rules are not emulated.
 */
export async function ensureBucket(endpoint: string, bucket: string, siteOrigins: string[]): Promise<void> {
  const s3 = new S3Client({
    region: LOCAL_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: siteOrigins,
            AllowedMethods: ['PUT', 'GET'],
            AllowedHeaders: ['content-type'],
            MaxAgeSeconds: 600,
          },
        ],
      },
    }),
  );
  s3.destroy();
}
