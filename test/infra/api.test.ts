import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/app-builder.ts';
import {
  COGNITO_ADMIN_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
} from '../../infra/constructs/api-function.ts';
import { CONFIG_KEYS } from '../../shared/config.ts';
import { jobs } from '../../shared/jobs.ts';
import { routes } from '../../shared/routes.ts';
import {
  actionsOf,
  appFunctions,
  type CfnResource,
  functionOfRoute,
  referencedId,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './synth.ts';

let app: Synthesized;
beforeAll(() => {
  app = synthesize();
});
afterAll(() => app.cleanup());

const routeKey = (route: (typeof routes)[number]) => `${route.method} ${route.path}`;

describe('the route table and the HTTP API agree', () => {
  it('has one API route per route-table entry, and no other', () => {
    const keys = Object.values(resourcesOf(app.apiTemplate, 'AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey,
    );
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s gets the authorization its auth level says',
    (_id, route) => {
      const apiRoute = Object.values(resourcesOf(app.apiTemplate, 'AWS::ApiGatewayV2::Route')).find(
        (r) => r.Properties.RouteKey === routeKey(route),
      );
      if (route.auth === 'member') {
        expect(apiRoute?.Properties.AuthorizationType).toBe('JWT');
        expect(referencedId(apiRoute?.Properties.AuthorizerId)).toBeDefined();
      } else {
        expect(apiRoute?.Properties.AuthorizationType).toBe('NONE');
        expect(apiRoute?.Properties.AuthorizerId).toBeUndefined();
      }
    },
  );

  it('checks ID tokens of the app client from the user pool (JWT authorizer)', () => {
    const authorizers = Object.values(resourcesOf(app.apiTemplate, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const props = authorizers[0]?.Properties ?? {};
    expect(props.AuthorizerType).toBe('JWT');
    expect(props.IdentitySource).toEqual(['$request.header.Authorization']);
    const jwt = JSON.stringify(props.JwtConfiguration);
    // Audience = the app client, issuer = the pool, both taken from the stateful stack.
    expect(jwt).toMatch(/Audience.*MembersApiClient/);
    expect(jwt).toMatch(/Issuer.*cognito-idp.*Members/);
  });

  it('serves every route from its own function running the handler file of the table', () => {
    const functionIds = routes.map((route) => functionOfRoute(app.apiTemplate, routeKey(route)).id);
    expect(new Set(functionIds).size).toBe(routes.length);
    for (const route of routes) {
      expect(existsSync(path.join(PROJECT_ROOT, route.handler)), route.handler).toBe(true);
      const { fn } = functionOfRoute(app.apiTemplate, routeKey(route));
      expect(fn.Properties.Description).toBe(`${route.method} ${route.path} (${route.id})`);
    }
  });

  it('has one function per route and per job, and one enabled schedule per job (no digest job yet)', () => {
    // This synth points the digest job at a missing file; nag.test.ts covers the app with the job.
    expect(Object.keys(appFunctions(app.apiTemplate))).toHaveLength(routes.length + jobs.length);
    const schedules = Object.values(resourcesOf(app.apiTemplate, 'AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(jobs.length);
    for (const job of jobs) {
      expect(existsSync(path.join(PROJECT_ROOT, job.handler)), job.handler).toBe(true);
      const fnId = app.api.getLogicalId(app.api.jobFunctions.get(job.id)?.fn.node.defaultChild as never);
      const schedule = schedules.find(
        (s) => referencedId((s.Properties.Target as { Arn: unknown }).Arn) === fnId,
      );
      expect(schedule?.Properties).toMatchObject({
        State: 'ENABLED',
        ScheduleExpression: `rate(${job.everyMinutes} minute${job.everyMinutes > 1 ? 's' : ''})`,
      });
      const fn = resourcesOf(app.apiTemplate, 'AWS::Lambda::Function')[fnId];
      expect(fn?.Properties.Timeout).toBe(job.timeoutSeconds);
      // Least privilege, as for routes: the task job reads and writes the table, nothing else.
      const actions = actionsOf(statementsOfRole(app.apiTemplate, referencedId(fn?.Properties.Role) ?? ''));
      expect(actions.sort()).toEqual(
        [...TABLE_WRITE_ACTIONS, 'logs:CreateLogStream', 'logs:PutLogEvents'].sort(),
      );
    }
  });
});

describe('every function has the project defaults', () => {
  const expectedEnv = CONFIG_KEYS.filter((k) => k !== 'AWS_REGION' && !k.endsWith('_ENDPOINT'));

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s: Node 24 on ARM, 512 MB, 10 s, config env',
    (_id, route) => {
      const { fn } = functionOfRoute(app.apiTemplate, routeKey(route));
      const props = fn.Properties ?? {};
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
        Handler: 'index.handler',
      });
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const key of expectedEnv) expect(env[key], key).toBeDefined();
      expect(env.STAGE).toBe('aws');
      expect(Object.keys(env).filter((k) => k.endsWith('_ENDPOINT'))).toEqual([]);
    },
  );

  it('gives each function its own role, without managed policies, and its own log group kept a month', () => {
    const fns = Object.values(appFunctions(app.apiTemplate));
    const roles = resourcesOf(app.apiTemplate, 'AWS::IAM::Role');
    const logGroups = resourcesOf(app.apiTemplate, 'AWS::Logs::LogGroup');
    const roleIds = fns.map((fn) => referencedId(fn.Properties.Role));
    const logGroupIds = fns.map((fn) =>
      referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup),
    );
    expect(new Set(roleIds).size).toBe(fns.length);
    expect(new Set(logGroupIds).size).toBe(fns.length);
    for (const id of roleIds) expect(roles[id ?? '']?.Properties.ManagedPolicyArns).toBeUndefined();
    for (const id of logGroupIds) expect(logGroups[id ?? '']?.Properties.RetentionInDays).toBe(30);
  });
});

describe('least privilege: each function gets exactly what its route uses', () => {
  const roleOf = (route: (typeof routes)[number]) => {
    const { fn } = functionOfRoute(app.apiTemplate, routeKey(route));
    return statementsOfRole(app.apiTemplate, referencedId(fn.Properties.Role) ?? '');
  };
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
    expect(actions.filter((a) => !/^(dynamodb|cognito-idp|ses|logs):/.test(a))).toEqual([]);
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
    const policies: CfnResource[] = Object.values(resourcesOf(app.apiTemplate, 'AWS::IAM::Policy'));
    const text = JSON.stringify(policies);
    expect(text).not.toContain('dynamodb:Scan');
    expect(text).not.toContain('/index/*');
  });
});

describe('resource budget', () => {
  it('keeps every stack well under the CloudFormation limit of 500 resources', () => {
    for (const template of [app.dataTemplate, app.apiTemplate]) {
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(450);
    }
  });
});
