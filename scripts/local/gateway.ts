import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { originOf, securityHeaders } from '../../infra/security-headers.ts';
import { config } from '../../shared/config.ts';
import { type RouteDef, routes } from '../../shared/routes.ts';
import { installDynamoMeter, metered } from './dynamo-meter.ts';
import { ROOT } from './emulators.ts';
import { installSesMeter, sesMetered } from './ses-meter.ts';

/**
 * The local stand-in for API Gateway's HTTP API: it serves the same route table as CDK, verifies
 * the Cognito ID token as the JWT authorizer does (issuer, audience, signature, expiry), builds
 * the same payload-2.0 event — claims as strings, `cognito:groups` as "[a b]" — and calls the
 * route's handler. It also serves the built site, so the browser sees one origin like CloudFront.
 */

type Handler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  def: RouteDef;
  pattern: RegExp;
  params: string[];
}

function compile(def: RouteDef): CompiledRoute {
  const params: string[] = [];
  const source = def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { def, pattern: new RegExp(`^${source}$`), params };
}

/** API Gateway turns every claim into a string; arrays become "[a b]". */
export function claimsAsStrings(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

export interface GatewayOptions {
  port: number;
  cognitoUrl: string;
  userPoolId: string;
  clientId: string;
  siteDir: string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // HTTP APIs refuse payloads over 10 MB; stop reading early rather than buffer them.
    if (size > 10 * 1024 * 1024) throw Object.assign(new Error('payload too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** API Gateway's `requestContext.time` format: `25/Nov/2026:15:03:58 +0000`. */
function gatewayTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface EventInput {
  route: Pick<RouteDef, 'method' | 'path' | 'auth'>;
  url: URL;
  /** Lower-case header names, without `cookie` (HTTP APIs move cookies to `cookies`). */
  headers: Record<string, string>;
  cookieHeader?: string;
  pathParameters: Record<string, string>;
  claims?: Record<string, string>;
  body: Buffer;
  sourceIp: string;
  requestId: string;
  now: Date;
}

/** The payload-format-2.0 event an HTTP API hands a Lambda integration (see test/fixtures). */
export function buildEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { route, url, headers } = input;
  const query: Record<string, string> = {};
  // Own properties even for `__proto__`: the Lambda runtime JSON-parses the event, so a handler sees
  // every parameter sent (an assignment would set the object's prototype and drop the key).
  for (const key of new Set(url.searchParams.keys()))
    Object.defineProperty(query, key, {
      value: url.searchParams.getAll(key).join(','),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const cookies = (input.cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const isText = /json|text|urlencoded/.test(headers['content-type'] ?? 'application/json');
  const routeKey = `${route.method} ${route.path}`;
  const event = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      ...(route.auth === 'member'
        ? { authorizer: { jwt: { claims: input.claims ?? {}, scopes: null } } }
        : {}),
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0] ?? '',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey,
      stage: '$default',
      time: gatewayTime(input.now),
      timeEpoch: input.now.getTime(),
    },
    ...(Object.keys(input.pathParameters).length ? { pathParameters: input.pathParameters } : {}),
    ...(input.body.length
      ? { body: isText ? input.body.toString('utf8') : input.body.toString('base64') }
      : {}),
    isBase64Encoded: input.body.length > 0 && !isText,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export async function startGateway(
  opts: GatewayOptions,
): Promise<{ url: string; server: Server; stop: () => Promise<void> }> {
  installDynamoMeter();
  installSesMeter();
  // Every answer, site page or API, carries the same security headers as on CloudFront
  // (infra/security-headers.ts), with the S3 emulator's origin as the media origin (images,
  // presigned uploads); over plain HTTP, so without HSTS and upgrade-insecure-requests.
  const mediaEndpoint = config().S3_ENDPOINT;
  if (!mediaEndpoint) throw new Error('Invalid configuration: S3_ENDPOINT is not set');
  const responseHeaders = securityHeaders({ mediaOrigin: originOf(mediaEndpoint), https: false });
  const compiled = routes.map(compile);
  const handlers = new Map<string, Handler>();
  const issuer = `${opts.cognitoUrl}/${opts.userPoolId}`;
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

  async function handlerFor(def: RouteDef): Promise<Handler> {
    const cached = handlers.get(def.id);
    if (cached) return cached;
    const mod = (await import(pathToFileURL(path.join(ROOT, def.handler)).href)) as { handler?: Handler };
    if (typeof mod.handler !== 'function') throw new Error(`${def.handler} does not export handler`);
    handlers.set(def.id, mod.handler);
    return mod.handler;
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const matching = compiled.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.def.method === method);
    if (!route) {
      // HTTP API answers an unknown route with 404 {"message":"Not Found"}; we keep our error shape.
      return sendJson(res, matching.length ? 405 : 404, {
        error: matching.length
          ? { code: 'request.method_not_allowed', message: 'Méthode non autorisée.' }
          : { code: 'request.not_found', message: 'Ressource introuvable.' },
      });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;

    let claims: Record<string, string> | undefined;
    if (route.def.auth === 'member') {
      const auth = headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer, audience: opts.clientId });
        claims = claimsAsStrings(payload);
      } catch {
        // The HTTP API JWT authorizer's own answer.
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify({ message: 'Unauthorized' }));
        return;
      }
    }

    const body = await readBody(req);
    const match = route.pattern.exec(url.pathname);
    const pathParameters = Object.fromEntries(
      route.params.map((p, i) => [p, decodeURIComponent(match?.[i + 1] ?? '')]),
    );
    const requestId = randomUUID();
    const event = buildEvent({
      route: route.def,
      url,
      headers,
      cookieHeader: req.headers.cookie,
      pathParameters,
      claims,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
      now: new Date(),
    });

    const handler = await handlerFor(route.def);
    const {
      result: { result, meter },
      meter: ses,
    } = await sesMetered(() =>
      metered(() => handler(event, { awsRequestId: requestId, functionName: route.def.id })),
    );
    // As CloudFront's policy, the security headers override any the handler set.
    const outHeaders: Record<string, string | string[]> = {
      ...(result.headers as Record<string, string>),
      ...responseHeaders,
    };
    // Local-only instrumentation (bench and the route walker read it): DynamoDB round trips.
    outHeaders['x-coopol-dynamodb'] =
      `calls=${meter.calls.length}; rounds=${meter.rounds}; ops=${meter.calls.join(',')}; rcu=${meter.rcu}; wcu=${meter.wcu}`;
    // Emails sent through SES while handling the request (the fuzzer asserts none on a refusal).
    outHeaders['x-coopol-ses'] = `sends=${ses.sends}`;
    if (result.cookies?.length) outHeaders['set-cookie'] = result.cookies;
    res.writeHead(result.statusCode ?? 200, outHeaders);
    res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
  }

  function serveStatic(res: ServerResponse, url: URL): void {
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      rel = '\0';
    }
    if (rel.includes('\0')) {
      sendJson(res, 400, { error: { code: 'request.invalid', message: 'Chemin invalide.' } });
      return;
    }
    let file = path.join(opts.siteDir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(opts.siteDir)) {
      sendJson(res, 404, { error: { code: 'request.not_found', message: 'Introuvable.' } });
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    else if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    else if (!existsSync(file) && existsSync(path.join(file, 'index.html')))
      file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      const notFound = path.join(opts.siteDir, '404.html');
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else
        res.end(
          '<!doctype html><html lang="fr"><title>Page introuvable</title><h1>Page introuvable</h1></html>',
        );
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    for (const [name, value] of Object.entries(responseHeaders)) res.setHeader(name, value);
    const work =
      url.pathname === '/api' || url.pathname.startsWith('/api/')
        ? serveApi(req, res, url)
        : Promise.resolve(serveStatic(res, url));
    work.catch((error: unknown) => {
      // A client that hung up mid-request (a closed tab, the bench ending a run) is not an error.
      if (req.destroyed || (error as { code?: string }).code === 'ECONNRESET') return;
      const status = (error as { status?: number }).status ?? 502;
      // A handler that throws past its own error mapping: API Gateway answers 500 "Internal Server Error".
      console.error('gateway error', error);
      if (!res.headersSent)
        sendJson(res, status, {
          error: { code: status === 413 ? 'request.too_large' : 'internal', message: 'Erreur interne.' },
        });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
