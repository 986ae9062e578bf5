import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
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
}

export interface ApiFunctionProps {
  /** Absolute path of the handler file (it exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** What the function touches; it is granted exactly this and nothing more. */
  readonly uses: readonly Capability[];
  readonly data: DataResources;
  readonly environment: FunctionEnvironment;
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
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: BUNDLING,
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
  }
}

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
