import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { parseReviewArgs, reviewParametersFromConfig, runReviewCommand } from '../../scripts/review-command';
import {
  ACCOUNT,
  answerStackListing,
  REGION,
  STACK_NAMES,
  stageIdentity,
  synthStage,
} from '../lambda/pipeline/change-review/fixtures/stage-assembly';
import { contextWith } from '../support/context';

const cfn = mockClient(CloudFormationClient);
const before = synthStage({ usersKey: 'pk' });
const keyChanged = synthStage({ usersKey: 'userId' });
const params =
  (failOnDrift = true) =>
  () => ({
    stage: 'prod',
    account: ACCOUNT,
    region: REGION,
    stackNames: STACK_NAMES,
    stageStacks: stageIdentity(),
    policy: { allowReplace: [], failOnDrift },
  });

function deployed() {
  answerStackListing(
    cfn,
    STACK_NAMES.map((name) => ({ name, region: REGION })),
  );
  for (const name of STACK_NAMES) {
    cfn
      .on(DescribeStacksCommand, { StackName: name })
      .resolves({ Stacks: [{ StackName: name, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfn.on(GetTemplateCommand, { StackName: name }).resolves({ TemplateBody: JSON.stringify(before.templates[name]) });
    cfn.on(DetectStackDriftCommand, { StackName: name }).resolves({ StackDriftDetectionId: 'd' });
  }
  cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({
    DetectionStatus: 'DETECTION_COMPLETE',
    StackDriftStatus: 'IN_SYNC',
    StackId: 's',
    StackDriftDetectionId: 'd',
    Timestamp: new Date(),
  });
}

let out: string[];
let err: string[];
const run = (argv: string[], extra = {}) =>
  runReviewCommand(argv, {
    parameters: params(),
    cloudFormation: (region) => new CloudFormationClient({ region }),
    checkCredentials: async () => undefined,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ...extra,
  });

beforeEach(() => {
  cfn.reset();
  out = [];
  err = [];
});

describe('npm run review', () => {
  it('prints the same report as the pipeline step and exits 0 when nothing would fail', async () => {
    deployed();
    expect(await run(['--stage', 'prod', '--assembly', before.dir])).toBe(0);
    expect(out.join('\n')).toContain('# Change review of prod: PASSED');
    expect(out.join('\n')).toContain('by the operator CLI');
  });

  it("exits 1 naming the table when a retained table's key schema changes", async () => {
    deployed();
    expect(await run(['--stage=prod', `--assembly=${keyChanged.dir}`])).toBe(1);
    expect(err.join('\n')).toMatch(
      /the prod change review FAILS:\n {2}- data loss: Prod-Stateful\/UsersTable\w+ \(AWS::DynamoDB::Table\) would be replaced/,
    );
  });

  it('reads cdk.out by default', async () => {
    deployed();
    expect(await run(['--stage', 'prod'], { cwd: '/nonexistent-dir' })).toBe(2);
    expect(err.join('\n')).toContain('/nonexistent-dir/cdk.out is not a cloud assembly (no manifest.json)');
  });

  it('fails with a clear message without credentials', async () => {
    const noCredentials = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    };
    expect(await run(['--stage', 'prod', '--assembly', before.dir], { checkCredentials: noCredentials })).toBe(2);
    expect(err.join('\n')).toContain(
      'review: no AWS credentials found (CredentialsProviderError: Could not load credentials from any providers). Sign in first',
    );
    expect(cfn.calls()).toHaveLength(0);
  });

  it('exits 2 (could not check, not a pass) when CloudFormation cannot be read', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('User is not authorized'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    expect(await run(['--stage', 'prod', '--assembly', before.dir])).toBe(2);
    expect(err.join('\n')).toContain('could not check: DescribeStacks Prod-Stateful failed: access denied');
  });

  it.each([
    [[], '--stage is required'],
    [['--stage'], '--stage needs a value'],
    [['--stage', 'prod', '--force'], 'unknown option --force'],
  ])('rejects %j with the usage', async (argv, message) => {
    expect(await run(argv)).toBe(64);
    expect(err.join('\n')).toContain(message);
    expect(err.join('\n')).toContain('Usage: npm run review');
  });

  it('prints the usage for --help and exits 0 without reading AWS', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(out.join('\n')).toContain('Usage: npm run review');
    expect(cfn.calls()).toHaveLength(0);
  });

  it('defaults --assembly to cdk.out', () => {
    expect(parseReviewArgs(['--stage', 'prod'])).toEqual({ stage: 'prod', assembly: 'cdk.out', verbose: false });
  });
});

describe('reviewParametersFromConfig', () => {
  it("reviews every stack of the stage from the config, with the operator's credentials unless a role is given", () => {
    const p = reviewParametersFromConfig(contextWith(), { stage: 'prod', assembly: 'cdk.out', verbose: false });
    expect(p).toEqual(expect.objectContaining({ stage: 'prod', account: '333333333333', region: 'eu-west-2' }));
    expect(p.stackNames).toEqual(expect.arrayContaining(['Prod-Stateful', 'Prod-Service']));
    expect(p.roleArns).toBeUndefined();
    expect(p.policy.failOnDrift).toBe(true);
  });

  it('assumes the --role-arn role for every region the stage lives in', () => {
    const roleArn = 'arn:aws:iam::333333333333:role/operator-read-only';
    // GIVEN a Prod with WAF (EdgeSecurity in us-east-1) and backup (DrVault in the DR region)
    const context = contextWith({
      'prod.region': 'eu-west-2',
      'prod.drRegion': 'eu-west-1',
      'prod.waf.enabled': true,
      'prod.backup.enabled': true,
    });
    const p = reviewParametersFromConfig(context, { stage: 'prod', assembly: 'cdk.out', verbose: false, roleArn });
    expect(p.roleArns).toEqual({ 'eu-west-2': roleArn, 'us-east-1': roleArn, 'eu-west-1': roleArn });
  });

  it('names the stages it knows when the stage is unknown', () => {
    expect(() =>
      reviewParametersFromConfig(contextWith(), { stage: 'qa', assembly: 'cdk.out', verbose: false }),
    ).toThrow('--stage qa is not one of dev, staging, prod');
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
