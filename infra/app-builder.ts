import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type JobDef, jobs } from '../shared/jobs.ts';
import { type RouteDef, routes } from '../shared/routes.ts';
import { CoopolApiStack } from './stacks/api-stack.ts';
import { CoopolDataStack } from './stacks/data-stack.ts';

/** The repository root: route-table handler paths, package-lock.json and site/dist hang from it. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildAppOptions {
  /**
   * Extra context, over cdk.json's. Tests pass `{ 'aws:cdk:bundling-stacks': [] }` so that no
   * function is bundled.
   */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly directory (default: a temporary one, or the CLI's). */
  readonly outdir?: string;
  /** The built site (default `site/dist`); deployed only if it exists. */
  readonly siteDistDir?: string;
  /** The route table (default `shared/routes.ts`). */
  readonly routes?: readonly RouteDef[];
  /** The job table (default `shared/jobs.ts`). */
  readonly jobs?: readonly JobDef[];
}

export interface CoopolApp {
  readonly app: App;
  readonly data: CoopolDataStack;
  readonly api: CoopolApiStack;
}

/**
 * cdk.json's context (feature flags, defaults). The CLI passes it on its own; reading it here as
 * well gives tests, which build the app in memory, exactly the same flags.
 */
function cdkJsonContext(): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return raw.context ?? {};
}

/** Account and region from the CLI's profile when it has one; environment-agnostic otherwise. */
function environment(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return account && region ? { account, region } : undefined;
}

/** Builds the whole CDK app (both stacks, cdk-nag registered); does not synthesize. */
export function buildApp(options: BuildAppOptions = {}): CoopolApp {
  const app = new App({
    context: { ...cdkJsonContext(), ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const env = environment();
  const mailDomain = String(app.node.tryGetContext('mailDomain') ?? 'coopol.example');
  const mailFrom = String(app.node.tryGetContext('mailFrom') ?? `La coopol <ne-pas-repondre@${mailDomain}>`);
  const siteUrl = app.node.tryGetContext('siteUrl') as string | undefined;

  const data = new CoopolDataStack(app, 'CoopolData', {
    ...(env ? { env } : {}),
    description: 'La coopol: stateful resources (table, user pool, mail identity) — retained',
    mailDomain,
    cognitoEmailViaSes: String(app.node.tryGetContext('cognitoEmailViaSes')) === 'true',
    ...(siteUrl ? { mediaCorsOrigins: [new URL(siteUrl).origin] } : {}),
  });
  const api = new CoopolApiStack(app, 'CoopolApi', {
    ...(env ? { env } : {}),
    description: 'La coopol: HTTP API, functions, jobs and site — stateless',
    data,
    routes: options.routes ?? routes,
    jobs: options.jobs ?? jobs,
    projectRoot: PROJECT_ROOT,
    siteDistDir: options.siteDistDir ?? path.join(PROJECT_ROOT, 'site', 'dist'),
    mailFrom,
    ...(siteUrl ? { siteUrl } : {}),
  });

  // Always on, so that every synth (CLI, tests) reports; findings not acknowledged with a reason
  // next to their resource fail the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, api };
}
