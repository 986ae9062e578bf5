import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../infra/constructs/site.ts';
import { resourcesOf, type Synthesized, synthesize } from './synth.ts';

let app: Synthesized;
beforeAll(() => {
  app = synthesize();
});
afterAll(() => app.cleanup());

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods?: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId?: unknown;
}

const distribution = () => {
  const [dist] = Object.values(resourcesOf(app.apiTemplate, 'AWS::CloudFront::Distribution'));
  return dist?.Properties.DistributionConfig as {
    DefaultRootObject: string;
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: { Id: string; DomainName: unknown; S3OriginConfig?: unknown; OriginAccessControlId?: unknown }[];
  };
};

describe('the site bucket', () => {
  it('is private, encrypted and refuses plain HTTP', () => {
    app.apiTemplate.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    app.apiTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is read by CloudFront through origin access control only', () => {
    app.apiTemplate.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const s3Origin = distribution().Origins.find((o) => o.S3OriginConfig);
    expect(s3Origin?.OriginAccessControlId).toBeDefined();
  });

  it('is not deployed while site/dist does not exist', () => {
    app.apiTemplate.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('the distribution', () => {
  it('serves index.html at the root over HTTPS', () => {
    const config = distribution();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('forwards /api/* to the HTTP API, uncached, with every method and viewer header but Host', () => {
    const config = distribution();
    const api = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    expect(api).toBeDefined();
    expect(api?.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(api?.AllowedMethods?.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    // Managed policies: CachingDisabled and AllViewerExceptHostHeader.
    expect(api?.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(api?.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    const origin = config.Origins.find((o) => o.Id === api?.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toMatch(/HttpApi.*\.execute-api\./);
  });

  it('adds the security headers to the site and the API', () => {
    app.apiTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: Match.objectLike({ Override: true, IncludeSubdomains: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
        },
      }),
    });
    for (const directive of [
      "default-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
    const config = distribution();
    const policies = [config.DefaultCacheBehavior, ...config.CacheBehaviors].map((b) =>
      JSON.stringify(b.ResponseHeadersPolicyId),
    );
    expect(new Set(policies).size).toBe(1);
    expect(policies[0]).toContain('SecurityHeaders');
  });
});

describe('outputs', () => {
  it('publish the API and site URLs, the pool, its client and the table', () => {
    expect(Object.keys(app.apiTemplate.findOutputs('*'))).toEqual(
      expect.arrayContaining(['ApiUrl', 'SiteUrl']),
    );
    expect(Object.keys(app.dataTemplate.findOutputs('*'))).toEqual(
      expect.arrayContaining(['UserPoolId', 'UserPoolClientId', 'TableName']),
    );
  });
});
