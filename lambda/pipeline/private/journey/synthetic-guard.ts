import { isSyntheticEmail, isSyntheticKey, SYNTHETIC } from '../../../../contracts/synthetic-data';
import { CheckFailure } from '../aws-call';

/**
 * The journey's own guard on what it touches. Amazon Cognito has no IAM condition key on the user name,
 * so the journey role may manage any user of the stage's pool: every user call of the journey goes
 * through {@link requireSyntheticUser} first. Item keys are also guarded by the role's
 * `dynamodb:LeadingKeys` condition; the journey checks them too, to fail with a clear message.
 */
export class RefusedError extends CheckFailure {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** @throws RefusedError unless `email` is a synthetic user's (`journey-…@synthetic.invalid`). */
export function requireSyntheticUser(email: string): string {
  if (!isSyntheticEmail(email))
    throw new RefusedError(
      `refused to touch user ${JSON.stringify(email)}: not a synthetic user (${SYNTHETIC.userPrefix}…@${SYNTHETIC.emailDomain})`,
    );
  return email;
}

/** @throws RefusedError unless `key` is a synthetic item's partition key (`journey-…`). */
export function requireSyntheticKey(key: string): string {
  if (!isSyntheticKey(key))
    throw new RefusedError(
      `refused to touch item ${JSON.stringify(key)}: not a synthetic key (${SYNTHETIC.keyPrefix}…)`,
    );
  return key;
}
