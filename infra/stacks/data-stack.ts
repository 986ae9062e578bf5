import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';

/** Cognito groups mirroring the circles and roles kept in the table (see shared/identity/cognito.ts). */
export const MEMBER_GROUPS = [
  { name: 'admins', description: 'Administrateurs de la coopol' },
  { name: 'coopilotes', description: 'Coopilotes (modération nationale)' },
  { name: 'secretaires', description: 'Secrétaires de section' },
  { name: 'adherents', description: 'Adhérents et adhérentes' },
  { name: 'sympathisants', description: 'Sympathisants et sympathisantes' },
] as const;

/** The table's generic secondary indexes (shared/data/client.ts INDEXES names the same three). */
export const TABLE_INDEXES = ['gsi1', 'gsi2', 'gsi3'] as const;

export interface DataStackProps extends StackProps {
  /** Domain the mails are sent from; its SES identity is created here. */
  readonly mailDomain: string;
  /**
   * Send Cognito's own mails (confirmation codes) through SES from `mailDomain` instead of
   * Cognito's default sender (limited to 50 mails a day). Needs the SES identity verified
   * (DKIM records published) before the deploy that turns it on.
   */
  readonly cognitoEmailViaSes?: boolean;
}

/**
 * The stateful stack: everything that holds members' data. Retained and protected from deletion,
 * so that a bad deploy of the code (the other stack) can never touch it.
 */
export class CoopolDataStack extends Stack {
  readonly table: dynamodb.Table;
  readonly tableIndexes: readonly string[] = TABLE_INDEXES;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly emailIdentity: ses.EmailIdentity;
  readonly mailDomain: string;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.mailDomain = props.mailDomain;

    // `Table`, not `TableV2`: TableV2 synthesizes an AWS::DynamoDB::GlobalTable.
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Rate-limit counters, pending sign-ups and other short-lived items expire on their own.
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    for (const index of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.emailIdentity = new ses.EmailIdentity(this, 'MailDomain', {
      identity: ses.Identity.domain(props.mailDomain),
    });
    this.emailIdentity.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.userPool = new cognito.UserPool(this, 'Members', {
      userPoolName: 'coopol-members',
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      // Until the new address is confirmed, the member keeps signing in with the old one.
      keepOriginal: { email: true },
      userVerification: {
        emailStyle: cognito.VerificationEmailStyle.CODE,
        emailSubject: 'La coopol — votre code de confirmation',
        emailBody: 'Bonjour, votre code de confirmation pour La coopol est {####}. Il expire dans 24 heures.',
      },
      standardAttributes: { email: { required: true, mutable: true } },
      // Immutable: the ID token's `custom:member_id` is the only link from a Cognito user to the
      // member item, and must never be re-pointed after sign-up.
      customAttributes: { member_id: new cognito.StringAttribute({ mutable: false, minLen: 1, maxLen: 64 }) },
      passwordPolicy: {
        minLength: 10,
        requireLowercase: true,
        requireDigits: true,
        requireUppercase: false,
        requireSymbols: false,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // TOTP can be offered (to admins first) without changing the pool; SMS is never used.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.cognitoEmailViaSes
        ? {
            email: cognito.UserPoolEmail.withSES({
              fromEmail: `ne-pas-repondre@${props.mailDomain}`,
              fromName: 'La coopol',
              sesVerifiedDomain: props.mailDomain,
            }),
          }
        : {}),
    });

    for (const [precedence, group] of MEMBER_GROUPS.entries()) {
      this.userPool.addGroup(`Group-${group.name}`, {
        groupName: group.name,
        description: group.description,
        precedence,
      });
    }

    // Public client: the functions call Cognito on the browser's behalf (the site only talks to
    // /api), so there is no hosted UI and no OAuth flow.
    this.userPoolClient = this.userPool.addClient('ApiClient', {
      userPoolClientName: 'coopol-api',
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('member_id'),
      // The sign-up function sets `custom:member_id` in its SignUp call (shared/identity/cognito.ts).
      writeAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true })
        .withCustomAttributes('member_id'),
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG1',
      reason:
        'Length over composition (NIST SP 800-63B §5.1.1.2): at least 10 characters with lowercase and digits; ' +
        'uppercase and symbols are not forced, Cognito still refuses common breached passwords.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) rather than required: members sign in through the API with a password, and ' +
        'requiring a second factor from every member of a volunteer organisation would lock many out.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials tier: the Plus tier (threat protection) is billed per monthly active user, too costly for ' +
        'the party now. Brute force is limited by Cognito lockout, prevented user-existence errors and the ' +
        'per-member rate limits of the API.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }
}
