import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/app-builder.ts';
import {
  COGNITO_ADMIN_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
} from '../../infra/constructs/api-function.ts';
import { areaStackIdOf, constructIdOf, type RouteArea } from '../../infra/stacks/route-area-stack.ts';
import { CONFIG_KEYS } from '../../shared/config.ts';
import { jobs } from '../../shared/jobs.ts';
import { routes } from '../../shared/routes.ts';
import {
  actionsOf,
  appFunctions,
  functionOfRoute,
  keyOf,
  locate,
  referencedId,
  resolveReference,
  resourceCount,
  resourcesIn,
  resourcesOf,
  routeOf,
  type Synthesized,
  statementsOfFunction,
  synthesize,
} from './synth.ts';

let app: Synthesized;
beforeAll(() => {
  app = synthesize();
});
afterAll(() => app.cleanup());

const routeKey = (route: (typeof routes)[number]) => `${route.method} ${route.path}`;
const areas = [...new Set(routes.map((r) => r.area))];
/** A rate schedule as CDK writes it, in the largest whole unit: 1 → `rate(1 minute)`, 60 → `rate(1 hour)`. */
const rateOf = (minutes: number) => {
  const [count, unit] =
    minutes % 1440 === 0
      ? [minutes / 1440, 'day']
      : minutes % 60 === 0
        ? [minutes / 60, 'hour']
        : [minutes, 'minute'];
  return `rate(${count} ${unit}${count > 1 ? 's' : ''})`;
};
/** CloudFormation's hard limit is 500 resources per template; we keep this budget. */
const BUDGET = 450;
/** What the largest template must still leave under the budget: about 15 routes of one area. */
const HEADROOM = 100;

