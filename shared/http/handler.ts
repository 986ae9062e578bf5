import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import { type Actor, type Claims, loadActor } from '../auth/actor.ts';
import { TARGET_PATTERN } from '../data/moderation.ts';
import { AppError, RateLimitedError, statusOf, ValidationError } from '../errors.ts';
import { logger } from '../log.ts';
import { type RouteId, routeById } from '../routes.ts';
import { parseInput } from './validation.ts';

export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** What a use case hands back; the wrapper turns it into the HTTP response. */
export interface Reply {
  status?: number;
  body?: unknown;
  cookies?: string[];
  /** A body that is not JSON (the iCalendar feed, issue 6): sent as is with its content type. */
  text?: {
    contentType: string;
    body: string /** Sent as an attachment under this name. */;
    filename?: string;
  };
}

const MAX_BODY_BYTES = 64 * 1024;
const EMPTY = {};

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

interface Request<B, Q> {
  body: B;
  query: Q;
  /** Path parameters (`{id}` in the route's path), each checked to be a ULID. */
  params: Readonly<Record<string, string>>;
  /** Raw cookies sent by the browser (`name=value`). */
  cookies: readonly string[];
  requestId: string;
  /** The client's address (`requestContext.http.sourceIp`): the sign-in guards count per address. */
  sourceIp: string;
  now: Date;
}

type Schema = z.ZodMiniType;
type In<S> = S extends Schema ? z.infer<S> : undefined;

interface Spec<B extends Schema | undefined, Q extends Schema | undefined> {
  route: RouteId;
  body?: B;
  query?: Q;
  /**
   * RFC 8058 one-click unsubscribe: mail clients POST the form body `List-Unsubscribe=One-Click`
   * (application/x-www-form-urlencoded); that exact body is accepted as no body.
   */
  oneClickForm?: true;
  /**
   * A route that takes no body and no query says so explicitly (path parameters are checked
   * generically): the fuzzer (test/integration/fuzz.test.ts) fails a route that declares neither.
   */
  input?: 'none';
}

/** What a route declared it validates: the fuzzer derives its hostile inputs from these. */
export interface InputSchemas {
  body?: Schema;
  query?: Schema;
  /** Declared with `input: 'none'`: the route takes no body and no query at all. */
  none: boolean;
}

const inputSchemas = new Map<RouteId, InputSchemas>();

/** The input schemas of a route whose handler module was loaded (undefined otherwise). */
export function inputSchemasOf(route: RouteId): InputSchemas | undefined {
  return inputSchemas.get(route);
}

const ONE_CLICK = 'List-Unsubscribe=One-Click';

function isOneClickBody(event: HttpEvent): boolean {
  if (event.body === undefined) return false;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return raw.trim() === ONE_CLICK;
}

/** Keys that aim at an object's prototype: no input of ours has them. */
const POLLUTION_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function readBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES)
    throw new ValidationError('request.too_large', 'Requête trop volumineuse.');
  let forbidden: string | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw, (key, value) => {
      if (POLLUTION_KEYS.has(key)) forbidden ??= key;
      return value;
    });
  } catch {
    throw new ValidationError('request.invalid_json', 'Le corps de la requête doit être du JSON valide.');
  }
  // Refused at any depth, whatever the schema: zod strips a `__proto__` key of a record silently.
  if (forbidden)
    throw new ValidationError('request.forbidden_key', `Champ non autorisé : ${forbidden}.`, forbidden);
  return parsed;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Path parameters that are not a single id: a reported target names its kind and ids (`post:<id>`…). */
const PARAM_FORMATS: Record<string, RegExp> = { target: TARGET_PATTERN };

/** Every path parameter is an entity id (a ULID) or of its declared format; anything else is refused before any read. */
function readParams(event: HttpEvent): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (typeof value !== 'string' || !(PARAM_FORMATS[name] ?? ULID).test(value)) {
      throw new ValidationError('request.invalid_id', 'Identifiant invalide.', name);
    }
    params[name] = value;
  }
  return params;
}

