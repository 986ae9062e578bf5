/**
 * Digest scaling (issue 9, item 4): time, DynamoDB calls and SES calls of the digest job for 1k
 * and 10k members with pending notifications (100k when it fits in the bench's ten minutes),
 * seeded straight into DynamoDB (not through cognito-local). The per-member cost must stay flat.
 *
 * The job lands with the notifications issue (issue 7); until `DIGEST_JOB` exists this section
 * says so and measures nothing — no made-up figures. To add it, replace the body of
 * `reportDigestScaling` with, for each size in `DIGEST_SIZES`:
 *   1. seed `size` members with pending notifications into the stack's table (BatchWrite, in a
 *      section of their own so that runs do not mix), and clear aws-ses-v2-local's store
 *      (`POST <sesUrl>/clear-store`);
 *   2. run the job's handler under `metered()` (scripts/local/dynamo-meter.ts) in the bench's child
 *      stack — or in a child process with the stack's environment — and time it;
 *   3. read the SES calls from `GET <sesUrl>/store`;
 * and print one row per size: | members | time | time per member | DynamoDB calls | calls per
 * member | RCU / WCU per member | SES calls |.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../local/emulators.ts';
import type { Report } from './report.ts';

export const DIGEST_JOB = 'functions/jobs/send-digests.ts';
export const DIGEST_SIZES = [1_000, 10_000] as const;

export interface DigestContext {
  appUrl: string;
  dynamoUrl: string;
  sesUrl?: string;
  tableName: string;
}

export async function reportDigestScaling(report: Report, _stack: DigestContext): Promise<void> {
  report.heading('Digest scaling');
  if (!existsSync(path.join(ROOT, DIGEST_JOB))) {
    report.paragraph(
      `digest scaling: not measured — no digest job yet (issue 7; \`${DIGEST_JOB}\` is absent).`,
    );
    return;
  }
  report.paragraph(
    `digest scaling: not measured — \`${DIGEST_JOB}\` exists now, but its measurement is not written yet (see scripts/bench/digest.ts for the plan).`,
  );
}