describe('the route table and the HTTP API agree', () => {
  it('has one API route per route-table entry, and no other', () => {
    const keys = resourcesIn(app.apiTemplates, 'AWS::ApiGatewayV2::Route').map(
      (r) => r.resource.Properties.RouteKey,
    );
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s gets the authorization its auth level says',
    (_id, route) => {
      const apiRoute = routeOf(app.apiTemplates, routeKey(route));
      if (route.auth === 'member') {
        expect(apiRoute.resource.Properties.AuthorizationType).toBe('JWT');
        // The id comes in as a parameter of the area's stack: it must be the parent's authorizer.
        const authorizer = resolveReference(apiRoute.in, apiRoute.resource.Properties.AuthorizerId);
        expect(authorizer?.in.path).toBe(app.api.node.path);
        expect(Object.keys(resourcesOf(app.apiTemplate, 'AWS::ApiGatewayV2::Authorizer'))).toEqual([
          authorizer?.id,
        ]);
      } else {
        expect(apiRoute.resource.Properties.AuthorizationType).toBe('NONE');
        expect(apiRoute.resource.Properties.AuthorizerId).toBeUndefined();
      }
    },
  );

  it('checks ID tokens of the app client from the user pool (JWT authorizer)', () => {
    // One for the whole API, in the parent stack: no area stack creates its own.
    const authorizers = resourcesIn(app.apiTemplates, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers.map((a) => a.in.path)).toEqual([app.api.node.path]);
    const props = authorizers[0]?.resource.Properties ?? {};
    expect(props.AuthorizerType).toBe('JWT');
    expect(props.IdentitySource).toEqual(['$request.header.Authorization']);
    const jwt = JSON.stringify(props.JwtConfiguration);
    // Audience = the app client, issuer = the pool, both taken from the stateful stack.
    expect(jwt).toMatch(/Audience.*MembersApiClient/);
    expect(jwt).toMatch(/Issuer.*cognito-idp.*Members/);
  });

  it('serves every route from its own function running the handler file of the table', () => {
    const functionIds = routes.map((route) => keyOf(functionOfRoute(app.apiTemplates, routeKey(route))));
    expect(new Set(functionIds).size).toBe(routes.length);
    for (const route of routes) {
      expect(existsSync(path.join(PROJECT_ROOT, route.handler)), route.handler).toBe(true);
      const { fn } = functionOfRoute(app.apiTemplates, routeKey(route));
      expect(fn.Properties.Description).toBe(`${route.method} ${route.path} (${route.id})`);
    }
  });

  it('has one function per route and per job, and one enabled schedule per job ', () => {
    expect(appFunctions(app.apiTemplates)).toHaveLength(routes.length + jobs.length);
    const schedules = resourcesIn(app.apiTemplates, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(jobs.length);
    for (const job of jobs) {
      expect(existsSync(path.join(PROJECT_ROOT, job.handler)), job.handler).toBe(true);
      const fn = locate(app.apiTemplates, app.api.jobFunctions.get(job.id)?.fn);
      // A schedule targets a function of its own template (a Ref cannot cross templates).
      const schedule = schedules.find(
        (s) =>
          s.in === fn.in && referencedId((s.resource.Properties.Target as { Arn: unknown }).Arn) === fn.id,
      );
      expect(schedule?.resource.Properties).toMatchObject({
        State: 'ENABLED',
        ScheduleExpression: rateOf(job.everyMinutes),
      });
      expect(fn.resource.Properties.Timeout).toBe(job.timeoutSeconds);
      // Least privilege, as for routes: exactly what the job table declares.
      const actions = actionsOf(statementsOfFunction(fn));
      const uses = job.uses as readonly string[];
      expect(actions.sort()).toEqual(
        [
          ...(uses.includes('table:write') ? TABLE_WRITE_ACTIONS : TABLE_READ_ACTIONS),
          ...(uses.includes('email') ? ['ses:SendEmail', 'ses:SendRawEmail'] : []),
          ...(uses.includes('cognito') ? COGNITO_ADMIN_ACTIONS : []),
          // The account erasure deletes the member's images (issue 10).
          ...(uses.includes('media:delete') ? ['s3:DeleteObject'] : []),
          // Its failed runs go to the jobs dead-letter queue (the async failure destination).
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ].sort(),
      );
    }
  });
});

describe('scheduled jobs fail into a dead-letter queue (issue 12)', () => {
  it('sends a schedule’s undeliverable event and a job’s failed run, after retries, to one encrypted queue with an alarm', () => {
    const queue = locate(app.apiTemplates, app.api.jobsDeadLetterQueue);
    expect(queue.resource.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const schedules = resourcesIn(app.apiTemplates, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(jobs.length);
    for (const s of schedules) {
      const target = s.resource.Properties.Target as {
        DeadLetterConfig?: { Arn: unknown };
        RetryPolicy?: unknown;
      };
      expect(referencedId(target.DeadLetterConfig?.Arn), 'schedule dead-letter queue').toBe(queue.id);
      expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 2 });
    }
    const invokeConfigs = resourcesIn(app.apiTemplates, 'AWS::Lambda::EventInvokeConfig');
    for (const job of jobs) {
      const fn = locate(app.apiTemplates, app.api.jobFunctions.get(job.id)?.fn);
      const config = invokeConfigs.find(
        (c) => c.in === fn.in && referencedId(c.resource.Properties.FunctionName) === fn.id,
      );
      expect(config?.resource.Properties, job.id).toMatchObject({ MaximumRetryAttempts: 2 });
      const destination = config?.resource.Properties.DestinationConfig as
        | { OnFailure?: { Destination?: unknown } }
        | undefined;
      const onFailure = destination?.OnFailure?.Destination;
      expect(referencedId(onFailure), `${job.id} failure destination`).toBe(queue.id);
    }
    const alarms = resourcesIn(app.apiTemplates, 'AWS::CloudWatch::Alarm').filter((a) =>
      JSON.stringify(a.resource.Properties.Dimensions ?? []).includes(queue.id),
    );
    expect(alarms).toHaveLength(1);
  });
});

describe('every function has the project defaults', () => {
  const expectedEnv = CONFIG_KEYS.filter((k) => k !== 'AWS_REGION' && !k.endsWith('_ENDPOINT'));

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s: Node 24 on ARM, 512 MB, 10 s, config env',
    (_id, route) => {
      const { fn } = functionOfRoute(app.apiTemplates, routeKey(route));
      const props = fn.Properties ?? {};
      // The image processing function (issue 10) runs sharp's linux-x64 build from a layer.
      const images = (route.uses as readonly string[]).includes('media:process');
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: [images ? 'x86_64' : 'arm64'],
        MemorySize: images ? 2048 : 512,
        Timeout: images ? 30 : 10,
        Handler: 'index.handler',
      });
      expect(((props.Layers as unknown[] | undefined) ?? []).length).toBe(images ? 1 : 0);
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const key of expectedEnv) expect(env[key], key).toBeDefined();
      expect(env.STAGE).toBe('aws');
      // The sign-in guards' key: the auth functions only, as a Secrets Manager dynamic reference.
      if (route.area === 'auth')
        expect(JSON.stringify(env.AUTH_GUARD_SECRET)).toContain('{{resolve:secretsmanager:');
      else expect(env.AUTH_GUARD_SECRET).toBeUndefined();
      expect(Object.keys(env).filter((k) => k.endsWith('_ENDPOINT'))).toEqual([]);
    },
  );

  it('gives each function its own role, without managed policies, and its own log group kept a month', () => {
    const fns = appFunctions(app.apiTemplates);
    // Role and log group sit in the function's template (the Ref would not resolve otherwise).
    const roles = fns.map((fn) => ({ in: fn.in, id: referencedId(fn.resource.Properties.Role) }));
    const logGroups = fns.map((fn) => ({
      in: fn.in,
      id: referencedId((fn.resource.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup),
    }));
    expect(new Set(roles.map(keyOf)).size).toBe(fns.length);
    expect(new Set(logGroups.map(keyOf)).size).toBe(fns.length);
    for (const role of roles) {
      const resource = resourcesOf(role.in.template, 'AWS::IAM::Role')[role.id ?? ''];
      expect(resource, keyOf(role)).toBeDefined();
      expect(resource?.Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const logGroup of logGroups) {
      const resource = resourcesOf(logGroup.in.template, 'AWS::Logs::LogGroup')[logGroup.id ?? ''];
      expect(resource?.Properties.RetentionInDays, keyOf(logGroup)).toBe(30);
    }
  });
});

