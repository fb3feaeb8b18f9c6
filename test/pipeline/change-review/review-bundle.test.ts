import { execFileSync, execSync } from 'child_process';
import { writeFileSync } from 'fs';
import * as path from 'path';
import {
  CHANGE_REVIEW_BUNDLE_DIR,
  changeReviewBundleCommands,
} from '../../../lib/pipeline/change-review/change-review-step';
import { CHANGE_REVIEW_ENV } from '../../../contracts/env-names';
import {
  ACCOUNT,
  REGION,
  STACK_NAMES,
  stageIdentity,
  synthStage,
} from '../../lambda/pipeline/change-review/fixtures/stage-assembly';

const ROOT = path.join(__dirname, '..', '..', '..');

/**
 * Runs the bundle the synth step puts in the cloud assembly, in a plain `node` process as CodeBuild
 * does, with hand-made clients (the bundle carries its own SDK, so aws-sdk-client-mock cannot reach it).
 */
const DRIVER = `
const bundle = require(process.argv[2]);
const deployed = JSON.parse(process.argv[3]);
const puts = {};
const name = (cmd) => cmd.constructor.name.replace(/\\d+$/, '');
const client = (answer) => ({ send: async (cmd) => answer(name(cmd), cmd.input) });
const cfn = client((n, input) => {
  if (n === 'DescribeStacksCommand') return { Stacks: [{ StackName: input.StackName, StackStatus: 'UPDATE_COMPLETE' }] };
  if (n === 'GetTemplateCommand') return { TemplateBody: JSON.stringify(deployed[input.StackName]) };
  if (n === 'DetectStackDriftCommand') return { StackDriftDetectionId: 'd' };
  if (n === 'DescribeStackDriftDetectionStatusCommand') return { DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC' };
  throw new Error('unexpected ' + n);
});
bundle.runChangeReviewStep({
  assemblyDir: process.argv[4], cloudFormation: () => cfn, out: () => undefined, log: { info() {}, warn() {}, error() {}, debug() {}, child() { return this; } },
  sts: client(() => ({ Credentials: { AccessKeyId: 'a', SecretAccessKey: 'b', SessionToken: 'c' } })),
  s3: client((n, input) => { puts[input.Key] = String(input.Body); return {}; }),
  sns: client(() => ({ MessageId: 'm' })),
}).then((code) => process.stdout.write(JSON.stringify({ code, puts })));
`;

describe('The change review bundle', () => {
  const out = synthStage({ usersKey: 'userId' });
  const before = synthStage({ usersKey: 'pk' });
  for (const command of changeReviewBundleCommands(out.dir)) execSync(command, { cwd: ROOT, stdio: 'pipe' });
  const bundle = path.join(out.dir, CHANGE_REVIEW_BUNDLE_DIR, 'lib', 'review.js');

  it('runs as the CodeBuild step runs it and exits 1 naming a missing variable', () => {
    let status = 0;
    let stdout = '';
    try {
      execFileSync('node', [bundle], { cwd: out.dir, env: { PATH: process.env.PATH }, stdio: 'pipe' });
    } catch (error) {
      ({ status, stdout } = error as { status: number; stdout: string });
    }
    expect(status).toBe(1);
    expect(String(stdout)).toContain('environment variable AWS_REGION is not set');
  });

  it("loads the diff engine's resource database from the assembly and fails a replaced retained table", () => {
    const driver = path.join(out.dir, 'driver.js');
    writeFileSync(driver, DRIVER);
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: REGION,
      [CHANGE_REVIEW_ENV.parameters]: JSON.stringify({
        stage: 'prod',
        account: ACCOUNT,
        region: REGION,
        stackNames: STACK_NAMES,
        stageStacks: stageIdentity(),
        roleArns: { [REGION]: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-lookup-role-${ACCOUNT}-${REGION}` },
        policy: { allowReplace: [], failOnDrift: true },
      }),
      [CHANGE_REVIEW_ENV.reportBucket]: 'b',
      [CHANGE_REVIEW_ENV.topicArn]: 'arn:aws:sns:eu-west-2:222222222222:t',
      [CHANGE_REVIEW_ENV.executionId]: 'e1',
      [CHANGE_REVIEW_ENV.pipelineStage]: 'Prod',
      [CHANGE_REVIEW_ENV.actionName]: 'ChangeReview',
    };
    const result = JSON.parse(
      execFileSync('node', [driver, bundle, JSON.stringify(before.templates), out.dir], { env, encoding: 'utf8' }),
    );
    expect(result.code).toBe(1);
    expect(result.puts['failure-details/e1/Prod/ChangeReview.txt']).toMatch(
      /^data loss: Prod-Stateful\/UsersTable\w+ \(AWS::DynamoDB::Table\) would be replaced \(by a change to KeySchema\)/,
    );
  });
});
