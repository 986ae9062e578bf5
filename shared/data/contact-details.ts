import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, getAll, type TxWrite, tableName } from './client.ts';

/**
 * M2: a member's contact details, in their own item (rule 3) so that no profile or list read
 * can ever carry them. Read only by the member and, audited, by their section secretary.
 */
export interface ContactDetails {
  email: string;
  phone: string | null;
  postalAddress: string | null;
}

/** The contact item's key (exported for reads batched with the member item). */
export const contactDetailsKey = (memberId: string) => ({ pk: `MEMBER#${memberId}`, sk: 'CONTACT' });
const key = contactDetailsKey;

/** Marshals a stored contact item. */
export function contactFromItem(item: Record<string, unknown>): ContactDetails {
  return {
    email: String(item.email),
    phone: typeof item.phone === 'string' ? item.phone : null,
    postalAddress: typeof item.postalAddress === 'string' ? item.postalAddress : null,
  };
}

export function putNewContactDetails(memberId: string, contact: ContactDetails, now: string): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...key(memberId), type: 'contact', memberId, ...contact, updatedAt: now },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** M2 contactDetailsByMember. */
export async function getContactDetails(memberId: string): Promise<ContactDetails | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key(memberId) }));
  return out.Item ? contactFromItem(out.Item) : undefined;
}

/** Sets phone and postal address (the email is the Cognito sign-in address). */
export async function updateContactDetails(
  memberId: string,
  patch: Pick<ContactDetails, 'phone' | 'postalAddress'>,
  now: string,
): Promise<ContactDetails> {
  const out = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(memberId),
      UpdateExpression: 'SET phone = :phone, postalAddress = :addr, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':phone': patch.phone, ':addr': patch.postalAddress, ':now': now },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return contactFromItem(out.Attributes ?? {});
}

/** M2 for a roster page: several members' contact details in one BatchGet (≤ 100). */
export async function getContactDetailsMany(
  memberIds: readonly string[],
): Promise<Map<string, ContactDetails>> {
  const items = await getAll([...new Set(memberIds)].map(key), false);
  return new Map(items.map((item) => [String(item.memberId), contactFromItem(item)]));
}