describe('least privilege: each function gets exactly what its route uses', () => {
  const roleOf = (route: (typeof routes)[number]) =>
    statementsOfFunction(functionOfRoute(app.apiTemplates, routeKey(route)));
  const only = (actions: string[], prefix: string) => actions.filter((a) => a.startsWith(prefix)).sort();

  it.each(routes.map((r) => [r.id, r] as const))('%s', (_id, route) => {
    const statements = roleOf(route);
    const actions = actionsOf(statements);
    const uses: readonly string[] = route.uses;

    const expectedDynamo = uses.includes('table:write')
      ? TABLE_WRITE_ACTIONS
      : uses.includes('table:read')
        ? TABLE_READ_ACTIONS
        : [];
    expect(only(actions, 'dynamodb:')).toEqual([...expectedDynamo].sort());
    expect(only(actions, 'cognito-idp:')).toEqual(
      uses.includes('cognito') ? [...COGNITO_ADMIN_ACTIONS].sort() : [],
    );
    expect(only(actions, 'ses:')).toEqual(
      uses.includes('email') ? ['ses:SendEmail', 'ses:SendRawEmail'] : [],
    );
    expect(only(actions, 'logs:')).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    const s3Expected = new Set<string>();
    if (uses.includes('media:upload')) s3Expected.add('s3:PutObject');
    if (uses.includes('media:process'))
      for (const a of ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:ListBucket']) s3Expected.add(a);
    if (uses.includes('media:read')) s3Expected.add('s3:GetObject');
    if (uses.includes('media:delete')) s3Expected.add('s3:DeleteObject');
    expect([...new Set(only(actions, 's3:'))].sort()).toEqual([...s3Expected].sort());
    expect(actions.filter((a) => !/^(dynamodb|cognito-idp|ses|logs|s3):/.test(a))).toEqual([]);
    expect(statements.every((s) => s.Effect === 'Allow' && s.Resource !== '*')).toBe(true);
  });

  it('never lets a route with no capability touch the table', () => {
    const bare = routes.filter((r) => r.uses.length === 0);
    expect(bare.length).toBeGreaterThan(0);
    for (const route of bare)
      expect(actionsOf(roleOf(route)).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('never lets a read-only route write', () => {
    const readers = routes.filter(
      (r) =>
        (r.uses as readonly string[]).includes('table:read') &&
        !(r.uses as readonly string[]).includes('table:write'),
    );
    expect(readers.length).toBeGreaterThan(0);
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    for (const route of readers)
      expect(actionsOf(roleOf(route)).filter((a) => writes.includes(a))).toEqual([]);
  });

  it('grants no Scan and no index wildcard to anyone (no Scan on a request path)', () => {
    const policies = resourcesIn(app.templates, 'AWS::IAM::Policy').map((p) => p.resource);
    expect(policies.length).toBeGreaterThan(routes.length);
    const text = JSON.stringify(policies);
    expect(text).not.toContain('dynamodb:Scan');
    expect(text).not.toContain('/index/*');
  });
});

describe('one nested stack per route area (ADR 009)', () => {
  const areaPath = (area: RouteArea) => `${app.api.node.path}/${areaStackIdOf(area)}`;

  it('has one nested stack per area of the route table, and no other', () => {
    const nested = app.apiTemplates.filter((t) => t.parent).map((t) => t.path);
    expect(nested.sort()).toEqual(areas.map(areaPath).sort());
    for (const t of app.apiTemplates.filter((t) => t.parent)) {
      expect(t.parent?.template.path).toBe(app.api.node.path);
    }
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s: route, integration, function, role and permission in its area stack, named after the route',
    (_id, route) => {
      const fn = functionOfRoute(app.apiTemplates, routeKey(route));
      expect(fn.in.path).toBe(areaPath(route.area));
      // Readable and stable logical ids: the construct ids the parent used before the split.
      const name = constructIdOf(route.id);
      expect(fn.id).toMatch(new RegExp(`^${name}Function[0-9A-F]{8}$`));
      expect(fn.route.id).toMatch(new RegExp(`^${name}Route[0-9A-F]{8}$`));
      // Attached to the parent's HTTP API, whose id comes in as a parameter.
      const api = resolveReference(fn.in, fn.route.resource.Properties.ApiId);
      expect(api?.in.path).toBe(app.api.node.path);
      expect(api?.id).toBe(locate(app.templates, app.api.api).id);
      // API Gateway may invoke the function, for this route's path only.
      const permissions = resourcesIn([fn.in], 'AWS::Lambda::Permission').filter(
        (p) => referencedId(p.resource.Properties.FunctionName) === fn.id,
      );
      expect(permissions).toHaveLength(1);
      const permission = permissions[0]?.resource.Properties ?? {};
      expect(permission.Principal).toBe('apigateway.amazonaws.com');
      const [, parts] = (permission.SourceArn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      expect(parts.at(-1)).toBe(`/*/*${route.path}`);
      const apisInArn = parts
        .map((part) => resolveReference(fn.in, part))
        .filter((r) => r?.in.path === app.api.node.path && r.id === api?.id);
      expect(apisInArn).toHaveLength(1);
    },
  );

  it('keeps the HTTP API, stage, authorizer, site and jobs in the parent stack', () => {
    for (const type of [
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Authorizer',
      'AWS::CloudFront::Distribution',
      'AWS::Scheduler::Schedule',
    ]) {
      const paths = resourcesIn(app.apiTemplates, type).map((r) => r.in.path);
      expect(paths.length, type).toBeGreaterThan(0);
      expect(new Set(paths), type).toEqual(new Set([app.api.node.path]));
    }
    expect(resourcesIn(app.apiTemplates, 'AWS::ApiGatewayV2::Route').every((r) => r.in.parent)).toBe(true);
  });
});

describe('resource budget', () => {
  it(`keeps every template, nested ones included, well under the CloudFormation limit of 500 resources (< ${BUDGET})`, () => {
    expect(app.templates.map((t) => t.path)).toEqual(
      expect.arrayContaining([
        'CoopolData',
        'CoopolApi',
        ...areas.map((a) => `CoopolApi/${areaStackIdOf(a)}`),
      ]),
    );
    for (const template of app.templates) {
      const count = resourceCount(template);
      expect(count, `${template.path}: ${count} resources`).toBeLessThan(BUDGET);
    }
  });

  it(`leaves at least ${HEADROOM} resources of headroom in the largest template`, async ({ annotate }) => {
    const counts = app.templates.map((t) => ({ path: t.path, count: resourceCount(t) }));
    const largest = counts.reduce((a, b) => (b.count > a.count ? b : a));
    const report = `largest: ${largest.path} with ${largest.count} resources, ${BUDGET - largest.count} under the budget of ${BUDGET} (${counts.map((c) => `${c.path} ${c.count}`).join(', ')})`;
    await annotate(report);
    expect(BUDGET - largest.count, report).toBeGreaterThanOrEqual(HEADROOM);
  });
});
