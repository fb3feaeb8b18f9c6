import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { runChangeReviewStep } from '../../../../lambda/pipeline/change-review';
import { parseChangeReviewParameters } from '../../../../lambda/pipeline/private/change-review/change-review-parameters';
import { CHANGE_REVIEW_ENV } from '../../../../contracts/env-names';
import { createLogger } from '../../../../lambda/shared/logger';
import { ACCOUNT, answerStackListing, REGION, STACK_NAMES, stageIdentity, synthStage } from './fixtures/stage-assembly';

const cfn = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);

const BREAK_GLASS = [
  {
    guard: 'retainData',
    key: 'prod.breakGlass.retainData',
    weakened: 'prod.retainData = false',
    reason: 'INC-1234: rebuild the tables from the export, approved by the data owner',
  },
  {
    guard: 'bake',
    key: 'prod.breakGlass.bake',
    weakened: 'prod.delivery.bakeTimeMinutes = 0',
    reason: 'CHG-77: hotfix during the incident, the on-call lead watches the alarms',
  },
];

const parameters = (breakGlass?: unknown) => ({
  stage: 'prod',
  account: ACCOUNT,
  region: REGION,
  stackNames: STACK_NAMES,
  stageStacks: stageIdentity(),
  policy: { allowReplace: [], failOnDrift: true },
  ...(breakGlass === undefined ? {} : { breakGlass }),
});

const assembly = synthStage({ usersKey: 'pk' });

beforeEach(() => {
  for (const m of [cfn, s3, sns]) m.reset();
  // A first run: no stack of the stage exists yet, as CloudFormation answers for a missing stack.
  answerStackListing(cfn, []);
  for (const name of STACK_NAMES) {
    cfn.on(DescribeStacksCommand, { StackName: name }).rejects(
      Object.assign(new Error(`Stack with id ${name} does not exist`), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
  }
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

async function review(
  breakGlass?: unknown,
): Promise<{ code: number; report: string; subject: string; message: string }> {
  const code = await runChangeReviewStep({
    env: {
      AWS_REGION: REGION,
      [CHANGE_REVIEW_ENV.parameters]: JSON.stringify(parameters(breakGlass)),
      [CHANGE_REVIEW_ENV.reportBucket]: 'reports-bucket',
      [CHANGE_REVIEW_ENV.topicArn]: 'arn:aws:sns:eu-west-2:222222222222:approvals',
      [CHANGE_REVIEW_ENV.executionId]: 'exec-1',
      [CHANGE_REVIEW_ENV.pipelineStage]: 'ApproveProd',
      [CHANGE_REVIEW_ENV.actionName]: 'ChangeReview',
    },
    assemblyDir: assembly.dir,
    s3: new S3Client({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
    cloudFormation: (region) => new CloudFormationClient({ region }),
    out: () => undefined,
    log: createLogger({ stage: 'test' }, () => undefined),
    call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 },
  });
  const report = s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input)
    .find((i) => i.Key === 'change-review/prod/exec-1/report.md');
  const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
  return {
    code,
    report: String(report?.Body ?? ''),
    subject: publish?.Subject ?? '',
    message: publish?.Message ?? '',
  };
}

describe('The change review of a production stage under break-glass', () => {
  it('shows each break-glass in the report, with the weakened key, the break-glass key and the reason', async () => {
    const { code, report } = await review(BREAK_GLASS);
    expect(code).toBe(0);
    expect(report).toContain('## BREAK-GLASS: production guards weakened');
    expect(report).toContain(
      '- retainData: prod.retainData = false (prod.breakGlass.retainData). Reason: INC-1234: rebuild the tables from the export, approved by the data owner',
    );
    expect(report).toContain(
      '- bake: prod.delivery.bakeTimeMinutes = 0 (prod.breakGlass.bake). Reason: CHG-77: hotfix during the incident, the on-call lead watches the alarms',
    );
    // Before the data-loss section, where an approver starts reading.
    expect(report.indexOf('## BREAK-GLASS')).toBeLessThan(report.indexOf('## Data loss'));
  });

  it("puts it in the approvers' summary: in the subject, and each one near the top of the message", async () => {
    const { subject, message } = await review(BREAK_GLASS);
    expect(subject).toMatch(/^\[change review passed, BREAK-GLASS\] prod: /);
    const lines = message.split('\n');
    expect(lines.slice(0, 6)).toEqual(
      expect.arrayContaining([
        'BREAK-GLASS: prod is a production stage that goes without these guards:',
        expect.stringMatching(
          /^- retainData: prod\.retainData = false \(prod\.breakGlass\.retainData\)\. Reason: INC-1234/,
        ),
        expect.stringMatching(
          /^- bake: prod\.delivery\.bakeTimeMinutes = 0 \(prod\.breakGlass\.bake\)\. Reason: CHG-77/,
        ),
      ]),
    );
  });

  it('says nothing of break-glass when none is in use', async () => {
    const { code, report, subject, message } = await review();
    expect(code).toBe(0);
    expect(report).not.toContain('BREAK-GLASS');
    expect(subject).toMatch(/^\[change review passed\] prod: /);
    expect(message).not.toContain('BREAK-GLASS');
  });
});

describe('The change review parameters', () => {
  it('carry the break-glass list as given', () => {
    expect(parseChangeReviewParameters(parameters(BREAK_GLASS)).breakGlass).toEqual(BREAK_GLASS);
    expect(parseChangeReviewParameters(parameters()).breakGlass).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['not a list', 'retainData'],
    ['an entry without a reason', [{ guard: 'bake', key: 'prod.breakGlass.bake', weakened: 'x' }]],
    ['an entry with an empty field', [{ ...BREAK_GLASS[0], reason: '' }]],
  ])('refuse a break-glass list that is %s', (_case, breakGlass) => {
    expect(() => parseChangeReviewParameters(parameters(breakGlass))).toThrow(
      'is not a list of { guard, key, weakened, reason } strings',
    );
  });
});
