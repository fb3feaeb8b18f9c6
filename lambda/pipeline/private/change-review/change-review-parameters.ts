import { ChangeReviewPolicy, parseChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import type { ChangeReviewParameters } from '../../../../contracts/change-review-parameters';

const STAGE = /^[a-z][a-z0-9-]{0,31}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/;

/**
 * Validates the step's parameters.
 * @throws Error listing every problem with the key, the value and what is accepted.
 */
export function parseChangeReviewParameters(raw: unknown): ChangeReviewParameters {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`change review parameters = ${JSON.stringify(raw)} is not an object`);
  const p = raw as Record<string, unknown>;
  const problems: string[] = [];
  const check = (key: string, ok: boolean, accepted: string) => {
    if (!ok) problems.push(`${key} = ${JSON.stringify(p[key]) ?? 'undefined'} is not ${accepted}`);
  };
  check('stage', typeof p.stage === 'string' && STAGE.test(p.stage), 'a stage name (lower case, e.g. prod)');
  check('account', typeof p.account === 'string' && ACCOUNT.test(p.account), 'a 12-digit account id');
  check('region', typeof p.region === 'string' && REGION.test(p.region), 'an AWS region (e.g. eu-west-2)');
  check(
    'stackNames',
    Array.isArray(p.stackNames) &&
      p.stackNames.length > 0 &&
      p.stackNames.every((n) => typeof n === 'string' && STACK_NAME.test(n)),
    'a non-empty list of stack names',
  );
  if (p.roleArn !== undefined)
    check('roleArn', typeof p.roleArn === 'string' && ROLE_ARN.test(p.roleArn), 'an IAM role ARN');
  const regions = p.stackRegions;
  if (regions !== undefined) {
    check(
      'stackRegions',
      typeof regions === 'object' &&
        regions !== null &&
        !Array.isArray(regions) &&
        Object.values(regions).every((r) => typeof r === 'string' && REGION.test(r)),
      'a map of stack name to AWS region',
    );
  }
  let policy: ChangeReviewPolicy | undefined;
  try {
    policy = parseChangeReviewPolicy(p.policy, 'policy');
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length || !policy) throw new Error(`Invalid change review parameters: ${problems.join('; ')}`);
  return {
    stage: p.stage as string,
    account: p.account as string,
    region: p.region as string,
    stackNames: p.stackNames as string[],
    ...(regions ? { stackRegions: regions as Record<string, string> } : {}),
    ...(p.roleArn ? { roleArn: p.roleArn as string } : {}),
    policy,
  };
}
