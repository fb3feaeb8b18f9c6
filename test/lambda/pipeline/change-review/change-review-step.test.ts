import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runChangeReviewStep } from '../../../../lambda/pipeline/change-review';
import { CHANGE_REVIEW_ENV } from '../../../../contracts/env-names';
import { createLogger } from '../../../../lambda/shared/logger';
import { ACCOUNT, answerStackListing, REGION, STACK_NAMES, stageIdentity, synthStage } from './fixtures/stage-assembly';

const cfn = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const sts = mockClient(STSClient);

const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const notFound = (stack: string) => awsError('ValidationError', `Stack with id ${stack} does not exist`, 400);

const PIPELINE_ACCOUNT = '222222222222';
/** The CDK bootstrap's lookup role in `region` of the stage account: `cdk bootstrap --trust` created it. */
const lookupRole = (region: string) => `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-lookup-role-${ACCOUNT}-${region}`;

function env(
  failOnDrift = true,
  allowReplace: unknown[] = [],
  stackRegions?: Record<string, string>,
): NodeJS.ProcessEnv {
  const regions = [REGION, ...Object.values(stackRegions ?? {})];
  return {
    AWS_REGION: REGION,
    [CHANGE_REVIEW_ENV.parameters]: JSON.stringify({
      stage: 'prod',
      account: ACCOUNT,
      region: REGION,
      stackNames: STACK_NAMES,
      ...(stackRegions ? { stackRegions } : {}),
      stageStacks: stageIdentity([...new Set(regions)]),
      roleArns: Object.fromEntries(regions.map((r) => [r, lookupRole(r)])),
      pipelineAccount: PIPELINE_ACCOUNT,
      policy: { allowReplace, failOnDrift },
    }),
    [CHANGE_REVIEW_ENV.reportBucket]: 'reports-bucket',
    [CHANGE_REVIEW_ENV.topicArn]: `arn:aws:sns:eu-west-2:${PIPELINE_ACCOUNT}:approvals`,
    [CHANGE_REVIEW_ENV.executionId]: 'exec-1',
    [CHANGE_REVIEW_ENV.commitId]: 'abc1234',
    [CHANGE_REVIEW_ENV.pipelineStage]: 'Prod',
    [CHANGE_REVIEW_ENV.actionName]: 'ChangeReview',
  };
}

