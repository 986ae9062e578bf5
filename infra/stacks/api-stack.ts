import path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { JobDef } from '../../shared/jobs.ts';
import type { RouteDef } from '../../shared/routes.ts';
import { ApiFunction, type DataResources, type FunctionEnvironment } from '../constructs/api-function.ts';
import { Site } from '../constructs/site.ts';
import type { CoopolDataStack } from './data-stack.ts';
import { areaStackIdOf, constructIdOf, type RouteArea, RouteAreaStack } from './route-area-stack.ts';

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
}

/**
 * The stateless stack: the HTTP API with one function per route of `shared/routes.ts`, the jobs
 * and the site. Everything here can be destroyed and redeployed without losing data.
 *
 * The routes live in one nested stack per area (`RouteDef.area`, ADR 009): this template keeps the
 * HTTP API, its stage and access log, the JWT authorizer, the site and the jobs, so that no
 * template nears CloudFormation's 500-resource limit as the route table grows.
 */
export class CoopolApiStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly site: Site;
  /** Route id → its function (in the nested stack of its area). */
  readonly functions = new Map<string, ApiFunction>();
  /** Area → the nested stack holding its routes, in route-table order. */
  readonly areaStacks = new Map<RouteArea, RouteAreaStack>();
  /** Job id → its function. */
  readonly jobFunctions = new Map<string, ApiFunction>();
  /** Where failed job runs land (the schedules' and the job functions' dead-letter destination). */
  readonly jobsDeadLetterQueue: sqs.Queue;
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
      MEDIA_BUCKET: data.mediaBucket.bucketName,
      SITE_URL: props.siteUrl ?? `https://${this.site.distribution.distributionDomainName}`,
    };
    const resources: DataResources = {
      table: data.table,
      tableIndexes: data.tableIndexes,
      userPool: data.userPool,
      emailIdentity: data.emailIdentity,
      mediaBucket: data.mediaBucket,
    };

    // The JWT authorizer checks the ID token's signature, expiry, issuer and audience (the app
    // client); the functions then read the member's state on every request.
    const authorizer = new HttpUserPoolAuthorizer('MemberIdToken', data.userPool, {
      userPoolClients: [data.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    // The authorizer's resource is created in the HTTP API's scope (this stack) when the first
    // member route binds it; the area stacks receive its id as a parameter.
    for (const [area, areaRoutes] of routesByArea(props.routes)) {
      const areaStack = new RouteAreaStack(this, areaStackIdOf(area), {
        area,
        routes: areaRoutes,
        httpApi: this.api,
        memberAuthorizer: authorizer,
        data: resources,
        environment,
        // Resolved by CloudFormation at deploy time (a dynamic reference): never in the template.
        ...(area === 'auth'
          ? { areaEnvironment: { AUTH_GUARD_SECRET: data.authGuardKey.secretValue.unsafeUnwrap() } }
          : {}),
        projectRoot: props.projectRoot,
      });
      this.areaStacks.set(area, areaStack);
      for (const [routeId, fn] of areaStack.functions) this.functions.set(routeId, fn);
    }

    // Where a job run that failed for good lands (issue 12): the schedule's delivery failures and
    // the function's own failures after Lambda's retries, kept 14 days, with an alarm. (Work
    // inside a run is kept in the table: a failed background task waits in TASKS#FAILED, ADR 007.)
    const jobsDeadLetters = new sqs.Queue(this, 'JobsDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(jobsDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the scheduled jobs.',
    });
    new cloudwatch.Alarm(this, 'JobsDeadLetterAlarm', {
      alarmDescription: 'A scheduled job failed for good: its event is in the jobs dead-letter queue',
      metric: jobsDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.jobsDeadLetterQueue = jobsDeadLetters;

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
      fn.fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        onFailure: new destinations.SqsDestination(jobsDeadLetters),
      });
      this.jobFunctions.set(job.id, fn);
      this.schedule(`${name}Schedule`, fn, jobsDeadLetters, {
        description: `${job.description} — every ${job.everyMinutes} min`,
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(job.everyMinutes)),
        enabled: true,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'SiteUrl', { value: `https://${this.site.distribution.distributionDomainName}` });
  }

  /** An EventBridge Scheduler schedule invoking a job function, through one role for all jobs. */
  private schedule(
    id: string,
    job: ApiFunction,
    deadLetterQueue: sqs.IQueue,
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
      target: new targets.LambdaInvoke(job.fn, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue,
        role: this.schedulerRole,
      }),
    });
    const jobArn = `<${this.getLogicalId(job.fn.node.defaultChild as lambda.CfnFunction)}.Arn>`;
    Validations.of(this.schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${jobArn}:*]`,
      reason: 'Function.grantInvoke also covers the versions and aliases of the job (ARN:*), nothing else.',
    });
  }
}

/** Routes grouped by area, areas in order of first appearance in the table. */
export function routesByArea(routes: readonly RouteDef[]): Map<RouteArea, RouteDef[]> {
  const byArea = new Map<RouteArea, RouteDef[]>();
  for (const route of routes) {
    const list = byArea.get(route.area) ?? [];
    list.push(route);
    byArea.set(route.area, list);
  }
  return byArea;
}
