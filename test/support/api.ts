import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';

/** Test-side helpers: HTTP calls to the local gateway and direct looks into the emulators. */

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = Record<string, unknown>>(
  path: string,
  opts: {
    method?: string;
    body?: unknown;
    rawBody?: string;
    token?: string;
    cookie?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${inject('baseUrl')}${path}`, {
    method: opts.method ?? (payload ? 'POST' : 'GET'),
    headers,
    body: payload,
  });
  const text = await res.text();
  // Every answer is JSON but the iCalendar feed's (text/calendar, issue 6) and the roster export's
  // (text/csv, issue 11), returned as their text.
  const json = !/^text\/(calendar|csv)/.test(res.headers.get('content-type') ?? '');
  return {
    status: res.status,
    body: (text ? (json ? JSON.parse(text) : text) : {}) as T,
    headers: res.headers,
  };
}

const local = { region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export function tableClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: inject('dynamoUrl') }));
}

/** Every item in the table — tests only (a Scan never runs on a request path). */
export async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await tableClient().send(
      new ScanCommand({ TableName: inject('tableName'), ExclusiveStartKey: startKey }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function memberItems(memberId: string): Promise<Record<string, unknown>[]> {
  const out = await tableClient().send(
    new QueryCommand({
      TableName: inject('tableName'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `MEMBER#${memberId}` },
    }),
  );
  return out.Items ?? [];
}

export async function getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  return (await tableClient().send(new GetCommand({ TableName: inject('tableName'), Key: { pk, sk } }))).Item;
}

export async function setState(memberId: string, state: string, suspendedUntil?: string): Promise<void> {
  await tableClient().send(
    new UpdateCommand({
      TableName: inject('tableName'),
      Key: { pk: `MEMBER#${memberId}`, sk: 'PROFILE' },
      UpdateExpression: suspendedUntil
        ? 'SET #s = :s, suspendedUntil = :u'
        : 'SET #s = :s REMOVE suspendedUntil',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':s': state, ...(suspendedUntil ? { ':u': suspendedUntil } : {}) },
    }),
  );
}

export async function cognitoUserExists(email: string): Promise<boolean> {
  const cognito = new CognitoIdentityProviderClient({ ...local, endpoint: inject('cognitoUrl') });
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: inject('userPoolId'), Username: email }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'UserNotFoundException') return false;
    throw error;
  }
}

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

export async function mailsTo(address: string): Promise<StoredMail[]> {
  const res = await fetch(`${inject('sesUrl')}/store`);
  const store = (await res.json()) as { emails: StoredMail[] };
  return store.emails.filter((m) => m.destination.to.includes(address));
}

/** Waits for a mail to `address` whose subject matches, and returns it. */
export async function waitForMail(address: string, subject: RegExp, timeoutMs = 10_000): Promise<StoredMail> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const mail = (await mailsTo(address)).find((m) => subject.test(m.subject));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No mail to ${address} matching ${subject} within ${timeoutMs} ms`);
}

let counter = 0;
/** An address no other test uses. */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}${counter}@test.coopol.example`;
}

export const PARIS = '01KC0SEC000000000000000001';
export const DEMO = {
  adherente: { email: 'adherente@coopol.example', id: '01KC0DEM000000000000000001' },
  secretaire: { email: 'secretaire@coopol.example', id: '01KC0DEM000000000000000002' },
  mjs: { email: 'mjs@coopol.example', id: '01KC0DEM000000000000000003' },
  sympathisante: { email: 'sympathisante@coopol.example', id: '01KC0DEM000000000000000004' },
  discret: { email: 'discret@coopol.example', id: '01KC0DEM000000000000000005' },
  coopilote: { email: 'coopilote@coopol.example', id: '01KC0DEM000000000000000006' },
  admin: { email: 'admin@coopol.example', id: '01KC0DEM000000000000000007' },
  nouveau: { email: 'nouveau@coopol.example', id: '01KC0DEM000000000000000008' },
} as const;

export function validSignUp(email: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email,
    password: 'motdepasse-2026',
    firstName: 'Jeanne',
    lastName: 'Dupont',
    membership: 'adherent',
    sectionId: PARIS,
    visibility: 'section',
    charterAccepted: true,
    charterVersion: '2026-11',
    ...overrides,
  };
}

export async function signIn(
  email: string,
  password = inject('demoPassword'),
): Promise<{ token: string; cookie: string }> {
  const res = await api<{ idToken: string }>('/api/auth/sign-in', { body: { email, password } });
  if (res.status !== 200)
    throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { token: res.body.idToken, cookie: setCookie.split(';')[0] ?? '' };
}

/** Signs a new member up, confirms with the emailed code, signs in. */
export async function newMember(
  overrides: Record<string, unknown> = {},
): Promise<{ email: string; token: string; cookie: string; id: string }> {
  const email = uniqueEmail('membre');
  const signUp = await api('/api/auth/sign-up', { body: validSignUp(email, overrides) });
  if (signUp.status !== 202) throw new Error(`sign-up failed: ${JSON.stringify(signUp.body)}`);
  const mail = await waitForMail(email, /code/);
  const code = /(\d{6})/.exec(mail.body.text ?? '')?.[1];
  const confirm = await api('/api/auth/confirm', { body: { email, code } });
  if (confirm.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirm.body)}`);
  const session = await signIn(email, String(validSignUp(email, overrides).password));
  const me = await api<{ member: { id: string } }>('/api/me', { token: session.token });
  return { email, ...session, id: me.body.member.id };
}