function errorResult(error: unknown, requestId: string, routeId: string): HttpResult {
  if (error instanceof AppError && statusOf(error) < 500) {
    const status = statusOf(error);
    return {
      statusCode: status,
      headers: {
        ...BASE_HEADERS,
        ...(error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {}),
      },
      body: JSON.stringify({
        error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
      }),
    };
  }
  if (error instanceof AppError) {
    // 503: a dependency failed for a moment; the message is ours and safe to show.
    logger.warn('unavailable', { requestId, routeId, code: error.code, error });
    return {
      statusCode: statusOf(error),
      headers: BASE_HEADERS,
      body: JSON.stringify({ error: { code: error.code, message: error.message } }),
    };
  }
  // Never serialize an unknown error: log it with the request id, answer a bare 500.
  logger.error('unexpected error', { requestId, routeId, error: error as Error });
  return {
    statusCode: 500,
    headers: BASE_HEADERS,
    body: JSON.stringify({
      error: {
        code: 'internal',
        message: `Une erreur inattendue est survenue (référence ${requestId}). Réessayez plus tard.`,
      },
    }),
  };
}

function toResult(reply: Reply): HttpResult {
  const status = reply.status ?? 200;
  if (reply.text)
    return {
      statusCode: status,
      headers: {
        ...BASE_HEADERS,
        'content-type': reply.text.contentType,
        ...(reply.text.filename
          ? { 'content-disposition': `attachment; filename="${reply.text.filename}"` }
          : {}),
      },
      body: reply.text.body,
    };
  return {
    statusCode: status,
    headers: BASE_HEADERS,
    ...(reply.cookies ? { cookies: reply.cookies } : {}),
    ...(status === 204 || reply.body === undefined ? {} : { body: JSON.stringify(reply.body) }),
  };
}

/**
 * A public route's Lambda handler: validates body and query with the route's schemas, calls the
 * use case, maps errors (one place for statuses — STYLE "Errors").
 */
export function publicRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
>(spec: Spec<B, Q>, fn: (req: Request<In<B>, In<Q>>) => Promise<Reply>) {
  return wrap(spec, async (event, req) => {
    void event;
    return fn(req);
  });
}

/**
 * A member route's Lambda handler: as `publicRoute`, and builds the `Actor` from the verified JWT
 * claims plus the member item read now (state check on every request).
 */
export function memberRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
>(spec: Spec<B, Q>, fn: (actor: Actor, req: Request<In<B>, In<Q>>) => Promise<Reply>) {
  const route = routeById(spec.route);
  return wrap(spec, async (event, req) => {
    const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt
      ?.claims as Claims | undefined;
    const actor = await loadActor(claims, route, req.now);
    return fn(actor, req);
  });
}

function wrap<B extends Schema | undefined, Q extends Schema | undefined>(
  spec: Spec<B, Q>,
  run: (event: HttpEvent, req: Request<In<B>, In<Q>>) => Promise<Reply>,
) {
  inputSchemas.set(spec.route, { body: spec.body, query: spec.query, none: spec.input === 'none' });
  const handler = async (event: HttpEvent, context?: Context): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'local';
    try {
      const rawBody = spec.oneClickForm && isOneClickBody(event) ? undefined : readBody(event);
      // No body reads as `{}`; a JSON `null` is a body, and not an object: the schema refuses it.
      const body = (
        spec.body ? parseInput(spec.body, rawBody === undefined ? EMPTY : rawBody) : undefined
      ) as In<B>;
      if (!spec.body && rawBody !== undefined)
        throw new ValidationError('request.unexpected_body', 'Cette requête ne prend pas de corps.');
      const query = (
        spec.query ? parseInput(spec.query, event.queryStringParameters ?? EMPTY) : undefined
      ) as In<Q>;
      if (!spec.query && event.queryStringParameters && Object.keys(event.queryStringParameters).length > 0) {
        throw new ValidationError('request.unexpected_query', 'Paramètre de requête inconnu.');
      }
      const params = readParams(event);
      const reply = await run(event, {
        body,
        query,
        params,
        cookies: event.cookies ?? [],
        requestId,
        sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
        now: new Date(),
      });
      return toResult(reply);
    } catch (error) {
      return errorResult(error, requestId, spec.route);
    }
  };
  /** Exposed for the route walker (`routeId`); the fuzzer reads the schemas with `inputSchemasOf`. */
  return Object.assign(handler, { routeId: spec.route, schemas: { body: spec.body, query: spec.query } });
}
