import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/api-function.ts';
import { jobs } from '../../shared/jobs.ts';
import { routes } from '../../shared/routes.ts';
import {
  actionsOf,
  appFunctions,
  type Finding,
  referencedId,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './synth.ts';

/** One line per finding, so that a failure says what to fix or acknowledge, and where. */
const describeFindings = (findings: Finding[]) =>
  findings.map((f) => `${f.severity} ${f.rule} (${f.plugin}) at ${f.paths.join(', ')}`).join('\n');

let minimal: Synthesized;
let full: Synthesized;
beforeAll(() => {
  minimal = synthesize();
  // With every optional part (built site, digest job), whose CDK helpers (BucketDeployment,
  // Scheduler role) bring findings of their own.
  full = synthesize({ full: true });
});
afterAll(() => {
  minimal.cleanup();
  full.cleanup();
});

describe('cdk-nag (AwsSolutions) and the CloudFormation rules', () => {
  it('leave no finding unacknowledged without the optional parts (site not built, no digest job)', () => {
    expect(describeFindings(minimal.findings)).toBe('');
  });

  it('leave no finding unacknowledged with the site deployed and the digest job', () => {
    expect(describeFindings(full.findings)).toBe('');
  });
});

describe('the app with every optional part', () => {
  it('adds the digest job to the route functions, not CDK helpers', () => {
    expect(Object.keys(appFunctions(full.apiTemplate))).toHaveLength(routes.length + jobs.length + 1);
    const all = Object.keys(resourcesOf(full.apiTemplate, 'AWS::Lambda::Function'));
    expect(all.length).toBeGreaterThan(routes.length + jobs.length + 1); // the BucketDeployment handler
  });

  it('creates the digest schedule disabled, on Paris time, invoking the job', () => {
    const schedules = Object.values(resourcesOf(full.apiTemplate, 'AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(jobs.length + 1);
    const jobId = full.api.getLogicalId(full.api.digestJob?.fn.node.defaultChild as never);
    const digest = schedules.filter(
      (s) => referencedId((s.Properties.Target as { Arn: unknown }).Arn) === jobId,
    );
    expect(digest).toHaveLength(1);
    const props = digest[0]?.Properties ?? {};
    expect(props.State).toBe('DISABLED');
    expect(props.ScheduleExpressionTimezone).toBe('Europe/Paris');
  });

  it('lets the digest job read and write the table and send mail, nothing else', () => {
    const job = resourcesOf(full.apiTemplate, 'AWS::Lambda::Function')[
      full.api.getLogicalId(full.api.digestJob?.fn.node.defaultChild as never)
    ];
    const actions = actionsOf(statementsOfRole(full.apiTemplate, referencedId(job?.Properties.Role) ?? ''));
    expect(actions.sort()).toEqual(
      [
        ...TABLE_WRITE_ACTIONS,
        'ses:SendEmail',
        'ses:SendRawEmail',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
  });

  it('deploys the built site to the bucket and invalidates the distribution', () => {
    full.apiTemplate.resourceCountIs('Custom::CDKBucketDeployment', 1);
    const [deployment] = Object.values(resourcesOf(full.apiTemplate, 'Custom::CDKBucketDeployment'));
    expect(deployment?.Properties.DistributionPaths).toEqual(['/*']);
  });

  it('keeps every stack under 450 resources', () => {
    for (const template of [full.dataTemplate, full.apiTemplate]) {
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(450);
    }
  });
});
