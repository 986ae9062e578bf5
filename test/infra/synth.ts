import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { type BuildAppOptions, buildApp, type CoopolApp } from '../../infra/app-builder.ts';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

/** One finding left in the validation report (cdk-nag, CloudFormation rules, annotations). */
export interface Finding {
  plugin: string;
  rule: string;
  severity: string;
  paths: string[];
}

export interface Synthesized extends CoopolApp {
  dataTemplate: Template;
  apiTemplate: Template;
  findings: Finding[];
  /** Removes the temporary cloud assembly. */
  cleanup(): void;
}

/** An existing file standing in for the digest job's handler (never bundled: bundling is skipped). */
export const DIGEST_STAND_IN = 'functions/http/system/get-health.ts';

export interface SynthOptions {
  /** Also build the optional parts: a site deployment (from a temporary folder) and the digest job. */
  full?: boolean;
}

/**
 * Builds and synthesizes the app once, without bundling any function, and reads the validation
 * report instead of letting synth throw on findings (the nag test lists them).
 */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'coopol-infra-'));
  const buildOptions: BuildAppOptions = {
    outdir: path.join(outdir, 'cdk.out'),
    context: {
      'aws:cdk:bundling-stacks': [],
      // As under the CLI: resources carry their construct path (tells CDK's helpers apart).
      'aws:cdk:enable-path-metadata': true,
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
    // Default: as if the site had not been built and the digest job did not exist yet.
    siteDistDir: path.join(outdir, 'no-site'),
    digestJobEntry: 'functions/jobs/does-not-exist.ts',
  };
  if (options.full) {
    const dist = path.join(outdir, 'site-dist');
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>coopol</title>');
    Object.assign(buildOptions, { siteDistDir: dist, digestJobEntry: DIGEST_STAND_IN });
  }
  const built = buildApp(buildOptions);
  const assembly = built.app.synth();
  const report = JSON.parse(readFileSync(path.join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; severity: string; violatingConstructs?: { constructPath: string }[] }[];
    }[];
  };
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => ({
      plugin: plugin.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      paths: (v.violatingConstructs ?? []).map((c) => c.constructPath),
    })),
  );
  return {
    ...built,
    dataTemplate: Template.fromStack(built.data),
    apiTemplate: Template.fromStack(built.api),
    findings,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Resources of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The construct path CDK records on a resource (`aws:cdk:path`). */
export function cdkPath(resource: CfnResource): string {
  return String(resource.Metadata?.['aws:cdk:path'] ?? '');
}

/** `{ "Fn::GetAtt": [id, attr] }` or `{ Ref: id }` → id. */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return v.Ref;
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the inline policies attached to a role. */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => referencedId(role) === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

export function actionsOf(statements: PolicyStatement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** The function serving a route key (`GET /api/me`): route → integration → function. */
export function functionOfRoute(template: Template, routeKey: string): { id: string; fn: CfnResource } {
  const route = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).find(
    (r) => r.Properties.RouteKey === routeKey,
  );
  if (!route) throw new Error(`No route ${routeKey}`);
  const target = JSON.stringify(route.Properties.Target);
  const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
  const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
  if (!integrationId) throw new Error(`No integration for ${routeKey}`);
  const fnId = referencedId(integrations[integrationId]?.Properties.IntegrationUri);
  const fn = fnId ? resourcesOf(template, 'AWS::Lambda::Function')[fnId] : undefined;
  if (!fnId || !fn) throw new Error(`No function for ${routeKey}`);
  return { id: fnId, fn };
}

/** Lambda functions written by us (not CDK's helpers such as the BucketDeployment handler). */
export function appFunctions(template: Template): Record<string, CfnResource> {
  return Object.fromEntries(
    Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(
      ([, fn]) => !cdkPath(fn).includes('/Custom::'),
    ),
  );
}
