/**
 * `npm start`: the whole coopol on this machine — DynamoDB Local, cognito-local, aws-ses-v2-local,
 * the table, pool, groups and demo data (idempotent: data is kept under .local/ between runs),
 * and the site with its API on one origin. Ctrl-C stops everything.
 */
import path from 'node:path';
import { hasJava, JAVA_HELP, ROOT } from './local/emulators.ts';
import { DEMO_MEMBERS, DEMO_PASSWORD } from './local/seed.ts';
import { ensureSiteBuilt } from './local/site.ts';
import { startStack } from './local/stack.ts';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

if (!hasJava()) {
  console.error(JAVA_HELP);
  process.exit(1);
}

await ensureSiteBuilt(console.log);
const stack = await startStack({
  dataDir: path.join(ROOT, '.local'),
  persist: true,
  ports: {
    app: port('PORT', 3000),
    dynamo: port('DYNAMODB_PORT', 8000),
    cognito: port('COGNITO_PORT', 9229),
    ses: port('SES_PORT', 8005),
    s3: port('S3_PORT', 4568),
  },
  seed: true,
  log: console.log,
});

const siteUrl = stack.appUrl.replace('127.0.0.1', 'localhost');
console.log(`
La coopol tourne en local.

  Site et API        ${siteUrl}        (santé : ${siteUrl}/api/health)
  Courriels (SES)    ${stack.sesUrl}    (boîte de réception des e-mails envoyés)
  DynamoDB Local     ${stack.dynamoUrl}    table « ${stack.tableName} »
  cognito-local      ${stack.cognitoUrl}    pool ${stack.userPoolId}
  S3 (s3rver)        ${stack.s3Url}    bucket « ${stack.mediaBucket} » (photos, privé)

Comptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :
${DEMO_MEMBERS.map((m) => `  ${m.email.padEnd(32)} ${m.role}`).join('\n')}

Ctrl-C pour tout arrêter. Les données restent dans .local/ (supprimez ce dossier pour repartir de zéro).
`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nArrêt…');
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
