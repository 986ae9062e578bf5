/**
 * The security headers of every response — site pages and API answers — in one place: the
 * CloudFront response headers policy (infra/constructs/site.ts) and the local gateway
 * (scripts/local/gateway.ts) both send exactly `securityHeaders(…)`. Plain data, no CDK import,
 * so the gateway loads it cheaply. docs/security.md ("Browser") says why each header is there.
 */

export interface SecurityHeaderOptions {
  /**
   * The origin of the private media bucket (issue 10): its presigned GETs are loaded as images
   * (`img-src`) and the browser PUTs uploads to it by `fetch` (`connect-src`). On AWS a CDK token.
   */
  readonly mediaOrigin: string;
  /**
   * Whether the site is served over HTTPS (CloudFront): only then are `Strict-Transport-Security`
   * and `upgrade-insecure-requests` sent. The local stack is plain HTTP on 127.0.0.1: browsers
   * ignore HSTS received over HTTP (RFC 6797 §8.1), so sending it there would test nothing, and
   * were the local stack ever put behind HTTPS on localhost it would pin every localhost port to
   * HTTPS for two years; `upgrade-insecure-requests` would break the HTTP site's own requests.
   */
  readonly https: boolean;
}

/** HSTS: two years, subdomains included, eligible for the browsers' preload list. */
export const HSTS = { maxAgeSeconds: 63_072_000, includeSubDomains: true, preload: true } as const;

/** The header value of `HSTS`. */
export function hstsValue(hsts: {
  maxAgeSeconds: number;
  includeSubDomains: boolean;
  preload: boolean;
}): string {
  return [
    `max-age=${hsts.maxAgeSeconds}`,
    ...(hsts.includeSubDomains ? ['includeSubDomains'] : []),
    ...(hsts.preload ? ['preload'] : []),
  ].join('; ');
}

/**
 * Powerful features no page of the site uses, refused to the site itself and to anything it could
 * embed; `interest-cohort` (FLoC) and its successor `browsing-topics` keep members' visits out of
 * the browser's ad-interest profiling. Every name must be one Chromium knows: it warns about an
 * unknown one, and the e2e test fails on that warning.
 */
const REFUSED_FEATURES = [
  'accelerometer',
  'browsing-topics',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'interest-cohort',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
] as const;

/**
 * The Content-Security-Policy. Everything is denied by default and each kind of resource is
 * allowed explicitly: scripts and styles from the site's own files only (the Astro build emits
 * no inline `<script>`, `<style>`, `style=` or `on…=`; test/e2e/security-headers.test.ts checks
 * the build and that an injected inline script or handler is refused). `blob:` in `img-src` only:
 * the profile page previews the chosen photo from an object URL before sending it. No `data:`,
 * no wildcard, no 'unsafe-inline', no 'unsafe-eval'.
 */
export function contentSecurityPolicy(mediaOrigin: string, opts: { https: boolean }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: ${mediaOrigin}`,
    `connect-src 'self' ${mediaOrigin}`,
    "font-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The full header set, by canonical header name. */
export function securityHeaders(opts: SecurityHeaderOptions): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(opts.mediaOrigin, opts),
    ...(opts.https ? { 'Strict-Transport-Security': hstsValue(HSTS) } : {}),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': REFUSED_FEATURES.map((feature) => `${feature}=()`).join(', '),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/** The origin of a media endpoint URL (`http://127.0.0.1:4569` locally): scheme, host and port only. */
export function originOf(endpoint: string): string {
  return new URL(endpoint).origin;
}
