import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CfnResource as CdkCfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
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

/** One CloudFormation template of the app: a top-level stack or a nested one. */
export interface StackTemplate {
  /** Construct path: `CoopolData`, `CoopolApi`, `CoopolApi/PostsRoutes`. */
  readonly path: string;
  readonly stack: Stack;
  readonly template: Template;
  /** For a nested stack: the parent's template and the logical id of its `AWS::CloudFormation::Stack`. */
  readonly parent?: { readonly template: StackTemplate; readonly resourceId: string };
}

export interface Synthesized extends CoopolApp {
  dataTemplate: Template;
  /** The parent `CoopolApi` template: HTTP API, stage, authorizer, site, jobs, one nested stack per area. */
  apiTemplate: Template;
  /** `CoopolApi` and its nested stacks (the route areas): where routes, functions and roles live. */
  apiTemplates: StackTemplate[];
  /** Every template CloudFormation deploys: both top-level stacks and every nested stack. */
  templates: StackTemplate[];
  findings: Finding[];
  /** Removes the temporary cloud assembly. */
  cleanup(): void;
}

export interface SynthOptions {
  /** Also build the optional part: a site deployment (from a temporary folder). */
  full?: boolean;
  /** Another route table than `shared/routes.ts` (a smaller one makes a quicker synth). */
  routes?: BuildAppOptions['routes'];
  /** Changes the built app before it is synthesized (tests that plant a finding). */
  beforeSynth?: (app: CoopolApp) => void;
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
      // As under the CLI: resources carry their construct path (tells CDK's helpers apart), and
      // every template its AWS::CDK::Metadata resource (it counts towards the 500).
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:version-reporting': true,
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
    // Default: as if the site had not been built.
    siteDistDir: path.join(outdir, 'no-site'),
  };
  if (options.full) {
    const dist = path.join(outdir, 'site-dist');
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>coopol</title>');
    Object.assign(buildOptions, { siteDistDir: dist });
  }
  if (options.routes) Object.assign(buildOptions, { routes: options.routes });
  const built = buildApp(buildOptions);
  options.beforeSynth?.(built);
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
  const templates = stackTemplates(built);
  const templateOf = (stack: Stack) => {
    const found = templates.find((t) => t.stack === stack);
    if (!found) throw new Error(`No template for ${stack.node.path}`);
    return found;
  };
  return {
    ...built,
    dataTemplate: templateOf(built.data).template,
    apiTemplate: templateOf(built.api).template,
    apiTemplates: templates.filter((t) => t.stack.node.scopes.includes(built.api)),
    templates,
    findings,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Every stack of the app, nested ones included (pre-order: parents before their nested stacks). */
function stackTemplates(built: CoopolApp): StackTemplate[] {
  const byStack = new Map<Stack, StackTemplate>();
  for (const stack of built.app.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
    let parent: StackTemplate['parent'];
    if (NestedStack.isNestedStack(stack)) {
      const parentTemplate = stack.nestedStackParent && byStack.get(stack.nestedStackParent);
      const resource = stack.nestedStackResource;
      if (!parentTemplate || !resource) throw new Error(`No parent template for ${stack.node.path}`);
      parent = { template: parentTemplate, resourceId: parentTemplate.stack.getLogicalId(resource) };
    }
    byStack.set(stack, {
      path: stack.node.path,
      stack,
      template: Template.fromStack(stack),
      ...(parent ? { parent } : {}),
    });
  }
  return [...byStack.values()];
}

/** Resources of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** A resource and the template holding it (logical ids are unique within a template only). */
export interface Located {
  readonly in: StackTemplate;
  readonly id: string;
  readonly resource: CfnResource;
}

/** Resources of a type across several templates. */
export function resourcesIn(templates: readonly StackTemplate[], type: string): Located[] {
  return templates.flatMap((t) =>
    Object.entries(resourcesOf(t.template, type)).map(([id, resource]) => ({ in: t, id, resource })),
  );
}

/** `CoopolApi/PostsRoutes` + `PostsCreateRole…` → one key, unique across templates. */
export function keyOf(located: { in: StackTemplate; id: string | undefined }): string {
  return `${located.in.path}#${located.id}`;
}

/** Number of resources of a template. */
export function resourceCount(template: StackTemplate): number {
  return Object.keys(template.template.toJSON().Resources ?? {}).length;
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

/**
 * Follows `{ Ref: parameter }` of a nested template up to what the parent passes for it, until it
 * reaches a resource: returns that resource's template and logical id (undefined for a literal).
 */
export function resolveReference(
  template: StackTemplate,
  value: unknown,
): { in: StackTemplate; id: string } | undefined {
  const id = referencedId(value);
  if (!id) return undefined;
  const parameters = (template.template.toJSON().Parameters ?? {}) as Record<string, unknown>;
  if (!(id in parameters)) return { in: template, id };
  if (!template.parent) return undefined; // a parameter of a top-level stack (BootstrapVersion)
  const stackResource = resourcesOf(template.parent.template.template, 'AWS::CloudFormation::Stack')[
    template.parent.resourceId
  ];
  const passed = (stackResource?.Properties.Parameters as Record<string, unknown> | undefined)?.[id];
  return resolveReference(template.parent.template, passed);
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the inline policies attached to a role (of the same template). */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => referencedId(role) === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

/** The statements of a function's own role, looked up in the function's template. */
export function statementsOfFunction(fn: Located): PolicyStatement[] {
  return statementsOfRole(fn.in.template, referencedId(fn.resource.Properties.Role) ?? '');
}

export function actionsOf(statements: PolicyStatement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** The API route of a route key (`GET /api/me`), in whichever template holds it. */
export function routeOf(templates: readonly StackTemplate[], routeKey: string): Located {
  const routes = resourcesIn(templates, 'AWS::ApiGatewayV2::Route').filter(
    (r) => r.resource.Properties.RouteKey === routeKey,
  );
  if (routes.length !== 1) throw new Error(`${routes.length} routes ${routeKey}`);
  return routes[0] as Located;
}

/**
 * The function serving a route key (`GET /api/me`): route → integration → function, all three in
 * the route's template (a route never reaches into another area's stack).
 */
export function functionOfRoute(
  templates: readonly StackTemplate[],
  routeKey: string,
): Located & { fn: CfnResource; route: Located } {
  const route = routeOf(templates, routeKey);
  const target = JSON.stringify(route.resource.Properties.Target);
  const integrations = resourcesOf(route.in.template, 'AWS::ApiGatewayV2::Integration');
  const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
  if (!integrationId) throw new Error(`No integration for ${routeKey} in ${route.in.path}`);
  const fnId = referencedId(integrations[integrationId]?.Properties.IntegrationUri);
  const fn = fnId ? resourcesOf(route.in.template, 'AWS::Lambda::Function')[fnId] : undefined;
  if (!fnId || !fn) throw new Error(`No function for ${routeKey} in ${route.in.path}`);
  return { in: route.in, id: fnId, resource: fn, fn, route };
}

/** Where CDK put a construct's CloudFormation resource: its template and logical id. */
export function locate(templates: readonly StackTemplate[], construct: IConstruct | undefined): Located {
  const resource = construct?.node.defaultChild ?? construct;
  if (!resource || !CdkCfnResource.isCfnResource(resource)) throw new Error('Not a CloudFormation resource');
  const stack = Stack.of(resource);
  const template = templates.find((t) => t.stack === stack);
  if (!template) throw new Error(`No template for ${stack.node.path}`);
  const id = stack.getLogicalId(resource);
  const found = resourcesOf(template.template, resource.cfnResourceType)[id];
  if (!found) throw new Error(`${id} not in ${template.path}`);
  return { in: template, id, resource: found };
}

/** Lambda functions written by us (not CDK's helpers such as the BucketDeployment handler). */
export function appFunctions(templates: readonly StackTemplate[]): Located[] {
  return resourcesIn(templates, 'AWS::Lambda::Function').filter(
    (fn) => !cdkPath(fn.resource).includes('/Custom::'),
  );
}
