import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import type { JobDef } from '../../shared/jobs.ts';
import type { RouteDef } from '../../shared/routes.ts';
import { ApiFunction, type FunctionEnvironment } from '../constructs/api-function.ts';
import { Site } from '../constructs/site.ts';
import type { CoopolDataStack } from './data-stack.ts';

/** The digest job; its handler lands with the notifications issue. */
export const DIGEST_JOB_ENTRY = 'functions/jobs/send-digests.ts';

export interface ApiStackProps extends StackProps {
  readonly data: CoopolDataStack;
  readonly routes: readonly RouteDef[];
  /** The job table (`shared/jobs.ts`): one function and one schedule each. */
  readonly jobs: readonly JobDef[];
  /** Absolute path of the repository root: handler paths in the route table are relative to it. */
  readonly projectRoot: string;
  /** The built site folder (deployed only if it exists). */
  readonly siteDistDir: string;
  /** `From` of every email. */
  readonly mailFrom: string;
  /** Public origin of the site; defaults to the CloudFront distribution's own domain. */
  readonly siteUrl?: string;
  /** The digest job's handler, relative to `projectRoot` (default DIGEST_JOB_ENTRY). */
  readonly digestJobEntry?: string;
}

/** `auth.signUp` → `AuthSignUp`: stable construct ids (and logical ids) from route ids. */
export function constructIdOf(routeId: string): string {
  return routeId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The stateless stack: the HTTP API with one function per route of `shared/routes.ts`, the jobs
 * and the site. Everything here can be destroyed and redeployed without losing data.
 */
export class CoopolApiStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly site: Site;
  /** Route id → its function. */
  readonly functions = new Map<string, ApiFunction>();
  /** Job id → its function. */
  readonly jobFunctions = new Map<string, ApiFunction>();
  readonly digestJob: ApiFunction | undefined;
  private schedulerRole: iam.Role | undefined;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data } = props;

    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: 'coopol',
      description: 'La coopol HTTP API (routes from shared/routes.ts)',
      createDefaultStage: false,
    });

    // Request-level access log without IP address or user agent (members of a political party:
    // keep what diagnosing needs, nothing that profiles a visitor).
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Whole-API ceiling; per-member limits live in the application (HTTP APIs have no per-client
      // throttling).
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    this.site = new Site(this, 'Site', { api: this.api, distDir: props.siteDistDir });

    const environment: FunctionEnvironment = {
      STAGE: 'aws',
      TABLE_NAME: data.table.tableName,
      USER_POOL_ID: data.userPool.userPoolId,
      USER_POOL_CLIENT_ID: data.userPoolClient.userPoolClientId,
      MAIL_FROM: props.mailFrom,
      SITE_URL: props.siteUrl ?? `https://${this.site.distribution.distributionDomainName}`,
    };
    const resources = {
      table: data.table,
      tableIndexes: data.tableIndexes,
      userPool: data.userPool,
      emailIdentity: data.emailIdentity,
    };

    // The JWT authorizer checks the ID token's signature, expiry, issuer and audience (the app
    // client); the functions then read the member's state on every request.
    const authorizer = new HttpUserPoolAuthorizer('MemberIdToken', data.userPool, {
      userPoolClients: [data.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    const noAuth = new apigwv2.HttpNoneAuthorizer();

    for (const route of props.routes) {
      const name = constructIdOf(route.id);
      const fn = new ApiFunction(this, name, {
        entry: path.join(props.projectRoot, route.handler),
        description: `${route.method} ${route.path} (${route.id})`,
        uses: route.uses,
        data: resources,
        environment,
        projectRoot: props.projectRoot,
      });
      this.functions.set(route.id, fn);

      const httpRoute = new apigwv2.HttpRoute(this, `${name}Route`, {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${name}Integration`, fn.fn),
        authorizer: route.auth === 'member' ? authorizer : noAuth,
      });
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} (${route.id}) is declared 'public' in shared/routes.ts: it answers visitors who have no token yet; member data stays behind the JWT routes.`,
        });
      }
    }

    for (const job of props.jobs) {
      const name = constructIdOf(job.id);
      const fn = new ApiFunction(this, name, {
        entry: path.join(props.projectRoot, job.handler),
        description: job.description,
        uses: job.uses,
        data: resources,
        environment,
        projectRoot: props.projectRoot,
        timeout: Duration.seconds(job.timeoutSeconds),
      });
      this.jobFunctions.set(job.id, fn);
      this.schedule(`${name}Schedule`, fn, {
        description: `${job.description} — every ${job.everyMinutes} min`,
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(job.everyMinutes)),
        enabled: true,
      });
    }

    // Digests land with the notifications issue: the schedule is created disabled, and only once
    // the job's handler exists, so that synth never breaks before then.
    const digestEntry = path.join(props.projectRoot, props.digestJobEntry ?? DIGEST_JOB_ENTRY);
    if (existsSync(digestEntry)) {
      this.digestJob = new ApiFunction(this, 'SendDigests', {
        entry: digestEntry,
        description: 'Job: send the member digests',
        // Reads the recipients due this hour, records each delivery (never sent twice), sends mail.
        uses: ['table:write', 'email'],
        data: resources,
        environment,
        projectRoot: props.projectRoot,
        timeout: Duration.minutes(5),
      });
      this.schedule('DigestSchedule', this.digestJob, {
        description: 'Hourly digest run (members choose their hour); disabled until digests ship',
        schedule: scheduler.ScheduleExpression.cron({ minute: '0', timeZone: TimeZone.EUROPE_PARIS }),
        enabled: false,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'SiteUrl', { value: `https://${this.site.distribution.distributionDomainName}` });
  }

  /** An EventBridge Scheduler schedule invoking a job function, through one role for all jobs. */
  private schedule(
    id: string,
    job: ApiFunction,
    props: { description: string; schedule: scheduler.ScheduleExpression; enabled: boolean },
  ): void {
    if (!this.schedulerRole) {
      this.schedulerRole = new iam.Role(this, 'JobSchedulerRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
        description: 'EventBridge Scheduler: invoke the scheduled jobs',
      });
    }
    new scheduler.Schedule(this, id, {
      ...props,
      target: new targets.LambdaInvoke(job.fn, { retryAttempts: 2, role: this.schedulerRole }),
    });
    const jobArn = `<${this.getLogicalId(job.fn.node.defaultChild as lambda.CfnFunction)}.Arn>`;
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${jobArn}:*]`,
      reason: 'Function.grantInvoke also covers the versions and aliases of the job (ARN:*), nothing else.',
    });
  }
}
