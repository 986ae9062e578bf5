import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEXES } from '../../shared/data/client.ts';
import { COGNITO_GROUPS } from '../../shared/identity/cognito.ts';
import { type Synthesized, synthesize } from './synth.ts';

let app: Synthesized;
beforeAll(() => {
  app = synthesize();
});
afterAll(() => app.cleanup());

describe('the table', () => {
  it('is one on-demand AWS::DynamoDB::Table keyed by pk/sk (not a global table)', () => {
    const { dataTemplate: t } = app;
    t.resourceCountIs('AWS::DynamoDB::Table', 1);
    t.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });

  it('has the three generic GSIs the data layer queries, string keys, all attributes projected', () => {
    const table = Object.values(app.dataTemplate.findResources('AWS::DynamoDB::Table'))[0];
    const gsis = table?.Properties.GlobalSecondaryIndexes as { IndexName: string }[];
    expect(gsis.map((g) => g.IndexName).sort()).toEqual([...INDEXES].sort());
    for (const index of INDEXES) {
      expect(gsis).toContainEqual({
        IndexName: index,
        KeySchema: [
          { AttributeName: `${index}pk`, KeyType: 'HASH' },
          { AttributeName: `${index}sk`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
    const definitions = table?.Properties.AttributeDefinitions as {
      AttributeName: string;
      AttributeType: string;
    }[];
    expect(definitions.every((d) => d.AttributeType === 'S')).toBe(true);
    expect(definitions.map((d) => d.AttributeName).sort()).toEqual(
      ['pk', 'sk', ...INDEXES.flatMap((i) => [`${i}pk`, `${i}sk`])].sort(),
    );
  });

  it('keeps its data: PITR, TTL on expiresAt, encryption, deletion protection, retained', () => {
    app.dataTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });
});

describe('the user pool', () => {
  it('signs members in by email, verifies by code and is retained', () => {
    app.dataTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE' }),
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 10,
            RequireLowercase: true,
            RequireNumbers: true,
          }),
        },
      }),
    });
  });

  it('carries an immutable custom member_id (custom:member_id in the ID token)', () => {
    app.dataTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'member_id', AttributeDataType: 'String', Mutable: false }),
      ]),
    });
  });

  it('has exactly the groups the identity module uses', () => {
    const groups = Object.values(app.dataTemplate.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName as string,
    );
    expect(groups.sort()).toEqual([...COGNITO_GROUPS].sort());
  });

  it('has one public client: password and refresh flows, revocation, no user-existence leaks', () => {
    const { dataTemplate: t } = app;
    t.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
      ReadAttributes: Match.arrayWith(['custom:member_id']),
    });
  });
});

describe('mail', () => {
  it('has a retained SES identity for the mail domain', () => {
    app.dataTemplate.hasResource('AWS::SES::EmailIdentity', {
      DeletionPolicy: 'Retain',
      Properties: { EmailIdentity: 'coopol.example' },
    });
  });
});
