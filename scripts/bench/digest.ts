/**
 * Digest scaling (issue 9, item 4; issue 7): time, DynamoDB calls and SES calls of the digest run
 * for 1k and 10k members waiting for a daily digest (sizes: BENCH_DIGEST_SIZES, e.g. `1000,10000`),
 * seeded straight into the bench stack's DynamoDB (not through cognito-local). The run executes
 * here, under the DynamoDB meter, against the stack's DynamoDB Local and aws-ses-v2-local — the
 * same code the scheduled job runs. The per-member cost must stay flat (a linear total).
 */
import { ulid } from 'ulid';
import { putAll, tableName } from '../../shared/data/client.ts';
import { putNewContactDetails } from '../../shared/data/contact-details.ts';
import { pendingDigestWrite } from '../../shared/data/digests.ts';
import { type Member, putNewMember } from '../../shared/data/members.ts';
import { notificationKey } from '../../shared/data/notifications.ts';
import { runDigests } from '../../shared/notifications/digests.ts';
import { metered } from '../local/dynamo-meter.ts';
import type { Report } from './report.ts';
import { useStack } from './section-message.ts';

export const DIGEST_JOB = 'functions/jobs/run-digests.ts';
export const DIGEST_SIZES = (process.env.BENCH_DIGEST_SIZES ?? '1000,10000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

export interface DigestContext {
  appUrl: string;
  dynamoUrl: string;
  sesUrl?: string;
  tableName: string;
}

function member(id: string, at: string, i: number): Member {
  return {
    id,
    cognitoSub: '',
    firstName: 'Bench',
    lastName: `Résumé ${String(i).padStart(6, '0')}`,
    bio: '',
    membershipClaim: 'adherent',
    membershipConfirmed: true,
    sectionId: null,
    sectionName: null,
    visibility: 'section',
    state: 'active',
    roles: { secretaryOf: [], coopilote: false, admin: false },
    mandates: [],
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

/** N members, each with two unread comment notifications (daily by default) and pending. */
async function seed(size: number): Promise<number> {
  const started = performance.now();
  const at = new Date().toISOString();
  for (let i = 0; i < size; i += 500) {
    const writes = Array.from({ length: Math.min(500, size - i) }, (_, k) => {
      const id = ulid();
      const postId = ulid();
      const notification = () => {
        const nid = ulid();
        return {
          Put: {
            TableName: tableName(),
            Item: {
              ...notificationKey(id, nid),
              id: nid,
              recipientId: id,
              type: 'notification',
              kind: 'comment.new',
              actorId: ulid(),
              actorName: 'Camille Martin',
              at,
              data: { postId },
              read: false,
            },
          },
        };
      };
      return [
        ...putNewMember(member(id, at, i + k)),
        putNewContactDetails(
          id,
          { email: `resume.${id.toLowerCase()}@bench.coopol.example`, phone: null, postalAddress: null },
          at,
        ),
        notification(),
        notification(),
        pendingDigestWrite('daily', id),
      ];
    }).flat();
    await putAll(writes);
  }
  return (performance.now() - started) / 1000;
}

async function sesCount(sesUrl: string): Promise<number> {
  const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: unknown[] };
  return store.emails.length;
}

export async function reportDigestScaling(report: Report, stack: DigestContext): Promise<void> {
  report.heading('Digest scaling');
  if (!stack.sesUrl) {
    report.paragraph('digest scaling: not measured — the bench stack gave no SES address.');
    return;
  }
  useStack(stack, stack.sesUrl);
  const rows: (string | number)[][] = [];
  for (const size of DIGEST_SIZES) {
    const seedSeconds = await seed(size);
    await fetch(`${stack.sesUrl}/clear-store`, { method: 'POST' });
    const started = performance.now();
    const { result, meter } = await metered(() => runDigests({ period: 'daily', sesPerSecond: 100_000 }));
    const seconds = (performance.now() - started) / 1000;
    const emails = await sesCount(stack.sesUrl);
    const per = (n: number) => (result.sent ? (n / result.sent).toFixed(2) : '—');
    rows.push([
      size,
      `${seedSeconds.toFixed(1)} s`,
      result.sent,
      emails,
      `${seconds.toFixed(1)} s`,
      `${((seconds * 1000) / Math.max(1, result.sent)).toFixed(2)} ms`,
      meter.calls.length,
      per(meter.calls.length),
      per(meter.rcu),
      per(meter.wcu),
    ]);
  }
  report.paragraph(
    "Each size: N members with two unread notifications wanted in the daily digest, pending in the 16 shards; then one daily run (4 shards at a time, SES pacing lifted) under the DynamoDB meter, against DynamoDB Local and aws-ses-v2-local. \"emails\" is what the SES emulator stored: one per member. Time per member is the local emulators', not AWS's; in AWS the run is paced at the account's SES rate (`SES_MAX_SEND_RATE`, 14/s by default), which then dominates.",
  );
  report.table({
    headers: [
      'members',
      'seed',
      'digests sent',
      'emails',
      'run time',
      'time / member',
      'DynamoDB calls',
      'calls / member',
      'RCU / member',
      'WCU / member',
    ],
    rows,
    right: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  });
}
