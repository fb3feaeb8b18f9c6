import { App, Stack, Stage } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as cpactions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type {
  CodePipelineActionFactoryResult,
  ICodePipelineActionFactory,
  ProduceActionOptions,
} from 'aws-cdk-lib/pipelines';
import { CodeBuildStep, CodePipeline, CodePipelineSource, ShellStep, Step } from 'aws-cdk-lib/pipelines';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { walkFirstRun } from '../../../lib/pipeline/first-run/first-run-walk';

const PIPELINE_ACCOUNT = '999999999999';
const STAGE_ACCOUNT = '333333333333';
const READER = `arn:aws:iam::${STAGE_ACCOUNT}:role/reader`;
const ALARM = `arn:aws:cloudwatch:eu-west-2:${STAGE_ACCOUNT}:alarm:stage-unhealthy`;
const NO_ALARM = `arn:aws:cloudwatch:eu-west-2:${STAGE_ACCOUNT}:alarm:nobody-creates-this`;

/** A Lambda invoke action that passes `userParameters` (as the pipeline's check steps do). */
class InvokeStep extends Step implements ICodePipelineActionFactory {
  constructor(
    id: string,
    private readonly fn: lambda.IFunction,
    private readonly userParameters: Record<string, unknown>,
  ) {
    super(id);
  }

  produceAction(stage: codepipeline.IStage, options: ProduceActionOptions): CodePipelineActionFactoryResult {
    stage.addAction(
      new cpactions.LambdaInvokeAction({
        actionName: options.actionName,
        runOrder: options.runOrder,
        lambda: this.fn,
        userParameters: this.userParameters,
      }),
    );
    return { runOrdersConsumed: 1 };
  }
}

