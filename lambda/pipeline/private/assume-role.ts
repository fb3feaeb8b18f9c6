import type { STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { CallOptions } from './aws-call';
import { callAws, CheckFailure } from './aws-call';

/** Credentials returned by {@link assumeCheckRole}. */
export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/**
 * Assumes the stage's read-only check role and returns its credentials.
 *
 * @throws CheckFailure when the role cannot be assumed (for example the stage's trust policy does not name this function's role).
 */
export async function assumeCheckRole(
  sts: STSClient,
  roleArn: string,
  sessionName: string,
  options?: CallOptions,
): Promise<AssumedCredentials> {
  const out = await callAws(
    `assuming ${roleArn}`,
    (abortSignal) =>
      sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: 900 }),
        { abortSignal },
      ),
    options,
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new CheckFailure(`assuming ${roleArn} returned no credentials`);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
