/**
 * The first change review of a stage, against an empty stage account: CloudFormation, S3 and SNS are
 * moto_server (an AWS API emulator on a loopback port), where no stack of the stage exists. STS is mocked
 * as AWS answers, because moto's AssumeRole returns credentials even for a role that does not exist: the
 * CDK bootstrap's lookup roles exist (`cdk bootstrap --trust`), every other role is refused (AccessDenied).
 * Starts moto_server.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runChangeReviewStep } from '../../../../lambda/pipeline/change-review';
import { CHANGE_REVIEW_ENV } from '../../../../contracts/env-names';
import { createLogger } from '../../../../lambda/shared/logger';
import type { MotoServer } from '../../../../support/moto';
import { MOTO_CREDENTIALS, startMoto } from '../../../../support/moto';
import { ACCOUNT, REGION, STACK_NAMES, stageIdentity, synthStage } from './fixtures/stage-assembly';

const PIPELINE_ACCOUNT = '222222222222';
const EDGE_REGION = 'us-east-1';
const lookupRole = (region: string) => `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-lookup-role-${ACCOUNT}-${region}`;
const sts = mockClient(STSClient);
const assembly = synthStage({ usersKey: 'pk' });

let moto: MotoServer;
let topicArn: string;
const emulated = <T>(Client: new (config: object) => T, region = REGION) =>
  new Client({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });

beforeAll(async () => {
  moto = await startMoto();
  await emulated(S3Client).send(
    new CreateBucketCommand({ Bucket: 'reports-bucket', CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  topicArn = (await emulated(SNSClient).send(new CreateTopicCommand({ Name: 'approvals' }))).TopicArn!;
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).rejects(
    Object.assign(
      new Error(
        `User: arn:aws:sts::${PIPELINE_ACCOUNT}:assumed-role/review/AWSCodeBuild is not authorized to perform: sts:AssumeRole`,
      ),
      {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      },
    ),
  );
  for (const region of [REGION, EDGE_REGION])
    sts.on(AssumeRoleCommand, { RoleArn: lookupRole(region) }).resolves({
      Credentials: { AccessKeyId: `lookup-${region}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
    });
});

/** Runs the step as the pipeline's CodeBuild action does, with Prod-Service in us-east-1. */
async function review(executionId: string, roleArns: Record<string, string>) {
  const out: string[] = [];
  const readers: Record<string, string | undefined> = {};
  const env = {
    AWS_REGION: REGION,
    [CHANGE_REVIEW_ENV.parameters]: JSON.stringify({
      stage: 'prod',
      account: ACCOUNT,
      region: REGION,
      stackNames: STACK_NAMES,
      stackRegions: { 'Prod-Service': EDGE_REGION },
      stageStacks: stageIdentity([REGION, EDGE_REGION]),
      roleArns,
      pipelineAccount: PIPELINE_ACCOUNT,
      policy: { allowReplace: [], failOnDrift: true },
    }),
    [CHANGE_REVIEW_ENV.reportBucket]: 'reports-bucket',
    [CHANGE_REVIEW_ENV.topicArn]: topicArn,
    [CHANGE_REVIEW_ENV.executionId]: executionId,
    [CHANGE_REVIEW_ENV.pipelineStage]: 'ApproveProd',
    [CHANGE_REVIEW_ENV.actionName]: 'ChangeReview',
  };
  const code = await runChangeReviewStep({
    env,
    assemblyDir: assembly.dir,
    sts: new STSClient({ region: REGION }),
    s3: emulated(S3Client),
    sns: emulated(SNSClient),
    cloudFormation: (region, credentials) => {
      // The emulator takes any key; which one the step chose shows which role it reads through.
      readers[region] = credentials?.accessKeyId;
      return emulated(CloudFormationClient, region);
    },
    out: (t) => out.push(t),
    log: createLogger({ stage: 'test' }, () => undefined),
    // The emulator's first call to a service loads that service, which can take seconds on a busy machine.
    call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 2, timeoutMs: 60_000 },
  });
  const read = async (key: string) => {
    try {
      const object = await emulated(S3Client).send(new GetObjectCommand({ Bucket: 'reports-bucket', Key: key }));
      return await object.Body!.transformToString();
    } catch {
      return undefined;
    }
  };
  return { code, out: out.join('\n'), readers, read };
}

describe('The first change review of a stage, in an account that holds only the CDK bootstrap', () => {
  it('passes, reading every region through its lookup role, and says every stack is an addition', async () => {
    const run = await review('first-execution', {
      [REGION]: lookupRole(REGION),
      [EDGE_REGION]: lookupRole(EDGE_REGION),
    });
    expect({ code: run.code, out: run.code === 0 ? '' : run.out }).toEqual({ code: 0, out: '' });
    expect(run.readers).toEqual({ [REGION]: `lookup-${REGION}`, [EDGE_REGION]: `lookup-${EDGE_REGION}` });
    const report = await run.read('change-review/prod/first-execution/report.md');
    expect(report).toContain('# Change review of prod: PASSED');
    expect(report).toContain(
      'First deployment of prod: none of its stacks exists yet, so every resource is an addition, nothing can be lost and nothing can drift.',
    );
    expect(report).toContain(`## Prod-Stateful (${REGION}) - not deployed yet: everything is added`);
    expect(report).toContain(`## Prod-Service (${EDGE_REGION}) - not deployed yet: everything is added`);
    expect(report).toMatch(/\| added \| UsersTable\w+ \| AWS::DynamoDB::Table \| WILL_CREATE \|/);
    expect(report).toContain('- Prod-Stateful: not deployed, nothing to detect');
  });

  it('fails, naming the refused role, when it reads through a role nothing has created yet', async () => {
    // The review as it was: a role of the stage that its Service stack creates after the review.
    const stageRole = `arn:aws:iam::${ACCOUNT}:role/uk-home-improvement-prod-pipeline-change-review`;
    const run = await review('deadlocked-execution', { [REGION]: stageRole, [EDGE_REGION]: lookupRole(EDGE_REGION) });
    expect(run.code).toBe(1);
    const reason = await run.read('failure-details/deadlocked-execution/ApproveProd/ChangeReview.txt');
    expect(reason).toContain(
      `AssumeRole of ${stageRole} was refused (AccessDenied: User: arn:aws:sts::${PIPELINE_ACCOUNT}:assumed-role/review/AWSCodeBuild is not authorized to perform: sts:AssumeRole)`,
    );
    expect(reason).toContain(
      `The role must exist in account ${ACCOUNT} and trust the caller; the review never runs without it.`,
    );
    // Nothing of the refused region is read with other credentials; the report says what was not checked.
    expect(Object.keys(run.readers)).toEqual([EDGE_REGION]);
    const report = await run.read('change-review/prod/deadlocked-execution/report.md');
    expect(report).toContain('# Change review of prod: FAILED');
    expect(report).toContain(`## Could not check`);
    expect(report).toContain(
      `- the change review cannot read stage prod in ${REGION}: AssumeRole of ${stageRole} was refused`,
    );
  });
});
