import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../shared/jobs.ts';
import { routes } from '../../shared/routes.ts';
import {
  appFunctions,
  type Finding,
  resourceCount,
  resourcesIn,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synth.ts';

/** One line per finding, so that a failure says what to fix or acknowledge, and where. */
const describeFindings = (findings: Finding[]) =>
  findings.map((f) => `${f.severity} ${f.rule} (${f.plugin}) at ${f.paths.join(', ')}`).join('\n');

let minimal: Synthesized;
let full: Synthesized;
beforeAll(() => {
  minimal = synthesize();
  // With the optional part (the built site), whose CDK helpers (BucketDeployment,
  // Scheduler role) bring findings of their own.
  full = synthesize({ full: true });
});
afterAll(() => {
  minimal.cleanup();
  full.cleanup();
});

describe('cdk-nag (AwsSolutions) and the CloudFormation rules', () => {
  it('leave no finding unacknowledged without the optional part (site not built)', () => {
    expect(describeFindings(minimal.findings)).toBe('');
  });

  it('leave no finding unacknowledged with the site deployed', () => {
    expect(describeFindings(full.findings)).toBe('');
  });
});

describe('cdk-nag on the nested stacks', () => {
  it('checks the resources of the area stacks and reports them at their construct path', () => {
    // A wildcard planted in the role of a route, inside its area's nested stack.
    const probe = synthesize({
      routes: routes.filter((r) => r.id === 'system.health'),
      beforeSynth: ({ api }) => {
        api.functions
          .get('system.health')
          ?.role.addToPrincipalPolicy(
            new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }),
          );
      },
    });
    try {
      expect(describeFindings(probe.findings)).toBe(
        'error AwsSolutions-IAM5[Resource::*] (AwsSolutions) at CoopolApi/SystemRoutes/SystemHealth/Role/DefaultPolicy/Resource',
      );
    } finally {
      probe.cleanup();
    }
  });
});

describe('the app with every optional part', () => {
  it('adds only CDK helpers to the route and job functions (the BucketDeployment handler)', () => {
    expect(appFunctions(full.apiTemplates)).toHaveLength(routes.length + jobs.length);
    const all = resourcesIn(full.apiTemplates, 'AWS::Lambda::Function');
    expect(all.length).toBeGreaterThan(routes.length + jobs.length);
  });

  it('deploys the built site to the bucket and invalidates the distribution', () => {
    full.apiTemplate.resourceCountIs('Custom::CDKBucketDeployment', 1);
    const [deployment] = Object.values(resourcesOf(full.apiTemplate, 'Custom::CDKBucketDeployment'));
    expect(deployment?.Properties.DistributionPaths).toEqual(['/*']);
  });

  it('keeps every stack, nested ones included, under 450 resources', () => {
    // Both top-level stacks and at least one nested stack per area.
    expect(full.templates.length).toBeGreaterThan(2);
    expect(full.templates.filter((t) => t.parent).length).toBe(new Set(routes.map((r) => r.area)).size);
    for (const template of full.templates) {
      const count = resourceCount(template);
      expect(count, `${template.path}: ${count} resources`).toBeLessThan(450);
    }
  });
});
