/**
 * Runs s3rver (the npm S3 emulator) in its own process, data under `DATA_DIR`, behind a guard that
 * makes it behave like a private S3 bucket: s3rver accepts unsigned requests and does not check
 * Signature Version 4 at all, so this guard refuses every request that is not correctly signed
 * (Authorization header or presigned query) with the local credentials, and every presigned URL
 * past its expiry. Only CORS preflights (OPTIONS) pass unsigned, as on S3.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface KoaContext {
  method: string;
  req: { url?: string; headers: Record<string, string | string[] | undefined> };
  status: number;
  type: string;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverApp {
  middleware: Middleware[];
  run: () => Promise<{ port: number }>;
  close: () => Promise<void>;
}
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverApp;
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as {
  DUMMY_ACCOUNT: { createKeyPair: (id: string, secret: string) => void };
};

/** The emulator's only key pair (the functions use these credentials locally). */
const SECRETS: Record<string, string> = { local: 'local' };

const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

function canonicalQuery(params: [string, string][]): string {
  return params
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function header(ctx: KoaContext, name: string): string {
  const value = ctx.req.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
}

/** S3 timestamps: 20260101T000000Z. */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

interface SignedParts {
  accessKeyId: string;
  scope: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  query: [string, string][];
  payloadHash: string;
}

/** Reads the signature parts of a request, or says why it has none that S3 would accept. */
function signedParts(ctx: KoaContext): SignedParts | string {
  const url = new URL(ctx.req.url ?? '/', 'http://emulator');
  const query = [...url.searchParams.entries()];
  const auth = header(ctx, 'authorization');
  const q = (name: string) => url.searchParams.get(name) ?? '';
  if (url.searchParams.has('X-Amz-Signature')) {
    if (q('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'Unsupported algorithm';
    const [accessKeyId = '', ...scope] = q('X-Amz-Credential').split('/');
    const amzDate = q('X-Amz-Date');
    const expires = Number(q('X-Amz-Expires'));
    const signedAt = parseAmzDate(amzDate);
    if (!Number.isFinite(signedAt) || !Number.isInteger(expires) || expires < 1 || expires > 604_800)
      return 'Invalid presigned URL';
    if (Date.now() > signedAt + expires * 1000) return 'Request has expired';
    return {
      accessKeyId,
      scope: scope.join('/'),
      amzDate,
      signedHeaders: q('X-Amz-SignedHeaders').split(';'),
      signature: q('X-Amz-Signature'),
      query: query.filter(([k]) => k !== 'X-Amz-Signature'),
      payloadHash: q('X-Amz-Content-Sha256') || 'UNSIGNED-PAYLOAD',
    };
  }
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      auth,
    );
  if (!m) return 'Access Denied';
  const [, accessKeyId = '', scope = '', signedHeaders = '', signature = ''] = m;
  return {
    accessKeyId,
    scope,
    amzDate: header(ctx, 'x-amz-date'),
    signedHeaders: signedHeaders.split(';'),
    signature,
    query,
    payloadHash: header(ctx, 'x-amz-content-sha256'),
  };
}

/** True when the request carries a valid SigV4 signature for the local credentials. */
function verify(ctx: KoaContext, parts: SignedParts): boolean {
  const secret = SECRETS[parts.accessKeyId];
  if (!secret || !parts.payloadHash || !parts.signedHeaders.includes('host')) return false;
  const [date = '', region = '', service = ''] = parts.scope.split('/');
  const path = (ctx.req.url ?? '/').split('?')[0] ?? '/';
  const canonicalRequest = [
    ctx.method,
    path,
    canonicalQuery(parts.query),
    ...parts.signedHeaders.map((h) => `${h}:${header(ctx, h)}`),
    '',
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, parts.scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex') === parts.signature;
}

const guard: Middleware = async (ctx, next) => {
  if (ctx.method === 'OPTIONS') return next();
  const parts = signedParts(ctx);
  const error =
    typeof parts === 'string'
      ? { code: 'AccessDenied', message: parts }
      : verify(ctx, parts)
        ? undefined
        : { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match' };
  if (!error) return next();
  ctx.status = 403;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>`;
};

const port = Number(process.env.PORT ?? 4568);
const directory = process.env.DATA_DIR;
if (!directory) throw new Error('DATA_DIR is required');
mkdirSync(directory, { recursive: true });

// s3rver knows its own dummy key only; the guard above has already checked the signature.
for (const [id, secret] of Object.entries(SECRETS)) DUMMY_ACCOUNT.createKeyPair(id, secret);
const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, vhostBuckets: false });
server.middleware.unshift(guard);
await server.run();

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
