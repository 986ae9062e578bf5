import path from 'node:path';
import { resetConfig } from '../../shared/config.ts';
import { resetDb } from '../../shared/data/client.ts';
import { ensureBucket, ensureTable, ensureUserPool, LOCAL_REGION } from './bootstrap.ts';
import { ROOT, type Running, startCognito, startDynamo, startS3, startSes } from './emulators.ts';
import { startGateway } from './gateway.ts';
import { freePort } from './ports.ts';
import { startScheduler } from './scheduler.ts';
import { seedDemo } from './seed.ts';

export interface StackOptions {
  /** Where emulator data lives; DynamoDB is in memory when `persist` is false. */
  dataDir: string;
  persist: boolean;
  /** 0 = any free port. */
  ports: { app: number; dynamo: number; cognito: number; ses: number; s3: number };
  seed: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  appUrl: string;
  dynamoUrl: string;
  cognitoUrl: string;
  sesUrl: string;
  /** The S3 emulator (s3rver behind its SigV4 guard), path-style. */
  s3Url: string;
  mediaBucket: string;
  tableName: string;
  userPoolId: string;
  clientId: string;
  stop: () => Promise<void>;
}

export const TABLE_NAME = 'coopol';
export const MEDIA_BUCKET = 'coopol-media';
export const MAIL_FROM = 'La coopol <ne-pas-repondre@coopol.example>';

/**
 * Starts the whole coopol on this machine: DynamoDB Local, aws-ses-v2-local, cognito-local, then
 * the table, pool and groups (idempotent), the demo data, and the gateway serving site + API.
 * The functions read their configuration from this process's environment, as in Lambda.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const started: Running[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    const pick = async (p: number) => (p === 0 ? freePort() : p);
    const [dynamoPort, sesPort, cognitoPort, s3Port] = [
      await pick(opts.ports.dynamo),
      await pick(opts.ports.ses),
      await pick(opts.ports.cognito),
      await pick(opts.ports.s3),
    ];

    log('Starting DynamoDB Local, aws-ses-v2-local, s3rver and cognito-local…');
    const [dynamo, ses, s3] = await Promise.all([
      startDynamo({
        port: dynamoPort,
        ...(opts.persist ? { dataDir: path.join(opts.dataDir, 'dynamodb') } : {}),
      }),
      startSes({ port: sesPort }),
      // Objects live on disk even for a throwaway stack (its data folder is temporary).
      startS3({ port: s3Port, dataDir: path.join(opts.dataDir, 's3') }),
    ]);
    started.push(dynamo, ses, s3);
    const cognito = await startCognito({
      port: cognitoPort,
      dataDir: path.join(opts.dataDir, 'cognito'),
      sesUrl: ses.url,
      mailFrom: MAIL_FROM,
    });
    started.push(cognito);

    await ensureTable(dynamo.url, TABLE_NAME);
    const pool = await ensureUserPool(cognito.url);

    const appPort = await pick(opts.ports.app);
    // The site is reached as localhost (npm start) or 127.0.0.1 (tests): both may PUT uploads.
    await ensureBucket(s3.url, MEDIA_BUCKET, [`http://localhost:${appPort}`, `http://127.0.0.1:${appPort}`]);
    Object.assign(process.env, {
      STAGE: 'local',
      AWS_REGION: LOCAL_REGION,
      TABLE_NAME,
      USER_POOL_ID: pool.userPoolId,
      USER_POOL_CLIENT_ID: pool.clientId,
      MAIL_FROM,
      SITE_URL: `http://localhost:${appPort}`,
      DYNAMODB_ENDPOINT: dynamo.url,
      COGNITO_ENDPOINT: cognito.url,
      SES_ENDPOINT: ses.url,
      S3_ENDPOINT: s3.url,
      MEDIA_BUCKET,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    resetConfig();
    resetDb();

    if (opts.seed) {
      log('Seeding demo sections and members…');
      await seedDemo(cognito.url, pool.userPoolId);
    }

    const gateway = await startGateway({
      port: appPort,
      cognitoUrl: cognito.url,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      siteDir: path.join(ROOT, 'site/dist'),
    });
    started.push({ name: 'gateway', url: gateway.url, stop: gateway.stop });
    const scheduler = await startScheduler();
    started.push({ name: 'scheduler', url: '', stop: scheduler.stop });

    return {
      appUrl: gateway.url,
      dynamoUrl: dynamo.url,
      cognitoUrl: cognito.url,
      sesUrl: ses.url,
      s3Url: s3.url,
      mediaBucket: MEDIA_BUCKET,
      tableName: TABLE_NAME,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
