import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, type TxWrite, tableName } from './client.ts';

/**
 * Account items: the email → member lookup (also a uniqueness guard beside Cognito's) and the
 * consent records (charter acceptance, the explicit choice of `all` visibility — GDPR art. 9).
 */

const emailKey = (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'EMAIL' });

/** Claims an email address for a member; the transaction fails if another member holds it. */
export function putEmailClaim(email: string, memberId: string): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...emailKey(email), type: 'email', memberId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** memberIdByEmail: resolves a sign-in address to the member (confirmation, admin look-ups). */
export async function memberIdByEmail(email: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: emailKey(email) }));
  return typeof out.Item?.memberId === 'string' ? out.Item.memberId : undefined;
}

export type ConsentKind = 'charter' | 'visibility_all' | 'secretary_confidentiality';

export interface ConsentRecord {
  kind: ConsentKind;
  /** The charter version for `charter`; the visibility text version for `visibility_all`. */
  version: string;
  /** true = given; false = withdrawn (a later record supersedes an earlier one). */
  given: boolean;
  at: string;
}

/** Appends a consent record under the member (kept for the member's export; D1). */
export function putConsent(memberId: string, consent: ConsentRecord): TxWrite {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: `MEMBER#${memberId}`,
        sk: `CONSENT#${consent.at}#${consent.kind}`,
        type: 'consent',
        memberId,
        ...consent,
      },
    },
  };
}
