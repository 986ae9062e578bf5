/**
 * Section-message fan-out (issue 4 item 4, issue 9's "bulk routes counted per item"): a secretary's
 * message delivered to sections of 200 and 1,500 members, seeded straight into the bench stack's
 * DynamoDB Local. The delivery steps run in this process under the DynamoDB meter, exactly as the
 * task job runs them (no task is queued, so the stack's own scheduler never races the bench).
 * The per-member cost must stay flat as the section grows.
 */
import { ulid } from 'ulid';
import { resetConfig } from '../../shared/config.ts';
import { putAll, resetDb, transact } from '../../shared/data/client.ts';
import { type Member, putNewMember } from '../../shared/data/members.ts';
import { newSectionMessageWrite } from '../../shared/data/section-messages.ts';
import { putSectionIfAbsent } from '../../shared/data/sections.ts';
import { deliverSectionMessagePage } from '../../shared/domain/messages/section-messages.ts';
import { LOCAL_REGION } from '../local/bootstrap.ts';
import { installDynamoMeter, metered } from '../local/dynamo-meter.ts';
import type { Report } from './report.ts';

export const SECTION_SIZES = [200, 1_500] as const;

/** Points this process's data layer (and mailer) at the bench stack, as the functions are in the stack. */
export function useStack(stack: { dynamoUrl: string; tableName: string }, sesUrl?: string): void {
  Object.assign(process.env, {
    STAGE: 'local',
    AWS_REGION: LOCAL_REGION,
    TABLE_NAME: stack.tableName,
    DYNAMODB_ENDPOINT: stack.dynamoUrl,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // Required by the configuration, unused by the delivery (no Cognito, no mail).
    USER_POOL_ID: process.env.USER_POOL_ID ?? 'eu-west-3_unused',
    USER_POOL_CLIENT_ID: process.env.USER_POOL_CLIENT_ID ?? 'unused',
    MAIL_FROM: process.env.MAIL_FROM ?? 'Bench <bench@coopol.example>',
    SITE_URL: process.env.SITE_URL ?? 'http://localhost',
    ...(sesUrl ? { SES_ENDPOINT: sesUrl } : {}),
  });
  resetConfig();
  resetDb();
  installDynamoMeter();
}

function member(id: string, sectionId: string, i: number, at: string, roles: Member['roles']): Member {
  return {
    id,
    cognitoSub: '',
    firstName: 'Bench',
    lastName: `Membre ${String(i).padStart(5, '0')}`,
    bio: '',
    membershipClaim: i % 3 === 0 ? 'sympathisant' : 'adherent',
    membershipConfirmed: i % 3 !== 0,
    sectionId,
    sectionName: 'Section du bench',
    // A third of them hidden (`section`): they are reached too.
    visibility: i % 3 === 1 ? 'section' : 'adherents',
    state: 'active',
    roles,
    mandates: [],
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

async function seedSection(
  size: number,
): Promise<{ sectionId: string; secretaryId: string; seedSeconds: number }> {
  const started = performance.now();
  const sectionId = ulid();
  const secretaryId = ulid();
  const at = new Date().toISOString();
  await transact([
    putSectionIfAbsent({ id: sectionId, name: `Section du bench ${sectionId.slice(-6)}`, department: '99' }),
  ]);
  const none = { secretaryOf: [], coopilote: false, admin: false };
  const members = [
    member(secretaryId, sectionId, 0, at, { ...none, secretaryOf: [sectionId] }),
    ...Array.from({ length: size }, (_, i) => member(ulid(), sectionId, i + 1, at, none)),
  ];
  await putAll(members.flatMap(putNewMember));
  return { sectionId, secretaryId, seedSeconds: (performance.now() - started) / 1000 };
}

export async function reportSectionMessageFanOut(
  report: Report,
  stack: { dynamoUrl: string; tableName: string },
): Promise<void> {
  report.heading('Section message fan-out');
  useStack(stack);
  const rows: (string | number)[][] = [];
  for (const size of SECTION_SIZES) {
    const { sectionId, secretaryId } = await seedSection(size);
    const messageId = ulid();
    await transact([
      newSectionMessageWrite({
        id: messageId,
        sectionId,
        sectionName: 'Section du bench',
        authorId: secretaryId,
        authorName: 'Bench Secrétaire',
        text: 'Réunion de section jeudi à 19 h.',
        at: new Date().toISOString(),
        status: 'queued',
        delivered: 0,
      }),
    ]);
    const payload = { sectionId, messageId, senderId: secretaryId };
    let cursor: Record<string, unknown> | undefined;
    let steps = 0;
    let delivered = 0;
    const started = performance.now();
    const { meter } = await metered(async () => {
      for (;;) {
        const step = await deliverSectionMessagePage({ payload, ...(cursor ? { cursor } : {}) });
        steps++;
        delivered += step.delivered;
        if (step.done) break;
        cursor = step.cursor;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const per = (n: number) => (delivered ? (n / delivered).toFixed(2) : '—');
    rows.push([
      size,
      delivered,
      steps,
      `${seconds.toFixed(1)} s`,
      `${((seconds * 1000) / Math.max(1, delivered)).toFixed(1)} ms`,
      meter.calls.length,
      per(meter.calls.length),
      per(meter.rcu),
      per(meter.wcu),
    ]);
  }
  report.paragraph(
    "A section seeded with N members (a third hidden at `section` visibility, who are reached too) plus its secretary; the delivery task's steps (50 members each: roster page, base items, pairs, then one transaction per member with the copy, both inbox entries, the notification and the progress count) run here under the DynamoDB meter, one after the other, as one runner of the task job would. Sequential by design (one transaction at a time keeps the progress count free of conflicts); time per member is DynamoDB Local's, not AWS's.",
  );
  report.table({
    headers: [
      'members',
      'reached',
      'steps',
      'time',
      'time / member',
      'DynamoDB calls',
      'calls / member',
      'RCU / member',
      'WCU / member',
    ],
    rows,
    right: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  });
}
