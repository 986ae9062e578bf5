import path from 'node:path';
import { NestedStack, type NestedStackProps, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import type { RouteDef } from '../../shared/routes.ts';
import { ApiFunction, type DataResources, type FunctionEnvironment } from '../constructs/api-function.ts';

export type RouteArea = RouteDef['area'];

/** `auth.signUp` → `AuthSignUp`, `posts` → `Posts`: stable construct ids (and logical ids) from ids. */
export function constructIdOf(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `posts` → `PostsRoutes`: the construct id of an area's nested stack in `CoopolApi`. */
export function areaStackIdOf(area: RouteArea): string {
  return `${constructIdOf(area)}Routes`;
}

export interface RouteAreaStackProps extends NestedStackProps {
  readonly area: RouteArea;
  /** The routes of this area (all with `area` equal to it). */
  readonly routes: readonly RouteDef[];
  /** The HTTP API of the parent stack: routes, integrations and permissions attach to it. */
  readonly httpApi: apigwv2.IHttpApi;
  /** The parent's JWT authorizer (its CloudFormation resource stays in the parent). */
  readonly memberAuthorizer: apigwv2.IHttpRouteAuthorizer;
  readonly data: DataResources;
  readonly environment: FunctionEnvironment;
  /** Variables only this area's functions get (the sign-in guards' key for `auth`). */
  readonly areaEnvironment?: Readonly<Record<string, string>>;
  /** Absolute path of the repository root: handler paths in the route table are relative to it. */
  readonly projectRoot: string;
}

/**
 * The routes of one area of `shared/routes.ts`, as a CloudFormation nested stack of `CoopolApi`
 * (ADR 009): per route a function with its own role, policy and log group (ApiFunction), the
 * HTTP API route, its Lambda integration and API Gateway's invoke permission — about 7
 * resources per route, kept out of the parent template's 500-resource limit.
 *
 * Construct ids inside are those the parent used before the split (`PostsCreate`,
 * `PostsCreateRoute`…), so logical ids in this template read the same. CDK wires references on
 * its own: the parent's (API id, authorizer id, site domain) become nested-stack parameters; the
 * stateful stack's are read with `Fn::GetStackOutput` (weak references, cdk.json).
 */
export class RouteAreaStack extends NestedStack {
  readonly area: RouteArea;
  /** Route id → its function. */
  readonly functions = new Map<string, ApiFunction>();
  /** Route id → its HTTP API route. */
  readonly routes = new Map<string, apigwv2.HttpRoute>();

  constructor(scope: Construct, id: string, props: RouteAreaStackProps) {
    super(scope, id, {
      description:
        props.description ??
        `La coopol: the '${props.area}' routes of shared/routes.ts (functions, routes, integrations, permissions)`,
    });
    this.area = props.area;
    const noAuth = new apigwv2.HttpNoneAuthorizer();

    for (const route of props.routes) {
      if (route.area !== props.area) {
        throw new Error(`Route ${route.id} belongs to area '${route.area}', not '${props.area}'`);
      }
      const name = constructIdOf(route.id);
      const fn = new ApiFunction(this, name, {
        entry: path.join(props.projectRoot, route.handler),
        description: `${route.method} ${route.path} (${route.id})`,
        uses: route.uses,
        data: props.data,
        environment: props.environment,
        ...(props.areaEnvironment ? { extraEnvironment: props.areaEnvironment } : {}),
        projectRoot: props.projectRoot,
      });
      this.functions.set(route.id, fn);

      // The integration and the invoke permission are created in this route's scope (here); the
      // authorizer, bound in the HTTP API's scope, stays in the parent.
      const httpRoute = new apigwv2.HttpRoute(this, `${name}Route`, {
        httpApi: props.httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${name}Integration`, fn.fn),
        authorizer: route.auth === 'member' ? props.memberAuthorizer : noAuth,
      });
      this.routes.set(route.id, httpRoute);
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} (${route.id}) is declared 'public' in shared/routes.ts: it answers visitors who have no token yet; member data stays behind the JWT routes.`,
        });
      }
    }
  }
}
