import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, getAll, tableName } from './client.ts';
import { conversationPairKey } from './conversations.ts';
import { type Member, memberFromItem, memberKey } from './members.ts';
import { type Section, sectionFromItem, sectionKey } from './sections.ts';

/**
 * W1 — a section's welcome template (issue 11): the text its secretaries send to each member
 * whose membership they confirm. One small item in the section's partition; absent until a
 * secretary edits it (the default text is the domain's).
 */

export interface WelcomeTemplate {
  sectionId: string;
  text: string;
  updatedAt: string;
  updatedBy: string;
  /** Denormalised for the editor's « modifié par » line. */
  updatedByName: string;
}

const key = (sectionId: string) => ({ pk: `SECTION#${sectionId}`, sk: 'WELCOME' });

function templateFrom(i: Record<string, unknown>): WelcomeTemplate {
  return {
    sectionId: String(i.sectionId),
    text: String(i.text),
    updatedAt: String(i.updatedAt),
    updatedBy: String(i.updatedBy),
    updatedByName: String(i.updatedByName ?? ''),
  };
}

/** W1 welcomeTemplateOf(section) with the section itself, in one BatchGet. */
export async function welcomeTemplateWithSection(
  sectionId: string,
): Promise<{ section?: Section; template?: WelcomeTemplate }> {
  const items = await getAll([sectionKey(sectionId), key(sectionId)], true);
  const section = items.find((i) => i.sk === 'META');
  const template = items.find((i) => i.sk === 'WELCOME');
  return {
    ...(section ? { section: sectionFromItem(section) } : {}),
    ...(template ? { template: templateFrom(template) } : {}),
  };
}

/** Saves the template (last write wins: one small text, edited by a handful of secretaries). */
export async function putWelcomeTemplate(template: WelcomeTemplate): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...key(template.sectionId), type: 'welcome-template', ...template },
    }),
  );
}

/**
 * What confirming a membership needs, in one BatchGet (issue 11, ≤ 3 round trips in all): the
 * member, their section and its welcome template, and the existing conversation of the
 * secretary with the member (C3), so that the welcome goes in the confirmation's transaction.
 */
export async function confirmationFacts(
  secretaryId: string,
  sectionId: string,
  memberId: string,
): Promise<{ member?: Member; section?: Section; template?: WelcomeTemplate; conversationId?: string }> {
  const pair = conversationPairKey(secretaryId, memberId);
  const items = await getAll([memberKey(memberId), sectionKey(sectionId), key(sectionId), pair], true);
  const member = items.find((i) => i.pk === `MEMBER#${memberId}` && i.sk === 'PROFILE');
  const section = items.find((i) => i.sk === 'META');
  const template = items.find((i) => i.sk === 'WELCOME');
  const found = items.find((i) => i.sk === 'PAIR');
  return {
    ...(member ? { member: memberFromItem(member) } : {}),
    ...(section ? { section: sectionFromItem(section) } : {}),
    ...(template ? { template: templateFrom(template) } : {}),
    ...(typeof found?.conversationId === 'string' ? { conversationId: found.conversationId } : {}),
  };
}
