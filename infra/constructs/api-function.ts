import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config.ts';
import type { Capability } from '../../shared/routes.ts';

/**
 * The environment every function gets: the keys of `shared/config.ts`, minus `AWS_REGION` (set by
 * Lambda itself, reserved) and the `*_ENDPOINT` ones (emulators only). The mapped type makes the
 * compiler fail here when `shared/config.ts` gains a key that infra does not set.
 */
export type FunctionEnvironment = {
  [K in keyof Config as K extends 'AWS_REGION' | `${string}_ENDPOINT` ? never : K]-?: string;
};

/** The resources a capability may be granted on (all live in the stateful stack). */
export interface DataResources {
  readonly table: dynamodb.ITable;
  readonly userPool: cognito.IUserPool;
  readonly emailIdentity: ses.IEmailIdentity;
  /** Every index of the table, granted by name rather than with an `index/*` wildcard. */
  readonly tableIndexes: readonly string[];
  /** The private media bucket (issue 10). */
  readonly mediaBucket: s3.IBucket;
}

export interface ApiFunctionProps {
  /** Absolute path of the handler file (it exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** What the function touches; it is granted exactly this and nothing more. */
  readonly uses: readonly Capability[];
  readonly data: DataResources;
  readonly environment: FunctionEnvironment;
  /** Variables for this function only (a secret its route alone needs). */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  /** Absolute path of the repository root (holds package-lock.json). */
  readonly projectRoot: string;
  readonly timeout?: Duration;
}

/**
 * The admin user-pool calls the sign-up flow makes (create the member, put them in a group,
 * undo a half-done sign-up). The public calls (SignUp, InitiateAuth, RevokeToken…) need no IAM.
 */
export const COGNITO_ADMIN_ACTIONS = [
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminUpdateUserAttributes',
] as const;

/**
 * DynamoDB actions per capability. Narrower than `grantReadData`/`grantReadWriteData`: no Scan
 * (ARCHITECTURE rule 4: no Scan on a request path — IAM enforces it in AWS), no stream or
 * DescribeTable actions. Transactions are authorized item by item through these same actions.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITE_ACTIONS = [
  ...TABLE_READ_ACTIONS,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** esbuild options shared by every function (see ../shared/notes/stack-feasibility.md §5). */
export const BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  // Maps point at file and line only: embedding the sources (mostly the SDK) would triple the zip.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // The AWS SDK v3 comes from the Node.js 24 runtime: bundling it made every function 370–480 kB,
  // over the 250 kB budget (architecture, bundle sizes); `npm run bench` prints the sizes.
  // The APIs we call are long stable, so the runtime's SDK version is not a risk we need to pin.
  // An ESM bundle that inlines CommonJS code (Powertools, ulid) needs a real `require`.
  bundleAwsSDK: false,
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
};

/**
 * One Lambda function with the project defaults (Powertools-style construct): Node 24 on ARM,
 * 512 MB, 10 s, ESM bundle, its own role and log group, and grants derived from `uses` only.
 */
export class ApiFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);

    // Logs may hold member identifiers: kept one month, and deleted with the stack (data
    // minimisation) rather than retained.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of the default one: no AWSLambdaBasicExecutionRole managed policy
    // (it allows writing to any log group); this role may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);

    const processesImages = props.uses.includes('media:process');
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      environment: { ...props.environment, ...props.extraEnvironment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: BUNDLING,
      // Decoding photos (issue 10): sharp is native, so this function runs on x86_64 with sharp
      // and its linux-x64 libvips from a layer (copied from node_modules at synth: no install,
      // no download), more memory for a 40-megapixel decode and time for the encodes.
      ...(processesImages
        ? {
            architecture: lambda.Architecture.X86_64,
            memorySize: 2048,
            timeout: props.timeout ?? Duration.seconds(30),
            layers: [sharpLayer(this, props.projectRoot)],
            bundling: { ...BUNDLING, externalModules: ['@aws-sdk/*', 'sharp'] },
          }
        : {}),
    });

    for (const capability of new Set(props.uses)) grantCapability(capability, this.role, props.data);
  }
}

