import type { ChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import { parseChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import {
  reviewRegions,
  type BreakGlassEntry,
  type ChangeReviewParameters,
} from '../../../../contracts/change-review-parameters';
import type { StageStackIdentity } from '../../../../contracts/stage-stacks';

const STAGE = /^[a-z][a-z0-9-]{0,31}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/;
const NAME_PREFIX = /^[A-Za-z][A-Za-z0-9-]{0,126}-$/;

function isStageStackIdentity(value: unknown): value is StageStackIdentity {
  if (!isMap(value)) return false;
  const { namePrefix, tags, regions } = value;
  return (
    typeof namePrefix === 'string' &&
    NAME_PREFIX.test(namePrefix) &&
    isMap(tags) &&
    Object.keys(tags).length > 0 &&
    Object.values(tags).every((v) => typeof v === 'string' && v.length > 0) &&
    Array.isArray(regions) &&
    regions.length > 0 &&
    regions.every((r) => typeof r === 'string' && REGION.test(r))
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  if (p.pipelineAccount !== undefined)
    check(
      'pipelineAccount',
      typeof p.pipelineAccount === 'string' && ACCOUNT.test(p.pipelineAccount),
      'a 12-digit account id',
    );
  const regions = p.stackRegions;
  if (regions !== undefined) {
    check(
      'stackRegions',
      isMap(regions) && Object.values(regions).every((r) => typeof r === 'string' && REGION.test(r)),
      'a map of stack name to AWS region',
    );
  }
  check(
    'stageStacks',
    isStageStackIdentity(p.stageStacks),
    'an object { namePrefix: "<Stage>-", tags: { <key>: <value> }, regions: [<region>, ...] } naming how the stage\'s stacks are recognised and where they may live',
  );
  const roleArns = p.roleArns;
  if (roleArns !== undefined) {
    if (
      !isMap(roleArns) ||
      !Object.entries(roleArns).every(([r, arn]) => REGION.test(r) && typeof arn === 'string' && ROLE_ARN.test(arn))
    ) {
      check('roleArns', false, 'a map of AWS region to IAM role ARN');
    } else if (problems.length === 0) {
      // A region without a role would be read with the step's own credentials, in the wrong account.
      const missing = reviewRegions({
        region: p.region as string,
        stackRegions: regions as Record<string, string> | undefined,
        stageStacks: p.stageStacks as StageStackIdentity,
      }).filter((r) => !(r in roleArns));
      if (missing.length)
        problems.push(
          `roleArns = ${JSON.stringify(roleArns)} has no role for ${missing.join(', ')}; expected one for every region a stack of the stage lives in or may have been left in`,
        );
    }
  }
  const breakGlass = p.breakGlass;
  if (breakGlass !== undefined) {
    check(
      'breakGlass',
      Array.isArray(breakGlass) &&
        breakGlass.every(
          (b) =>
            typeof b === 'object' &&
            b !== null &&
            ['guard', 'key', 'weakened', 'reason'].every(
              (field) =>
                typeof (b as Record<string, unknown>)[field] === 'string' &&
                (b as Record<string, string>)[field] !== '',
            ),
        ),
      'a list of { guard, key, weakened, reason } strings',
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
    stageStacks: p.stageStacks as StageStackIdentity,
    ...(roleArns ? { roleArns: roleArns as Record<string, string> } : {}),
    ...(p.pipelineAccount ? { pipelineAccount: p.pipelineAccount as string } : {}),
    policy,
    ...(Array.isArray(breakGlass) && breakGlass.length ? { breakGlass: breakGlass as BreakGlassEntry[] } : {}),
  };
}
