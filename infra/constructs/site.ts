import { existsSync } from 'node:fs';
import { Aws, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { HSTS, hstsValue, securityHeaders } from '../security-headers.ts';
import { MEDIA_BUCKET_NAME } from './api-function.ts';

export interface SiteProps {
  readonly api: apigwv2.IHttpApi;
  /** The built Astro site; deployed only when the folder exists at synth time. */
  readonly distDir: string;
}

/**
 * The media bucket's regional endpoint (issue 10): the origin of the presigned URLs the API
 * hands out (virtual-hosted style, `https://<bucket>.s3.<region>.amazonaws.com`). Built from the
 * bucket's deterministic name, so the site needs no reference to the data stack.
 */
export const MEDIA_ORIGIN = `https://${MEDIA_BUCKET_NAME}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;

/** The security headers of every response (infra/security-headers.ts), over HTTPS. */
export const SECURITY_HEADERS = securityHeaders({ mediaOrigin: MEDIA_ORIGIN, https: true });

/** Content-Security-Policy of every response. */
export const CONTENT_SECURITY_POLICY = SECURITY_HEADERS['Content-Security-Policy'] as string;

/**
 * The response headers policy's configuration for a header set: the headers CloudFront models
 * (CSP, HSTS, nosniff, frame options, referrer policy) in its security headers, every other one as
 * a custom header — CloudFront refuses a custom header that duplicates a security header. All
 * override what the origin sends. A value CloudFront cannot express is an error at synth.
 */
export function responseHeadersConfig(
  headers: Readonly<Record<string, string>>,
): Pick<cloudfront.ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'> {
  const security: cloudfront.ResponseSecurityHeadersBehavior = {};
  const custom: cloudfront.ResponseCustomHeader[] = [];
  const unsupported = (name: string, value: string) =>
    new Error(`The response headers policy cannot send ${name}: ${value}`);
  for (const [name, value] of Object.entries(headers)) {
    switch (name.toLowerCase()) {
      case 'content-security-policy':
        Object.assign(security, { contentSecurityPolicy: { contentSecurityPolicy: value, override: true } });
        break;
      case 'strict-transport-security':
        // The policy is given as parts; the value must be the one they make.
        if (value !== hstsValue(HSTS)) throw unsupported(name, value);
        Object.assign(security, {
          strictTransportSecurity: {
            accessControlMaxAge: Duration.seconds(HSTS.maxAgeSeconds),
            includeSubdomains: HSTS.includeSubDomains,
            preload: HSTS.preload,
            override: true,
          },
        });
        break;
      case 'x-content-type-options':
        if (value !== 'nosniff') throw unsupported(name, value);
        Object.assign(security, { contentTypeOptions: { override: true } });
        break;
      case 'x-frame-options': {
        const frameOption = Object.values(cloudfront.HeadersFrameOption).find((o) => o === value);
        if (!frameOption) throw unsupported(name, value);
        Object.assign(security, { frameOptions: { frameOption, override: true } });
        break;
      }
      case 'referrer-policy': {
        const referrerPolicy = Object.values(cloudfront.HeadersReferrerPolicy).find((p) => p === value);
        if (!referrerPolicy) throw unsupported(name, value);
        Object.assign(security, { referrerPolicy: { referrerPolicy, override: true } });
        break;
      }
      default:
        custom.push({ header: name, value, override: true });
    }
  }
  return { securityHeadersBehavior: security, customHeadersBehavior: { customHeaders: custom } };
}

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
      ...responseHeadersConfig(SECURITY_HEADERS),
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