/** Grants one capability of the route table to a role — the only place that maps them to IAM. */
export function grantCapability(capability: Capability, role: iam.IRole, data: DataResources): void {
  switch (capability) {
    case 'table:read':
      grantTable(role, data, TABLE_READ_ACTIONS);
      return;
    case 'table:write':
      grantTable(role, data, TABLE_WRITE_ACTIONS);
      return;
    case 'cognito':
      data.userPool.grant(role, ...COGNITO_ADMIN_ACTIONS);
      return;
    case 'email':
      data.emailIdentity.grantSendEmail(role);
      return;
    case 'media:upload':
      // The presigned PUT is signed with this role: it may put raw uploads, nothing else.
      grantObjects(role, ['s3:PutObject'], ['uploads/*']);
      return;
    case 'media:process':
      grantObjects(role, ['s3:GetObject', 's3:DeleteObject'], ['uploads/*']);
      grantObjects(role, ['s3:PutObject', 's3:DeleteObject'], ['media/*']);
      // ListBucket (limited to uploads/) makes HeadObject of a missing upload a 404, not a 403.
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['s3:ListBucket'],
        resourceArns: [`arn:${Aws.PARTITION}:s3:::${MEDIA_BUCKET_NAME}`],
        conditions: { StringLike: { 's3:prefix': ['uploads/*'] } },
      });
      return;
    case 'media:read':
      // Presigned GETs are signed with this role's credentials: it must itself read `media/`.
      grantObjects(role, ['s3:GetObject'], ['media/*']);
      return;
    case 'media:delete':
      grantObjects(role, ['s3:DeleteObject'], ['uploads/*', 'media/*']);
      return;
  }
}

/**
 * Object actions under key prefixes of the media bucket. The keys are per member and per image,
 * so the prefix wildcard is the narrowest grant (cdk-nag IAM5 acknowledged for exactly it).
 */
function grantObjects(role: iam.IRole, actions: string[], prefixes: string[]): void {
  iam.Grant.addToPrincipal({
    grantee: role,
    actions,
    resourceArns: prefixes.map((p) => `arn:${Aws.PARTITION}:s3:::${MEDIA_BUCKET_NAME}/${p}`),
  });
  for (const prefix of prefixes) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${MEDIA_BUCKET_NAME_NAG}/${prefix}]`,
      reason: `Objects of the media bucket under ${prefix.replace('*', '')}: keys are per member and image, created at run time.`,
    });
  }
}

/**
 * The media bucket's name, per account and region: the grants build its ARN in their own
 * (nested) stack rather than importing it, so that each IAM statement reads the same everywhere.
 */
export const MEDIA_BUCKET_NAME = `coopol-media-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
const MEDIA_BUCKET_NAME_NAG = 'coopol-media-<AWS::AccountId>-<AWS::Region>';

/**
 * One layer per stack holding sharp and its linux-x64 binaries, copied from node_modules into a
 * temporary `nodejs/node_modules` folder when the app is built (offline; the lock file pins them).
 */
function sharpLayer(scope: Construct, projectRoot: string): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'SharpLayer';
  const existing = stack.node.tryFindChild(id) as lambda.ILayerVersion | undefined;
  if (existing) return existing;
  const staging = mkdtempSync(path.join(tmpdir(), 'coopol-sharp-'));
  const modules = path.join(staging, 'nodejs/node_modules');
  mkdirSync(modules, { recursive: true });
  for (const pkg of SHARP_PACKAGES) {
    const from = path.join(projectRoot, 'node_modules', pkg);
    if (existsSync(from)) cpSync(from, path.join(modules, pkg), { recursive: true, dereference: true });
  }
  return new lambda.LayerVersion(stack, id, {
    code: lambda.Code.fromAsset(staging),
    compatibleArchitectures: [lambda.Architecture.X86_64],
    compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
    description: 'sharp with libvips for linux-x64 (photos, issue 10)',
  });
}

/** sharp, its dependencies and its linux-x64 (glibc) binaries: what the layer holds. */
export const SHARP_PACKAGES = [
  'sharp',
  '@img/colour',
  '@img/sharp-linux-x64',
  '@img/sharp-libvips-linux-x64',
  'detect-libc',
  'semver',
] as const;

/** The table and each named index (no `index/*` wildcard: a new index is granted explicitly). */
function grantTable(role: iam.IRole, data: DataResources, actions: readonly string[]): void {
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: [...actions],
    resourceArns: [
      data.table.tableArn,
      ...data.tableIndexes.map((index) => `${data.table.tableArn}/index/${index}`),
    ],
  });
}
