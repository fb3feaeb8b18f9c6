import type { STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AssumedCredentials } from '../assume-role';
import type { CallOptions } from '../aws-call';
import { callAws, CheckFailure, describeError, isAccessDenied } from '../aws-call';
import { reviewRegions, type ChangeReviewParameters } from '../../../../contracts/change-review-parameters';

/** Credentials by region, to read the stage's stacks with; none where the review runs with the caller's credentials. */
export type ReviewCredentials = ReadonlyMap<string, AssumedCredentials>;

/** `cdk-<qualifier>-lookup-role-<account>-<region>`: the CDK bootstrap's lookup role (DefaultStackSynthesizer.DEFAULT_LOOKUP_ROLE_ARN). */
const LOOKUP_ROLE = /:iam::(\d{12}):role\/cdk-([a-z0-9_-]+)-lookup-role-\d{12}-([a-z0-9-]+)$/;

/**
 * Why AssumeRole of `roleArn` was refused, and what fixes it. STS answers AccessDenied ("is not authorized
 * to perform: sts:AssumeRole") alike when the role does not exist and when its trust policy does not name
 * the caller, so the reason names both.
 */
export function refusedRoleReason(
  roleArn: string,
  region: string,
  params: ChangeReviewParameters,
  cause: string,
): string {
  const head = `the change review cannot read stage ${params.stage} in ${region}: AssumeRole of ${roleArn} was refused (${cause})`;
  const lookup = LOOKUP_ROLE.exec(roleArn);
  if (!lookup)
    return `${head}. The role must exist in account ${params.account} and trust the caller; the review never runs without it.`;
  const [, account, qualifier] = lookup;
  const trust = params.pipelineAccount ?? '<pipeline account>';
  const qualifierFlag = qualifier === 'hnb659fds' ? '' : ` --qualifier ${qualifier}`;
  return (
    `${head}. It is the CDK bootstrap's lookup role, which exists once the account is bootstrapped in that region ` +
    `trusting the pipeline account: npx cdk bootstrap aws://${account}/${region} --trust ${trust}${qualifierFlag} ` +
    `--cloudformation-execution-policies <policy ARN> (see the README's roll-out). The review never runs without it.`
  );
}

/** The roles the review reads through: credentials by region, and the regions whose role was refused. */
export interface ReviewRoles {
  readonly credentials: ReviewCredentials;
  /** Region to the reason its role could not be assumed (with the bootstrap command where it is the lookup role). */
  readonly refused: ReadonlyMap<string, string>;
}

/**
 * Assumes the role of every region the review reads (`params.roleArns`), all at once. A region whose role is refused
 * is not read with other credentials: it is returned with its reason, and the review reports it as not checked
 * (which fails the review) beside what it could check elsewhere.
 * @returns credentials by region (none when `params` names no role: the caller's own credentials are used), and
 *   the refused regions.
 */
export async function assumeReviewRoles(
  sts: STSClient,
  params: ChangeReviewParameters,
  sessionName: string,
  options?: CallOptions,
): Promise<ReviewRoles> {
  const roleArns = params.roleArns;
  if (!roleArns) return { credentials: new Map(), refused: new Map() };
  const regions = reviewRegions(params);
  const settled = await Promise.allSettled(
    regions.map(async (region) => {
      const roleArn = roleArns[region];
      if (!roleArn) throw new CheckFailure(`the change review has no role to read stage ${params.stage} in ${region}`);
      const out = await callAws(
        `assuming ${roleArn}`,
        async (abortSignal) => {
          try {
            return await sts.send(
              // One hour: the most a chained role session (CodeBuild's role assuming another) may ask for,
              // and longer than the step's drift detection may take
              // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, DurationSeconds).
              new AssumeRoleCommand({
                RoleArn: roleArn,
                RoleSessionName: sessionName.slice(0, 64),
                DurationSeconds: 3600,
              }),
              { abortSignal },
            );
          } catch (error) {
            if (isAccessDenied(error))
              throw new CheckFailure(refusedRoleReason(roleArn, region, params, rawError(error)));
            throw error;
          }
        },
        options,
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
        throw new CheckFailure(`assuming ${roleArn} returned no credentials`);
      const credentials: AssumedCredentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
      return credentials;
    }),
  );
  const credentials = new Map<string, AssumedCredentials>();
  const refused = new Map<string, string>();
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') credentials.set(regions[i], r.value);
    else refused.set(regions[i], describeError(r.reason));
  });
  return { credentials, refused };
}

function rawError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${(e?.message ?? '').split('\n')[0]}`.slice(0, 300);
}
