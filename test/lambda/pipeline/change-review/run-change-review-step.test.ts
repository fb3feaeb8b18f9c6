import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CHANGE_REVIEW_ENV } from '../../../../contracts/env-names';
import { runChangeReviewStep } from '../../../../lambda/pipeline/change-review';
import { createLogger } from '../../../../lambda/shared/logger';
import type { DeployedStackState } from './fixtures/hand-assembly';
import { ACCOUNT, answerDeployed, REGION, TAGS, writeAssembly } from './fixtures/hand-assembly';
import { queue, table, template } from './fixtures/templates';

const cfn = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const sts = mockClient(STSClient);

const PIPELINE_ACCOUNT = '222222222222';
const LOOKUP_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-lookup-role-${ACCOUNT}-${REGION}`;
const TOPIC = `arn:aws:sns:${REGION}:${PIPELINE_ACCOUNT}:approvals`;
const FAILURE_KEY = 'failure-details/exec-1/Prod/ChangeReview.txt';
const REPORT_KEY = 'change-review/prod/exec-1/report.md';
const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

function env(over: Record<string, string | undefined> = {}, allowReplace: unknown[] = []): NodeJS.ProcessEnv {
  return {
    AWS_REGION: REGION,
    [CHANGE_REVIEW_ENV.parameters]: JSON.stringify({
      stage: 'prod',
      account: ACCOUNT,
      region: REGION,
      stackNames: ['Prod-Stateful', 'Prod-Service'],
      stageStacks: { namePrefix: 'Prod-', tags: TAGS, regions: [REGION] },
      roleArns: { [REGION]: LOOKUP_ROLE },
      pipelineAccount: PIPELINE_ACCOUNT,
      policy: { allowReplace, failOnDrift: true },
    }),
    [CHANGE_REVIEW_ENV.reportBucket]: 'reports-bucket',
    [CHANGE_REVIEW_ENV.topicArn]: TOPIC,
    [CHANGE_REVIEW_ENV.executionId]: 'exec-1',
    [CHANGE_REVIEW_ENV.commitId]: 'abc1234',
    [CHANGE_REVIEW_ENV.pipelineStage]: 'Prod',
    [CHANGE_REVIEW_ENV.actionName]: 'ChangeReview',
    ...over,
  };
}

const ASSEMBLY = {
  'Prod-Stateful': { template: template({ UsersTable: table('userId') }) },
  'Prod-Service': { template: template({ Jobs: queue('jobs') }) },
};
const SAME: Record<string, DeployedStackState> = {
  'Prod-Stateful': { template: template({ UsersTable: table('userId') }) },
  'Prod-Service': { template: template({ Jobs: queue('jobs') }) },
};
const KEY_CHANGED: Record<string, DeployedStackState> = {
  ...SAME,
  'Prod-Stateful': { template: template({ UsersTable: table('pk') }) },
};

let output: string[];
let clientKeys: Record<string, string | undefined>;
async function run(e: NodeJS.ProcessEnv, deployed: Record<string, DeployedStackState> = SAME): Promise<number> {
  answerDeployed(cfn, deployed);
  output = [];
  clientKeys = {};
  return runChangeReviewStep({
    env: e,
    assemblyDir: writeAssembly(ASSEMBLY),
    sts: new STSClient({ region: REGION }),
    s3: new S3Client({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
    cloudFormation: (region, credentials) => {
      clientKeys[region] = credentials?.accessKeyId;
      return new CloudFormationClient({ region, credentials });
    },
    out: (t) => output.push(t),
    log: createLogger({ stage: 'test' }, () => undefined),
    call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 },
    drift: { sleep: async () => undefined, pollIntervalMs: 1, timeoutMs: 1000 },
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
}
const puts = () =>
  Object.fromEntries(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Key, c.args[0].input] as const));

beforeEach(() => {
  for (const m of [cfn, s3, sns, sts]) m.reset();
  sts.on(AssumeRoleCommand, { RoleArn: LOOKUP_ROLE }).resolves({
    Credentials: {
      AccessKeyId: 'ASIALOOKUP',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(),
    },
  });
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterAll(() => {
  for (const m of [cfn, s3, sns, sts]) m.restore();
});

describe('runChangeReviewStep', () => {
  it('passes: keeps the report (Markdown and JSON), publishes the summary to the approvers, exits 0', async () => {
    expect(await run(env())).toBe(0);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: LOOKUP_ROLE,
      RoleSessionName: 'change-review-exec-1',
    });
    expect(clientKeys).toEqual({ [REGION]: 'ASIALOOKUP' });
    const kept = puts();
    expect(Object.keys(kept).sort()).toEqual(['change-review/prod/exec-1/report.json', REPORT_KEY]);
    expect(kept[REPORT_KEY]).toEqual(
      expect.objectContaining({ Bucket: 'reports-bucket', ContentType: 'text/markdown; charset=utf-8' }),
    );
    expect(String(kept[REPORT_KEY].Body)).toContain('# Change review of prod: PASSED');
    expect(String(kept[REPORT_KEY].Body)).toContain('commit abc1234, execution exec-1');
    expect(kept['change-review/prod/exec-1/report.json'].ContentType).toBe('application/json');
    expect(JSON.parse(String(kept['change-review/prod/exec-1/report.json'].Body))).toEqual(
      expect.objectContaining({
        stage: 'prod',
        passed: true,
        origin: { source: 'pipeline', executionId: 'exec-1', commit: 'abc1234' },
      }),
    );
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: expect.stringContaining('[change review passed] prod') as unknown,
      Message: expect.stringContaining(
        `Full report: https://${REGION}.console.aws.amazon.com/s3/object/reports-bucket?region=${REGION}&prefix=${REPORT_KEY}`,
      ) as unknown,
    });
    expect(output[0]).toContain('# Change review of prod: PASSED');
  });

  it('fails: leaves each reason and the report link for the execution notifier, never notifies, exits 1', async () => {
    expect(await run(env(), KEY_CHANGED)).toBe(1);
    const failure = puts()[FAILURE_KEY];
    expect(failure.ContentType).toBe('text/plain; charset=utf-8');
    expect(String(failure.Body).split('\n')).toEqual([
      'data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)',
      expect.stringMatching(
        /^Full report: https:\/\/eu-west-2\.console\.aws\.amazon\.com\/s3\/object\/reports-bucket\?/,
      ),
    ]);
    expect(puts()[REPORT_KEY]).toBeDefined();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('leaves out the commit when the pipeline passes none', async () => {
    expect(await run(env({ [CHANGE_REVIEW_ENV.commitId]: '' }))).toBe(0);
    expect(JSON.parse(String(puts()['change-review/prod/exec-1/report.json'].Body)).origin).toEqual({
      source: 'pipeline',
      executionId: 'exec-1',
    });
  });

  it.each([
    'AWS_REGION',
    CHANGE_REVIEW_ENV.reportBucket,
    CHANGE_REVIEW_ENV.executionId,
    CHANGE_REVIEW_ENV.pipelineStage,
    CHANGE_REVIEW_ENV.actionName,
  ])('cannot run without %s: says which variable the CodeBuild action must set, exits 1', async (name) => {
    expect(await run(env({ [name]: undefined }))).toBe(1);
    expect(output).toEqual([
      `change review could not run: environment variable ${name} is not set; the change review step's CodeBuild action must set it`,
    ]);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('fails with the parameters problem, left for the execution notifier, when the parameters are invalid', async () => {
    expect(await run(env({ [CHANGE_REVIEW_ENV.parameters]: JSON.stringify({ stage: 'Prod' }) }))).toBe(1);
    expect(output[0]).toMatch(/^change review could not run: Error: Invalid change review parameters: stage = "Prod"/);
    expect(String(puts()[FAILURE_KEY].Body)).toBe(output[0]);
    expect(await run(env({ [CHANGE_REVIEW_ENV.parameters]: undefined }))).toBe(1);
    expect(output[0]).toContain(`environment variable ${CHANGE_REVIEW_ENV.parameters} is not set`);
  });

  it('fails naming the bootstrap command when the lookup role is refused, as STS refuses a missing role', async () => {
    sts.reset();
    sts
      .on(AssumeRoleCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:sts::${PIPELINE_ACCOUNT}:assumed-role/review/AWSCodeBuild is not authorized to perform: sts:AssumeRole`,
          403,
        ),
      );
    expect(await run(env())).toBe(1);
    const reasons = String(puts()[FAILURE_KEY].Body);
    expect(reasons).toContain(`could not check: the change review cannot read stage prod in ${REGION}`);
    expect(reasons).toContain(`npx cdk bootstrap aws://${ACCOUNT}/${REGION} --trust ${PIPELINE_ACCOUNT}`);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('fails when it cannot keep its report, and says so', async () => {
    s3.on(PutObjectCommand, { Key: REPORT_KEY }).rejects(awsError('AccessDenied', 'Access Denied', 403));
    expect(await run(env())).toBe(1);
    expect(output).toContain(
      `change review could not keep its report: PutObject s3://reports-bucket/${REPORT_KEY} failed: access denied (AccessDenied: Access Denied); check the stage's check role policy`,
    );
    expect(String(puts()[FAILURE_KEY].Body)).toMatch(/^change review could not keep its report: /);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails when the approvers cannot be notified, leaving the reason', async () => {
    sns.on(PublishCommand).rejects(awsError('NotFound', 'Topic does not exist', 404));
    expect(await run(env())).toBe(1);
    expect(output.at(-1)).toBe(
      'change review could not notify the approvers: Publish change review summary failed: NotFound: Topic does not exist',
    );
    expect(String(puts()[FAILURE_KEY].Body)).toBe(output.at(-1));
    expect(await run(env({ [CHANGE_REVIEW_ENV.topicArn]: undefined }))).toBe(1);
    expect(output.at(-1)).toContain(`environment variable ${CHANGE_REVIEW_ENV.topicArn} is not set`);
  });

  it('says so when even the failure reason cannot be left', async () => {
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    expect(await run(env(), KEY_CHANGED)).toBe(1);
    expect(output.at(-1)).toMatch(
      /^could not leave the failure reason for the execution notifier: PutObject s3:\/\/reports-bucket\/failure-details\/exec-1\/Prod\/ChangeReview\.txt failed: access denied/,
    );
  });
});

describe('runChangeReviewStep: its clients, seams and defaults', () => {
  const base = {
    call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 },
    drift: { sleep: async () => undefined, pollIntervalMs: 1, timeoutMs: 1000 },
  };
  const quiet = { out: () => undefined, log: createLogger({ stage: 'test' }, () => undefined) };

  beforeEach(() => answerDeployed(cfn, SAME));

  it('sends through the clients it is given, each call with a signal that aborts it at its timeout', async () => {
    const clients = {
      sts: new STSClient({ region: REGION }),
      s3: new S3Client({ region: REGION }),
      sns: new SNSClient({ region: REGION }),
    };
    const made: CloudFormationClient[] = [];
    const code = await runChangeReviewStep({
      ...base,
      ...quiet,
      ...clients,
      env: env(),
      assemblyDir: writeAssembly(ASSEMBLY),
      cloudFormation: (region, credentials) => {
        made.push(new CloudFormationClient({ region, credentials }));
        return made[made.length - 1];
      },
    });
    expect(code).toBe(0);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.thisValue)).toEqual([clients.sts]);
    const s3Calls = s3.commandCalls(PutObjectCommand);
    expect(s3Calls).toHaveLength(2);
    const snsCalls = sns.commandCalls(PublishCommand);
    expect(snsCalls).toHaveLength(1);
    for (const c of s3Calls) expect(c.thisValue).toBe(clients.s3);
    expect(snsCalls[0].thisValue).toBe(clients.sns);
    for (const c of [...s3Calls, ...snsCalls])
      expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
    // One CloudFormation client for the region, however many of its stacks the review reads.
    expect(made).toHaveLength(1);
    expect(cfn.calls().length).toBeGreaterThan(1);
    for (const c of cfn.calls()) expect(c.thisValue).toBe(made[0]);
  });

  it("without clients, makes them in the step's region, CloudFormation with the lookup role's credentials", async () => {
    expect(await runChangeReviewStep({ ...base, ...quiet, env: env(), assemblyDir: writeAssembly(ASSEMBLY) })).toBe(0);
    const [assume] = sts.commandCalls(AssumeRoleCommand);
    const [put] = s3.commandCalls(PutObjectCommand);
    const [publish] = sns.commandCalls(PublishCommand);
    for (const c of [assume, put, publish]) expect(await (c.thisValue as STSClient).config.region()).toBe(REGION);
    const describe = cfn.calls()[0].thisValue as CloudFormationClient;
    expect(await describe.config.region()).toBe(REGION);
    expect(await describe.config.credentials()).toEqual(expect.objectContaining({ accessKeyId: 'ASIALOOKUP' }));
  });

  it('dates the report with the clock it is given, and cuts the summary to the size it is given', async () => {
    const code = await runChangeReviewStep({
      ...base,
      ...quiet,
      env: env(),
      assemblyDir: writeAssembly(ASSEMBLY),
      now: () => new Date('2026-01-02T03:04:05Z'),
      maxSummaryBytes: 300,
    });
    expect(code).toBe(0);
    expect(String(puts()[REPORT_KEY].Body)).toContain('Generated 2026-01-02T03:04:05.000Z by the pipeline');
    const message = sns.commandCalls(PublishCommand)[0].args[0].input.Message!;
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(300);
    expect(message).toContain('the notification limit is 300 bytes');
  });

  it('without a logger, logs the kept report and the published summary as JSON lines with the stage on stderr', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        await runChangeReviewStep({ ...base, out: () => undefined, env: env(), assemblyDir: writeAssembly(ASSEMBLY) }),
      ).toBe(0);
      const logged = stderr.mock.calls.map(([line]) => String(line)).filter((l) => l.startsWith('{'));
      for (const l of logged) expect(l.endsWith('}\n')).toBe(true);
      const entries = logged.map((l) => JSON.parse(l));
      expect(entries).toContainEqual(
        expect.objectContaining({
          level: 'info',
          stage: 'prod',
          component: 'change-review',
          message: 'report kept',
          bucket: 'reports-bucket',
          key: REPORT_KEY,
          passed: true,
        }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          stage: 'prod',
          component: 'change-review',
          message: 'summary published',
          truncated: false,
        }),
      );
    } finally {
      stderr.mockRestore();
    }
  });

  it('without an output seam, prints why it could not run to standard output, the build log', async () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runChangeReviewStep({ env: {} })).toBe(1);
      expect(stdout.mock.calls.map(([text]) => String(text))).toContain(
        "change review could not run: environment variable AWS_REGION is not set; the change review step's CodeBuild action must set it\n",
      );
    } finally {
      stdout.mockRestore();
    }
  });
});
