/**
 * `npm run digest [daily|weekly]`: sends the digests now, on the stack `npm start` runs (its
 * default ports, or DYNAMODB_PORT / SES_PORT / PORT), with the same code as the scheduled job —
 * read the emails in aws-ses-v2-local (http://localhost:8005). A second run for the same day
 * sends nothing more (one digest per member and period).
 */
import { resetConfig } from '../shared/config.ts';
import { resetDb } from '../shared/data/client.ts';
import type { DigestPeriod } from '../shared/data/digests.ts';
import { runDigests } from '../shared/notifications/digests.ts';
import { LOCAL_REGION } from './local/bootstrap.ts';
import { MAIL_FROM, TABLE_NAME } from './local/stack.ts';

const period = (process.argv[2] ?? 'daily') as DigestPeriod;
if (period !== 'daily' && period !== 'weekly') {
  console.error('Usage: npm run digest [daily|weekly]');
  process.exit(2);
}
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
Object.assign(process.env, {
  STAGE: 'local',
  AWS_REGION: LOCAL_REGION,
  TABLE_NAME,
  // The digest run touches neither Cognito nor the pool: any value satisfies the configuration.
  USER_POOL_ID: process.env.USER_POOL_ID ?? 'eu-west-3_local',
  USER_POOL_CLIENT_ID: process.env.USER_POOL_CLIENT_ID ?? 'local',
  MAIL_FROM,
  SITE_URL: `http://localhost:${port('PORT', 3000)}`,
  DYNAMODB_ENDPOINT: `http://localhost:${port('DYNAMODB_PORT', 8000)}`,
  SES_ENDPOINT: `http://localhost:${port('SES_PORT', 8005)}`,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
resetConfig();
resetDb();

try {
  const summary = await runDigests({ period });
  console.log(
    `${period} digests: ${summary.sent} sent, ${summary.empty} with nothing new, ${summary.skipped} already served, ${summary.failed} failed (kept for the next run).`,
  );
} catch (error) {
  console.error(
    `The digest run failed — is \`npm start\` running? ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}