/** A CloudWatchAlarm rule reading `alarm` through the stage's reader role. */
const alarmRule = (name: string, alarm: string) => ({
  Name: name,
  RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
  Configuration: { AlarmName: alarm, AlarmStates: 'ALARM', WaitTime: '5' },
  Region: 'eu-west-2',
  RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${STAGE_ACCOUNT}:role/reader`]] },
});

/**
 * A pipeline whose Prod stage deploys a Service stack (through a change set: Prepare, then Deploy) that
 * creates the role `reader` and the alarm `stage-unhealthy`; steps and rules use them before and after.
 */
function synthPipeline(): CloudAssembly {
  const app = new App();
  const stack = new Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'eu-west-2' } });
  const source = CodePipelineSource.connection('example-org/repo', 'main', {
    connectionArn: `arn:aws:codeconnections:eu-west-2:${PIPELINE_ACCOUNT}:connection/00000000-0000-4000-8000-000000000000`,
  });
  const pipeline = new CodePipeline(stack, 'Pipeline', {
    synth: new ShellStep('Synth', { input: source, commands: ['npx cdk synth'] }),
    crossAccountKeys: true,
    selfMutation: false,
  });
  const fn = new lambda.Function(stack, 'Check', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  const prod = new Stage(app, 'Prod', { env: { account: STAGE_ACCOUNT, region: 'eu-west-2' } });
  const service = new Stack(prod, 'Service', { stackName: 'Prod-Service' });
  new iam.Role(service, 'Reader', { roleName: 'reader', assumedBy: new iam.AccountPrincipal(PIPELINE_ACCOUNT) });
  new cloudwatch.Alarm(service, 'StageUnhealthy', {
    alarmName: 'stage-unhealthy',
    metric: new cloudwatch.Metric({ namespace: 'Example', metricName: 'Errors' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  // A file asset, as the platform's Lambda code is: the pipeline publishes it in its Assets stage.
  new s3assets.Asset(service, 'Code', { path: __filename });
  pipeline.addWave('Early', {
    pre: [new CodeBuildStep('ReviewEarly', { commands: ['true'], env: { ROLE_ARN: READER } })],
  });
  pipeline.addStage(prod, {
    pre: [new InvokeStep('InvokeBefore', fn, { roleArn: READER })],
    post: [
      new InvokeStep('InvokeAfter', fn, { roleArn: READER }),
      new CodeBuildStep('ReviewAfter', { commands: ['true'], env: { ROLE_ARN: READER } }),
    ],
  });
  pipeline.buildPipeline();
  const prodStage = pipeline.pipeline.stages.find((s) => s.stageName === 'Prod')!;
  // An action that runs in parallel with the deploy (same RunOrder): it cannot use what the deploy creates.
  prodStage.addAction(
    new cpactions.LambdaInvokeAction({
      actionName: 'InvokeAlongside',
      runOrder: prodStage.actions.find((a) => a.actionProperties.actionName === 'Service.Deploy')!.actionProperties
        .runOrder,
      lambda: fn,
      userParameters: { roleArn: READER },
    }),
  );
  const cfn = pipeline.pipeline.node.defaultChild as codepipeline.CfnPipeline;
  const prodIndex = pipeline.pipeline.stages.indexOf(prodStage);
  const conditions = (rules: object[]) => ({ Conditions: [{ Result: 'FAIL', Rules: rules }] });
  cfn.addPropertyOverride(`Stages.${prodIndex}.BeforeEntry`, conditions([alarmRule('AlarmBefore', 'stage-unhealthy')]));
  cfn.addPropertyOverride(
    `Stages.${prodIndex}.OnSuccess`,
    conditions([alarmRule('Bake', 'stage-unhealthy'), alarmRule('BakeOther', 'nobody-creates-this')]),
  );
  cfn.addPropertyOverride(`Stages.${prodIndex}.OnFailure`, {
    Result: 'ROLLBACK',
    ...conditions([alarmRule('OnFailureAlarm', 'stage-unhealthy')]),
  });
  return app.synth();
}

const assembly = synthPipeline();
const walk = walkFirstRun(assembly, { qualifier: 'hnb659fds' });
const found = (w = walk) => w.findings.map((f) => `${f.stage}/${f.step}: ${f.missing}`);

describe('The first-run walk', () => {
  it('fails every step that uses what a later action creates, and passes those that run after it', () => {
    expect(found()).toEqual([
      `Early/ReviewEarly: ${READER}`,
      `Prod/BeforeEntry rule AlarmBefore: ${READER}`,
      `Prod/BeforeEntry rule AlarmBefore: ${ALARM}`,
      `Prod/InvokeBefore: ${READER}`,
      `Prod/InvokeAlongside: ${READER}`,
      `Prod/OnSuccess rule BakeOther: ${NO_ALARM}`,
      `Prod/OnFailure rule OnFailureAlarm: ${READER}`,
      `Prod/OnFailure rule OnFailureAlarm: ${ALARM}`,
    ]);
  });

  it('names the stage, the step, where the step names it, the missing role and who creates it', () => {
    expect(walk.findings[0].message).toBe(
      `Early/ReviewEarly uses IAM role ${READER} (project environment variable ROLE_ARN), which does not exist when it runs on a first execution: Prod/Service.Deploy (stack Prod-Service) creates it later`,
    );
    expect(walk.findings.find((f) => f.step === 'InvokeBefore')!.message).toContain(
      `uses IAM role ${READER} (configuration UserParameters)`,
    );
    expect(walk.findings.find((f) => f.missing === NO_ALARM)!.message).toBe(
      `Prod/OnSuccess rule BakeOther uses CloudWatch alarm ${NO_ALARM} (the alarm the rule reads), which does not exist when it runs on a first execution: nothing before it creates it (neither the CDK bootstrap, nor PipelineStack, nor an earlier action)`,
    );
  });

  it('sees what the stage deploy created once it has run: the post steps and the bake rule pass', () => {
    const after = walk.uses.filter((u) => ['InvokeAfter', 'ReviewAfter', 'OnSuccess rule Bake'].includes(u.step));
    expect(after.map((u) => `${u.step}: ${u.arn} from ${u.existsFrom}`)).toEqual([
      `InvokeAfter: ${READER} from Prod/Service.Deploy (stack Prod-Service)`,
      `ReviewAfter: ${READER} from Prod/Service.Deploy (stack Prod-Service)`,
      `OnSuccess rule Bake: ${READER} from Prod/Service.Deploy (stack Prod-Service)`,
      `OnSuccess rule Bake: ${ALARM} from Prod/Service.Deploy (stack Prod-Service)`,
    ]);
  });

  it("starts from the CDK bootstrap: the deploy actions' roles exist, in the stage account's region", () => {
    const deploy = walk.uses.filter((u) => u.step === 'Service.Prepare' || u.step === 'Service.Deploy');
    const deployRole = `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-deploy-role-${STAGE_ACCOUNT}-eu-west-2`;
    const execRole = `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${STAGE_ACCOUNT}-eu-west-2`;
    const bootstrap = `the CDK bootstrap of ${STAGE_ACCOUNT}/eu-west-2`;
    expect(deploy.map((u) => `${u.step} ${u.source}: ${u.arn} from ${u.existsFrom}`)).toEqual([
      `Service.Prepare action role: ${deployRole} from ${bootstrap}`,
      `Service.Prepare configuration RoleArn: ${execRole} from ${bootstrap}`,
      `Service.Deploy action role: ${deployRole} from ${bootstrap}`,
    ]);
    expect([...walk.bootstrapped].sort()).toEqual([`${STAGE_ACCOUNT}/eu-west-2`, `${PIPELINE_ACCOUNT}/eu-west-2`]);
  });

  it('follows the assets the Assets stage publishes to their publishing roles', () => {
    expect(walk.uses.filter((u) => u.stage === 'Assets').map((u) => u.arn)).toContain(
      `arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-file-publishing-role-${STAGE_ACCOUNT}-eu-west-2`,
    );
  });

  it('fails every deploy and publish when the stages are bootstrapped with another qualifier', () => {
    const other = walkFirstRun(assembly, { qualifier: 'other' });
    expect(found(other)).toEqual(
      expect.arrayContaining([
        `Assets/Code: arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-file-publishing-role-${STAGE_ACCOUNT}-eu-west-2`,
        `Prod/Service.Prepare: arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-deploy-role-${STAGE_ACCOUNT}-eu-west-2`,
        `Prod/Service.Prepare: arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${STAGE_ACCOUNT}-eu-west-2`,
        `Prod/Service.Deploy: arn:aws:iam::${STAGE_ACCOUNT}:role/cdk-hnb659fds-deploy-role-${STAGE_ACCOUNT}-eu-west-2`,
      ]),
    );
  });
});
