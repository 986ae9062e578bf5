import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, MEDIA_ORIGIN } from '../../infra/constructs/site.ts';
import { securityHeaders } from '../../infra/security-headers.ts';
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

  it('adds exactly the shared security headers (infra/security-headers.ts) to the site and the API', () => {
    const [policy, ...others] = Object.values(
      resourcesOf(app.apiTemplate, 'AWS::CloudFront::ResponseHeadersPolicy'),
    );
    expect(others).toHaveLength(0);
    const config = policy?.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: {
        ContentSecurityPolicy?: { ContentSecurityPolicy: unknown; Override: boolean };
        StrictTransportSecurity?: {
          AccessControlMaxAgeSec: number;
          IncludeSubdomains?: boolean;
          Preload?: boolean;
          Override: boolean;
        };
        ContentTypeOptions?: { Override: boolean };
        FrameOptions?: { FrameOption: string; Override: boolean };
        ReferrerPolicy?: { ReferrerPolicy: string; Override: boolean };
        XSSProtection?: unknown;
      };
      CustomHeadersConfig?: { Items: { Header: string; Value: string; Override: boolean }[] };
    };
    // What CloudFront sends, rebuilt as header name → value from the template.
    const sec = config.SecurityHeadersConfig;
    const sent: Record<string, unknown> = {};
    const overrides: boolean[] = [];
    if (sec.ContentSecurityPolicy) {
      sent['content-security-policy'] = sec.ContentSecurityPolicy.ContentSecurityPolicy;
      overrides.push(sec.ContentSecurityPolicy.Override);
    }
    if (sec.StrictTransportSecurity) {
      const hsts = sec.StrictTransportSecurity;
      sent['strict-transport-security'] = [
        `max-age=${hsts.AccessControlMaxAgeSec}`,
        ...(hsts.IncludeSubdomains ? ['includeSubDomains'] : []),
        ...(hsts.Preload ? ['preload'] : []),
      ].join('; ');
      overrides.push(hsts.Override);
    }
    if (sec.ContentTypeOptions) {
      sent['x-content-type-options'] = 'nosniff';
      overrides.push(sec.ContentTypeOptions.Override);
    }
    if (sec.FrameOptions) {
      sent['x-frame-options'] = sec.FrameOptions.FrameOption;
      overrides.push(sec.FrameOptions.Override);
    }
    if (sec.ReferrerPolicy) {
      sent['referrer-policy'] = sec.ReferrerPolicy.ReferrerPolicy;
      overrides.push(sec.ReferrerPolicy.Override);
    }
    expect(sec.XSSProtection).toBeUndefined();
    for (const item of config.CustomHeadersConfig?.Items ?? []) {
      expect(sent).not.toHaveProperty(item.Header.toLowerCase());
      sent[item.Header.toLowerCase()] = item.Value;
      overrides.push(item.Override);
    }

    const expected = securityHeaders({ mediaOrigin: MEDIA_ORIGIN, https: true });
    expect(sent).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([name, value]) => [name.toLowerCase(), app.api.resolve(value)]),
      ),
    );
    expect(overrides.length).toBe(Object.keys(expected).length);
    expect(overrides.every((o) => o === true)).toBe(true);

    // The same policy on the site and on /api/*.
    const distributionConfig = distribution();
    const policies = [distributionConfig.DefaultCacheBehavior, ...distributionConfig.CacheBehaviors].map(
      (b) => JSON.stringify(b.ResponseHeadersPolicyId),
    );
    expect(new Set(policies).size).toBe(1);
    expect(policies[0]).toContain('SecurityHeaders');
  });

  it('sends a strict policy over HTTPS: no inline code, explicit sources, HSTS with preload', () => {
    const https = securityHeaders({ mediaOrigin: MEDIA_ORIGIN, https: true });
    const csp = https['Content-Security-Policy'] ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "font-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      'upgrade-insecure-requests',
    ]) {
      expect(csp.split('; ')).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe|\*|data:/);
    expect(https['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains; preload');
    // Over plain HTTP (the local gateway) only HSTS and upgrade-insecure-requests are left out.
    const http = securityHeaders({ mediaOrigin: MEDIA_ORIGIN, https: false });
    const { 'Strict-Transport-Security': hsts, ...rest } = https;
    expect(hsts).toBeDefined();
    expect(http).toEqual({
      ...rest,
      'Content-Security-Policy': csp.replace('; upgrade-insecure-requests', ''),
    });
  });

  it('allows the media bucket’s regional endpoint, and no other origin, for images and uploads', () => {
    const resolved = JSON.stringify(app.api.resolve(CONTENT_SECURITY_POLICY));
    const media = JSON.stringify(app.api.resolve(MEDIA_ORIGIN));
    // The bucket's own name (data stack) and its endpoint in the policy (api stack) agree.
    const [bucket] = Object.values(resourcesOf(app.dataTemplate, 'AWS::S3::Bucket')).filter((b) =>
      JSON.stringify(b.Properties.BucketName ?? '').includes('coopol-media-'),
    );
    expect(JSON.stringify(bucket?.Properties.BucketName)).toMatch(
      /coopol-media-.*AWS::AccountId.*AWS::Region/,
    );
    expect(media).toMatch(/https:\/\/coopol-media-.*AWS::AccountId.*AWS::Region/);
    expect(media).toMatch(/\.s3\./);
    expect(CONTENT_SECURITY_POLICY).toContain(`img-src 'self' blob: ${MEDIA_ORIGIN};`);
    expect(CONTENT_SECURITY_POLICY).toContain(`connect-src 'self' ${MEDIA_ORIGIN};`);
    expect(resolved.match(/https:\/\//g)).toHaveLength(2);
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