/** The stage as deployed: every stack with `templates`, in sync, listed with the stage's tags. */
function deployed(templates: Record<string, Record<string, unknown>>, regions: Record<string, string> = {}) {
  answerStackListing(
    cfn,
    STACK_NAMES.map((name) => ({ name, region: regions[name] ?? REGION })),
  );
  for (const name of STACK_NAMES) {
    cfn
      .on(DescribeStacksCommand, { StackName: name })
      .resolves({ Stacks: [{ StackName: name, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfn.on(GetTemplateCommand, { StackName: name }).resolves({ TemplateBody: JSON.stringify(templates[name]) });
    cfn.on(DetectStackDriftCommand, { StackName: name }).resolves({ StackDriftDetectionId: `drift-${name}` });
    cfn.on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: `drift-${name}` }).resolves({
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'IN_SYNC',
      StackId: name,
      StackDriftDetectionId: `drift-${name}`,
      Timestamp: new Date(),
    });
  }
}

let output: string[];
/** The access key each region's CloudFormation client was made with. */
let clientKeys: Record<string, string | undefined>;
async function run(e: NodeJS.ProcessEnv, dir: string, maxSummaryBytes?: number): Promise<number> {
  output = [];
  clientKeys = {};
  return runChangeReviewStep({
    env: e,
    assemblyDir: dir,
    maxSummaryBytes,
    sts: new STSClient({ region: REGION }),
    s3: new S3Client({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
    cloudFormation: (region, credentials) => {
      clientKeys[region] = credentials?.accessKeyId;
      return new CloudFormationClient({ region, credentials });
    },
    out: (t) => output.push(t),
    log: createLogger({ stage: 'test' }, () => undefined),
    call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 3 },
    drift: { sleep: async () => undefined, pollIntervalMs: 1, timeoutMs: 1000 },
  });
}
const putBodies = () =>
  Object.fromEntries(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Key, String(c.args[0].input.Body)]));

const before = synthStage({ usersKey: 'pk' });
const sameAgain = synthStage({ usersKey: 'pk' });
const keyChanged = synthStage({ usersKey: 'userId' });

beforeEach(() => {
  for (const m of [cfn, s3, sns, sts]) m.reset();
  // As STS answers: a role that does not exist (or does not trust the caller) is refused...
  sts
    .on(AssumeRoleCommand)
    .rejects(
      awsError(
        'AccessDenied',
        `User: arn:aws:sts::${PIPELINE_ACCOUNT}:assumed-role/review/AWSCodeBuild is not authorized to perform: sts:AssumeRole`,
        403,
      ),
    );
  // ...and the lookup role of a bootstrapped region answers with credentials of its own.
  for (const region of [REGION, 'us-east-1'])
    sts.on(AssumeRoleCommand, { RoleArn: lookupRole(region) }).resolves({
      Credentials: {
        AccessKeyId: `AKIA${region.toUpperCase().replace(/-/g, '')}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(),
      },
    });
  // An account with no stack lists none.
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('The change review step', () => {
  it("passes with no change at all, reading each region through that region's CDK lookup role", async () => {
    deployed(before.templates, { 'Prod-Service': 'us-east-1' });
    expect(await run(env(true, [], { 'Prod-Service': 'us-east-1' }), sameAgain.dir)).toBe(0);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      lookupRole(REGION),
      lookupRole('us-east-1'),
    ]);
    expect(clientKeys).toEqual({ [REGION]: 'AKIAEUWEST2', 'us-east-1': 'AKIAUSEAST1' });
    expect(putBodies()['change-review/prod/exec-1/report.md']).toContain('No change.');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('fails, never skips, naming the role and the bootstrap command when a region is not bootstrapped, and still reports the data loss it could see', async () => {
    deployed(before.templates, { 'Prod-Service': 'us-east-1' });
    // GIVEN us-east-1 of the stage account was never bootstrapped: its lookup role does not exist
    sts
      .on(AssumeRoleCommand, { RoleArn: lookupRole('us-east-1') })
      .rejects(awsError('AccessDenied', 'is not authorized to perform: sts:AssumeRole', 403));
    // AND the commit replaces the retained table of the stack in the primary region
    expect(await run(env(true, [], { 'Prod-Service': 'us-east-1' }), keyChanged.dir)).toBe(1);
    const reason = putBodies()['failure-details/exec-1/Prod/ChangeReview.txt'].split('\n');
    expect(reason[0]).toMatch(
      /^data loss: Prod-Stateful\/UsersTable\w+ \(AWS::DynamoDB::Table\) would be replaced \(by a change to KeySchema\)/,
    );
    expect(reason[1]).toBe(
      `could not check: the change review cannot read stage prod in us-east-1: AssumeRole of ${lookupRole('us-east-1')} was refused (AccessDenied: is not authorized to perform: sts:AssumeRole). ` +
        "It is the CDK bootstrap's lookup role, which exists once the account is bootstrapped in that region trusting the pipeline account: " +
        `npx cdk bootstrap aws://${ACCOUNT}/us-east-1 --trust ${PIPELINE_ACCOUNT} --cloudformation-execution-policies <policy ARN> (see the README's roll-out). The review never runs without it.`,
    );
    expect(reason[2]).toMatch(/^Full report: https:\/\//);
    // Nothing of us-east-1 was read, with the refused role or any other credentials.
    expect(Object.keys(clientKeys)).toEqual([REGION]);
    const report = putBodies()['change-review/prod/exec-1/report.md'];
    expect(report).toContain('## Could not check');
    expect(report).toContain('- BLOCKED: Prod-Stateful/UsersTable');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('names the qualifier in the bootstrap command when the lookup role has another one', async () => {
    const e = env();
    const params = JSON.parse(e[CHANGE_REVIEW_ENV.parameters]!);
    const custom = `arn:aws:iam::${ACCOUNT}:role/cdk-tooling1-lookup-role-${ACCOUNT}-${REGION}`;
    e[CHANGE_REVIEW_ENV.parameters] = JSON.stringify({ ...params, roleArns: { [REGION]: custom } });
    expect(await run(e, sameAgain.dir)).toBe(1);
    expect(putBodies()['failure-details/exec-1/Prod/ChangeReview.txt']).toContain(
      `AssumeRole of ${custom} was refused (AccessDenied: User: arn:aws:sts::${PIPELINE_ACCOUNT}:assumed-role/review/AWSCodeBuild is not authorized to perform: sts:AssumeRole). ` +
        `It is the CDK bootstrap's lookup role, which exists once the account is bootstrapped in that region trusting the pipeline account: npx cdk bootstrap aws://${ACCOUNT}/${REGION} --trust ${PIPELINE_ACCOUNT} --qualifier tooling1 `,
    );
  });

  it('fails when the key schema of a retained table changes, naming the table, and leaves the reason for the execution notifier', async () => {
    deployed(before.templates);
    expect(await run(env(), keyChanged.dir)).toBe(1);
    const bodies = putBodies();
    const reason = bodies['failure-details/exec-1/Prod/ChangeReview.txt'];
    expect(reason).toMatch(
      /^data loss: Prod-Stateful\/UsersTable\w+ \(AWS::DynamoDB::Table\) would be replaced \(by a change to KeySchema\); it is retained \(DeletionPolicy Retain\)\nFull report: https:\/\//,
    );
    expect(bodies['change-review/prod/exec-1/report.md']).toContain('BLOCKED: Prod-Stateful/UsersTable');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('passes the same change when the stage config allows it, showing the reason in the report', async () => {
    deployed(before.templates);
    const logicalId = Object.keys(before.templates['Prod-Stateful'].Resources as object).find((id) =>
      id.startsWith('UsersTable'),
    )!;
    expect(
      await run(
        env(true, [{ logicalId: `Prod-Stateful/${logicalId}`, reason: 'Users are re-imported after the key change' }]),
        keyChanged.dir,
      ),
    ).toBe(0);
    expect(putBodies()['change-review/prod/exec-1/report.md']).toContain(
      'Reason: Users are re-imported after the key change',
    );
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toContain('allowed data loss');
  });

  it('fails with the reason, never passes, when CloudFormation keeps throttling', async () => {
    deployed(before.templates);
    cfn.on(GetTemplateCommand, { StackName: 'Prod-Service' }).rejects(awsError('Throttling', 'Rate exceeded', 400));
    expect(await run(env(), sameAgain.dir)).toBe(1);
    const reason = putBodies()['failure-details/exec-1/Prod/ChangeReview.txt'];
    expect(reason.split('\n')[0]).toBe(
      'could not check: GetTemplate Prod-Service failed: Throttling: Rate exceeded (still failing after 3 attempts)',
    );
    expect(cfn.commandCalls(GetTemplateCommand, { StackName: 'Prod-Service' })).toHaveLength(3);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails with the reason when CloudFormation answers access denied', async () => {
    deployed(before.templates);
    cfn
      .on(DescribeStacksCommand, { StackName: 'Prod-Stateful' })
      .rejects(awsError('AccessDenied', 'not authorized to perform cloudformation:DescribeStacks', 403));
    expect(await run(env(), sameAgain.dir)).toBe(1);
    expect(putBodies()['failure-details/exec-1/Prod/ChangeReview.txt']).toContain(
      'DescribeStacks Prod-Stateful failed: access denied',
    );
  });

  it('fails with the reason when drift detection fails', async () => {
    deployed(before.templates);
    cfn.on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'drift-Prod-Service' }).resolves({
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: 'Failed to detect drift on resource [WorkerRole]',
      StackId: 'x',
      StackDriftDetectionId: 'drift-Prod-Service',
      Timestamp: new Date(),
    });
    expect(await run(env(false), sameAgain.dir)).toBe(1);
    expect(putBodies()['failure-details/exec-1/Prod/ChangeReview.txt']).toContain(
      'drift detection of Prod-Service failed: Failed to detect drift on resource [WorkerRole]',
    );
  });

  it('reports the data loss it found when drift detection fails: both reasons reach the failure notifier', async () => {
    deployed(before.templates);
    cfn.on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'drift-Prod-Stateful' }).resolves({
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: 'Failed to detect drift on resource [UsersTable]',
      StackId: 'x',
      StackDriftDetectionId: 'drift-Prod-Stateful',
      Timestamp: new Date(),
    });
    expect(await run(env(false), keyChanged.dir)).toBe(1);
    const reason = putBodies()['failure-details/exec-1/Prod/ChangeReview.txt'].split('\n');
    expect(reason.slice(0, 2)).toEqual([
      expect.stringMatching(/^data loss: Prod-Stateful\/UsersTable\w+ \(AWS::DynamoDB::Table\) would be replaced/),
      'could not check: drift detection of Prod-Stateful failed: Failed to detect drift on resource [UsersTable]',
    ]);
    const report = putBodies()['change-review/prod/exec-1/report.md'];
    expect(report).toContain(
      '- drift detection of Prod-Stateful failed: Failed to detect drift on resource [UsersTable]',
    );
    expect(report).toContain('- BLOCKED: Prod-Stateful/UsersTable');
  });

  it('fails when drift detection throttles on every attempt', async () => {
    deployed(before.templates);
    cfn
      .on(DetectStackDriftCommand, { StackName: 'Prod-Stateful' })
      .rejects(awsError('Throttling', 'Rate exceeded', 400));
    expect(await run(env(false), sameAgain.dir)).toBe(1);
    expect(putBodies()['failure-details/exec-1/Prod/ChangeReview.txt']).toContain(
      'DetectStackDrift Prod-Stateful failed: Throttling',
    );
  });

  describe('with a drifted resource', () => {
    beforeEach(() => {
      deployed(before.templates);
      cfn.on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'drift-Prod-Service' }).resolves({
        DetectionStatus: 'DETECTION_COMPLETE',
        StackDriftStatus: 'DRIFTED',
        StackId: 'x',
        StackDriftDetectionId: 'drift-Prod-Service',
        Timestamp: new Date(),
      });
      cfn.on(DescribeStackResourceDriftsCommand, { StackName: 'Prod-Service' }).resolves({
        StackResourceDrifts: [
          {
            StackId: 'x',
            LogicalResourceId: 'Queue0',
            ResourceType: 'AWS::SQS::Queue',
            StackResourceDriftStatus: 'MODIFIED',
            Timestamp: new Date(),
            PropertyDifferences: [
              {
                PropertyPath: '/VisibilityTimeout',
                DifferenceType: 'NOT_EQUAL',
                ExpectedValue: '30',
                ActualValue: '60',
              },
            ],
          },
        ],
      });
    });

    it('fails the review where drift fails the stage', async () => {
      expect(await run(env(true), sameAgain.dir)).toBe(1);
      expect(putBodies()['failure-details/exec-1/Prod/ChangeReview.txt']).toContain(
        'drift: Prod-Service/Queue0 (AWS::SQS::Queue) is MODIFIED',
      );
    });

    it('only reports it where drift is reported only', async () => {
      expect(await run(env(false), sameAgain.dir)).toBe(0);
      expect(putBodies()['change-review/prod/exec-1/report.md']).toContain(
        'Prod-Service/Queue0 (AWS::SQS::Queue) MODIFIED: /VisibilityTimeout NOT_EQUAL',
      );
      expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toContain(
        'Drift (reported only):\n- Prod-Service/Queue0 (AWS::SQS::Queue) MODIFIED',
      );
    });
  });

  it('truncates a summary larger than the notification allows and still keeps the full report', async () => {
    for (const name of STACK_NAMES) cfn.on(DescribeStacksCommand, { StackName: name }).rejects(notFound(name));
    const big = synthStage({ usersKey: 'pk', queues: 40 });
    expect(await run(env(), big.dir, 1024)).toBe(0);
    const message = sns.commandCalls(PublishCommand)[0].args[0].input.Message!;
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(1024);
    expect(message).toMatch(/\.\.\. \d+ more lines left out: the notification limit is 1024 bytes/);
    expect(message).toContain('Full report: https://');
    const report = putBodies()['change-review/prod/exec-1/report.md'];
    for (let i = 0; i < 40; i++) expect(report).toMatch(new RegExp(`\\| added \\| Queue${i}[A-F0-9]{8} \\|`));
  });

  it('fails when the report cannot be kept', async () => {
    deployed(before.templates);
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'denied', 403));
    expect(await run(env(), sameAgain.dir)).toBe(1);
    expect(output.join('\n')).toContain('change review could not keep its report');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails with a clear message when the assembly lacks a stage stack', async () => {
    deployed(before.templates);
    const e = env();
    const params = JSON.parse(e[CHANGE_REVIEW_ENV.parameters]!);
    e[CHANGE_REVIEW_ENV.parameters] = JSON.stringify({ ...params, stackNames: [...STACK_NAMES, 'Prod-Backup'] });
    expect(await run(e, sameAgain.dir)).toBe(1);
    expect(output.join('\n')).toContain(`has no stack Prod-Backup for account ${ACCOUNT}`);
  });

  it('fails naming the variable when the action does not set it', async () => {
    const e = env();
    delete e[CHANGE_REVIEW_ENV.executionId];
    expect(await run(e, sameAgain.dir)).toBe(1);
    expect(output.join('\n')).toContain(`environment variable ${CHANGE_REVIEW_ENV.executionId} is not set`);
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
  s3.restore();
  sns.restore();
  sts.restore();
});
