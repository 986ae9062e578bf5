import { existsSync } from 'node:fs';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface SiteProps {
  readonly api: apigwv2.IHttpApi;
  /** The built Astro site; deployed only when the folder exists at synth time. */
  readonly distDir: string;
}

/**
 * Content-Security-Policy of every response. No `script-src`/`style-src` yet: they fall back to
 * `default-src 'self'`, which refuses inline code. Astro may inline small scripts and styles; the
 * current build emits only external files, so keep it that way (or turn on Astro's CSP hashes)
 * before adding stricter directives. `connect-src` falls back to 'self': the site only talks to
 * /api on the same origin.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

/**
 * Maps the static site's clean URLs onto Astro's `directory` build output (`/membre` →
 * `/membre/index.html`); files with an extension are served as they are.
 */
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}`;

/**
 * The site: a private bucket behind CloudFront (origin access control), with `/api/*` forwarded to
 * the HTTP API so that the browser sees a single origin.
 */
export class Site extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployment: s3deploy.BucketDeployment | undefined;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build of the static site and is readable only by CloudFront (OAC); ' +
        'server access logs would record CloudFront, not visitors, and add a bucket of logs to keep.',
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'La coopol: security headers on every response (site and API)',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      },
    });

    const apiOrigin = new origins.HttpOrigin(
      `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'La coopol: site and /api',
      defaultRootObject: 'index.html',
      // Europe and North America edges: the members are in France; cheapest price class.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'IndexRewrite', {
              code: cloudfront.FunctionCode.fromInline(INDEX_REWRITE),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              comment: 'Serves /path/index.html for /path and /path/',
            }),
          },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Nothing from the API is cached at the edge (member data, Set-Cookie). With caching off,
          // this policy also forwards the Authorization header; Host is left out so that API
          // Gateway sees its own domain.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'No geo restriction: members and sympathisers may live or travel anywhere.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No AWS WAF web ACL for now (a fixed monthly cost); abuse is limited by the HTTP API stage throttle and ' +
        'per-member rate limits in the application. Revisit when the site is public.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'No CloudFront access logs on purpose: they would store the IP address of every member of a political ' +
        'party with the pages they read (GDPR art. 9 data). The API keeps request-level logs without IPs.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer ' +
        'TLS policy; the custom domain with an ACM certificate and TLSv1.2_2021 comes with the domain decision.',
    });

    if (existsSync(props.distDir)) this.deployment = this.deploy(props.distDir);
    // Otherwise the site has not been built (`npm run build:site`): the bucket stays empty and
    // the next synth after a build deploys it.
  }

  /** Uploads the built site and invalidates the cache (CDK's deploy-time custom resource). */
  private deploy(distDir: string): s3deploy.BucketDeployment {
    const stack = Stack.of(this);
    // Own role and log group for CDK's deploy handler: no AWSLambdaBasicExecutionRole managed
    // policy, and its logs expire.
    const logGroup = new logs.LogGroup(this, 'DeployLogs', {
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'CDK BucketDeployment handler: uploads site/dist and invalidates CloudFront',
    });
    logGroup.grantWrite(role);
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(distDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      role,
      logGroup,
    });

    // The grants below are written by CDK's BucketDeployment, not by us; they run only during a
    // deploy, on the CDK assets bucket and the site bucket.
    const bucketArn = `<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const assetsBucket = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>`;
    const findings: [string, string][] = [
      ['Action::s3:GetBucket*', 'read the CDK asset holding the built site'],
      ['Action::s3:GetObject*', 'read the CDK asset holding the built site'],
      ['Action::s3:List*', 'list the asset and the site bucket to sync them'],
      ['Action::s3:Abort*', 'abort multipart uploads into the site bucket'],
      ['Action::s3:DeleteObject*', 'prune files no longer in site/dist'],
      [`Resource::${assetsBucket}/*`, 'objects of the CDK assets bucket (the zipped site)'],
      [`Resource::${bucketArn}/*`, 'objects of the site bucket'],
      ['Resource::*', 'cloudfront:CreateInvalidation/GetInvalidation, which take no resource ARN'],
    ];
    for (const [finding, why] of findings) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: `CDK BucketDeployment grant, used only at deploy time: ${why}.`,
      });
    }
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'CDK-managed deploy handler (Python): its runtime is chosen by aws-cdk-lib and updated with it.',
      });
    }
    return deployment;
  }
}
