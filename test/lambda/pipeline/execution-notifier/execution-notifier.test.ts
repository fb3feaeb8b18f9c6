import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { notifyExecution } from '../../../../lambda/pipeline/execution-notifier';
import { createLogger } from '../../../../lambda/shared/logger';
import {
  actionRecord,
  DECLARATION,
  DECLARATION_WITH_BAKE_CONDITIONS,
  executionEvent,
  FAILED_EXECUTION,
  LAST_GOOD_EXECUTION,
  PIPELINE,
  ROLLBACK_EXECUTION,
  ruleRecord,
  standardExecution,
} from './pipeline-fixture';
import { awsError } from '../../../support/aws-error';

const codePipeline = mockClient(CodePipelineClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);

const deps = (withBucket = false, readBudgetMs = 5_000, now?: () => number) => ({
  topicArn: 'arn:aws:sns:eu-west-2:111111111111:pipeline',
  codePipeline: new CodePipelineClient({}),
  sns: new SNSClient({}),
  ...(withBucket ? { detailsBucket: 'reports', s3: new S3Client({}) } : {}),
  log: createLogger({ stage: 'test' }, () => undefined),
  readBudgetMs,
  now,
});
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
const only = () => {
  expect(published()).toHaveLength(1);
  return { subject: published()[0].Subject!, message: published()[0].Message! };
};
const actions = (...records: ReturnType<typeof actionRecord>[]) =>
  codePipeline
    .on(ListActionExecutionsCommand, { filter: { pipelineExecutionId: records[0].pipelineExecutionId } })
    .resolves({ actionExecutionDetails: records });
const rules = (...records: ReturnType<typeof ruleRecord>[]) =>
  codePipeline
    .on(ListRuleExecutionsCommand, { filter: { pipelineExecutionId: records[0].pipelineExecutionId } })
    .resolves({ ruleExecutionDetails: records });

/** Everything before Prod succeeded, as in an execution that reached Prod. */
const upToProd = (id: string) => [
  actionRecord(id, 'Dev', 'Service.Deploy', 'Succeeded'),
  actionRecord(id, 'Dev', 'HealthCheck', 'Succeeded'),
  actionRecord(id, 'Staging', 'Service.Deploy', 'Succeeded'),
  actionRecord(id, 'Staging', 'HealthCheck', 'Succeeded'),
  actionRecord(id, 'Staging', 'DrCheck', 'Succeeded'),
  actionRecord(id, 'ApproveProd', 'ChangeReview', 'Succeeded'),
  actionRecord(id, 'ApproveProd', 'ApproveToProd', 'Succeeded'),
];

beforeEach(() => {
  for (const m of [codePipeline, sns, s3]) m.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  // What AWS answers for an execution with nothing recorded: empty lists, never invented records.
  codePipeline.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
  codePipeline.on(ListRuleExecutionsCommand).resolves({ ruleExecutionDetails: [] });
  codePipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
  codePipeline.on(GetPipelineCommand).resolves({ pipeline: DECLARATION });
  codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: FAILED_EXECUTION }).resolves({
    pipelineExecution: standardExecution(FAILED_EXECUTION, 'abc1234def5678', 'Raise the quotes table throughput'),
  });
  codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: LAST_GOOD_EXECUTION }).resolves({
    pipelineExecution: {
      ...standardExecution(LAST_GOOD_EXECUTION, '0ld600dc0ffee1', 'Add the quotes API'),
      status: 'Succeeded',
    },
  });
});

describe('A failed action', () => {
  beforeEach(() => {
    actions(
      actionRecord(FAILED_EXECUTION, 'Dev', 'Service.Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'HealthCheck', 'Failed', {
        output: { executionResult: { externalExecutionSummary: 'older attempt' } },
      }),
      actionRecord(FAILED_EXECUTION, 'Staging', 'Service.Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'HealthCheck', 'Failed', {
        input: { actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' } },
        output: {
          executionResult: {
            externalExecutionSummary: 'staging health check FAILED: health-endpoint answered 503',
            externalExecutionUrl: 'https://logs.example.com/fn',
          },
        },
      }),
      actionRecord(FAILED_EXECUTION, 'Staging', 'DrCheck', 'Succeeded'),
    );
  });

  it("sends one message naming the stage, the action's own reason (newest attempt), what happens next, the commit and the links", async () => {
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(published()[0].TopicArn).toBe('arn:aws:sns:eu-west-2:111111111111:pipeline');
    expect(subject).toBe(
      '[pipeline FAILED] Staging/HealthCheck: staging health check FAILED: health-endpoint answered 503',
    );
    expect(message).toContain('Stage:     Staging');
    expect(message).toContain(
      'Cause:     action Staging/HealthCheck (Lambda) failed: staging health check FAILED: health-endpoint answered 503',
    );
    expect(message).not.toContain('older attempt');
    // Staging rolls back on failure, but CodePipeline lists no execution that succeeded in it (an empty list).
    expect(message).toContain(
      'Next:      Staging rolls back on failure, but no execution has succeeded in it yet (CodePipeline lists none), so nothing is rolled back: Staging keeps what this execution deployed.',
    );
    expect(message).not.toContain('CodePipeline rolls Staging back');
    expect(message).toContain(
      `--stage-name Staging --pipeline-execution-id ${FAILED_EXECUTION} --retry-mode FAILED_ACTIONS`,
    );
    expect(message).toContain('Nothing of this execution reached ApproveProd, Prod.');
    expect(message).toContain('Commit:    abc1234def5678 (Raise the quotes table throughput)');
    expect(message).toContain(
      `Execution: https://eu-west-2.console.aws.amazon.com/codesuite/codepipeline/pipelines/${PIPELINE}/executions/${FAILED_EXECUTION}/timeline?region=eu-west-2`,
    );
    expect(message).toContain('Details:   https://logs.example.com/fn');
    expect(message).not.toContain('Not read');
  });

  it("uses the failure details a step left (the change review's reason) over the build's generic summary", async () => {
    actions(
      ...upToProd(FAILED_EXECUTION).slice(0, 5),
      actionRecord(FAILED_EXECUTION, 'ApproveProd', 'ChangeReview', 'Failed', {
        output: { executionResult: { externalExecutionSummary: 'Build terminated with state: FAILED' } },
      }),
    );
    s3.on(GetObjectCommand, {
      Bucket: 'reports',
      Key: `failure-details/${FAILED_EXECUTION}/ApproveProd/ChangeReview.txt`,
    }).resolves({
      Body: {
        transformToString: async () =>
          'data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced\ndrift: Prod-Service/Queue0 is MODIFIED',
      } as never,
    });
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps(true));
    const { subject, message } = only();
    expect(subject).toHaveLength(100);
    expect(subject).toMatch(/^\[pipeline FAILED\] ApproveProd\/ChangeReview: data loss: Prod-Stateful\/UsersTable/);
    expect(message).toContain('would be replaced\n           drift: Prod-Service/Queue0 is MODIFIED');
    expect(message).not.toContain('Build terminated');
  });

  it('falls back to the action summary when a step left no failure details (S3 answers NoSuchKey)', async () => {
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps(true));
    expect(only().subject).toContain('health-endpoint answered 503');
    expect(only().message).not.toContain('Not read');
  });

  it('names the approver of a rejected approval, and that nothing reached Prod', async () => {
    actions(
      ...upToProd(FAILED_EXECUTION).slice(0, 6),
      actionRecord(FAILED_EXECUTION, 'ApproveProd', 'ApproveToProd', 'Failed', {
        updatedBy: 'arn:aws:sts::111111111111:assumed-role/release-approver/jane',
        output: { executionResult: { externalExecutionSummary: 'Staging latency doubled since the deploy' } },
      }),
    );
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline FAILED] ApproveProd/ApproveToProd: Staging latency doubled since the deploy');
    expect(message).toContain(
      'action ApproveProd/ApproveToProd (Manual) was rejected by arn:aws:sts::111111111111:assumed-role/release-approver/jane: Staging latency doubled',
    );
    expect(message).toContain('Nothing of this execution reached Prod.');
  });
});

describe('A success condition whose alarm rolls Prod back (a CloudWatchAlarm rule, result ROLLBACK)', () => {
  const bakeRule = () =>
    ruleRecord(
      FAILED_EXECUTION,
      'Prod',
      'ProdBakeTime',
      'CloudWatchAlarm',
      'Failed',
      { AlarmName: 'uk-home-improvement-prod-stage-unhealthy', AlarmStates: 'ALARM', WaitTime: '30' },
      'Alarm uk-home-improvement-prod-stage-unhealthy is in ALARM',
    );

  beforeEach(() => {
    codePipeline.on(GetPipelineCommand).resolves({ pipeline: DECLARATION_WITH_BAKE_CONDITIONS });
    actions(
      ...upToProd(FAILED_EXECUTION),
      actionRecord(FAILED_EXECUTION, 'Prod', 'Service.Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Prod', 'HealthCheck', 'Succeeded'),
    );
    rules(
      ruleRecord(FAILED_EXECUTION, 'Staging', 'StagingBakeTime', 'CloudWatchAlarm', 'Succeeded', {
        AlarmName: 'uk-home-improvement-staging-stage-unhealthy',
      }),
      ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Succeeded', {
        Cron: '* * 9-15 ? * MON-THU',
        TimeZone: 'Europe/London',
      }),
      bakeRule(),
    );
    codePipeline.on(ListPipelineExecutionsCommand, { filter: { succeededInStage: { stageName: 'Prod' } } }).resolves({
      pipelineExecutionSummaries: [
        {
          pipelineExecutionId: LAST_GOOD_EXECUTION,
          status: 'Succeeded',
          executionType: 'STANDARD',
          sourceRevisions: [{ actionName: 'Source', revisionId: '0ld600dc0ffee1' }],
        },
      ],
    });
    // The rollback execution CodePipeline starts, as GetPipelineExecution describes it.
    codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: ROLLBACK_EXECUTION }).resolves({
      pipelineExecution: {
        ...standardExecution(ROLLBACK_EXECUTION, '0ld600dc0ffee1', 'Add the quotes API'),
        status: 'Succeeded',
        executionType: 'ROLLBACK',
        trigger: { triggerType: 'AutomatedRollback', triggerDetail: FAILED_EXECUTION },
        rollbackMetadata: { rollbackTargetPipelineExecutionId: LAST_GOOD_EXECUTION },
      },
    });
    actions(
      actionRecord(ROLLBACK_EXECUTION, 'Prod', 'Service.Deploy', 'Succeeded'),
      actionRecord(ROLLBACK_EXECUTION, 'Prod', 'HealthCheck', 'Succeeded'),
    );
  });

  it('tells the failed execution once: the bake rule, its alarm, and that Prod rolls back to the last good execution', async () => {
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe(
      '[pipeline FAILED] Prod: bake saw alarm uk-home-improvement-prod-stage-unhealthy; rolling back',
    );
    expect(message).toContain('Stage:     Prod');
    expect(message).toContain(
      'Cause:     the bake (success condition of Prod, rule ProdBakeTime (CloudWatchAlarm)) saw alarm uk-home-improvement-prod-stage-unhealthy in ALARM, watched for 30 minutes; CodePipeline says: Alarm uk-home-improvement-prod-stage-unhealthy is in ALARM',
    );
    expect(message).toContain(
      `Next:      CodePipeline rolls Prod back to the last execution that succeeded in it, execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe); a "ROLLED BACK" message follows`,
    );
    expect(message).not.toContain('StagingBakeTime');
  });

  it('labels the rollback execution that succeeds as ROLLED BACK, from which execution to which, never only "succeeded"', async () => {
    await notifyExecution(executionEvent('SUCCEEDED', ROLLBACK_EXECUTION, '2026-12-01T17:20:00Z'), deps());
    const { subject, message } = only();
    expect(subject).toBe(`[pipeline ROLLED BACK] Prod back to ${LAST_GOOD_EXECUTION.slice(0, 8)}`);
    expect(message.split('\n')[0]).toBe(`Prod of ${PIPELINE} was rolled back (execution ${ROLLBACK_EXECUTION}).`);
    expect(message).toContain(
      `Cause:     Prod was rolled back automatically (started from ${FAILED_EXECUTION}) to execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe), by rollback execution ${ROLLBACK_EXECUTION}.`,
    );
    expect(message).toContain('the next push deploys it again unless it is reverted');
    expect(message).not.toMatch(/succeeded\./i);
  });

  it('sends exactly one message per execution for the whole story: the failure, then the rollback', async () => {
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    await notifyExecution(executionEvent('SUCCEEDED', ROLLBACK_EXECUTION), deps());
    expect(published().map((p) => p.Subject!.split(']')[0])).toEqual(['[pipeline FAILED', '[pipeline ROLLED BACK']);
  });

  it('labels a rollback from the event when the execution cannot be read', async () => {
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: ROLLBACK_EXECUTION })
      .rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const event = executionEvent('SUCCEEDED', ROLLBACK_EXECUTION);
    (event.detail as Record<string, unknown>)['execution-trigger'] = { 'trigger-type': 'AutomatedRollback' };
    await notifyExecution(event, deps());
    const { subject, message } = only();
    expect(subject).toMatch(/^\[pipeline ROLLED BACK\] Prod back to /);
    expect(message).toContain('Not read:  GetPipelineExecution: ThrottlingException: Rate exceeded');
  });

  it('still labels the rollback and names its target when CodePipeline no longer finds the target execution', async () => {
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: LAST_GOOD_EXECUTION })
      .rejects(
        awsError(
          'PipelineExecutionNotFoundException',
          400,
          `Pipeline execution with id ${LAST_GOOD_EXECUTION} not found for pipeline ${PIPELINE}`,
        ),
      );
    await notifyExecution(executionEvent('SUCCEEDED', ROLLBACK_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe(`[pipeline ROLLED BACK] Prod back to ${LAST_GOOD_EXECUTION.slice(0, 8)}`);
    expect(message).toContain(`to execution ${LAST_GOOD_EXECUTION}, by rollback execution ${ROLLBACK_EXECUTION}.`);
    expect(message).toContain(
      `Not read:  GetPipelineExecution ${LAST_GOOD_EXECUTION}: PipelineExecutionNotFoundException: Pipeline execution with id`,
    );
  });

  it('tells a rollback that fails as ROLLBACK FAILED, with its failed action and the manual way back', async () => {
    codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: ROLLBACK_EXECUTION }).resolves({
      pipelineExecution: {
        ...standardExecution(ROLLBACK_EXECUTION, '0ld600dc0ffee1', 'Add the quotes API'),
        status: 'Failed',
        executionType: 'ROLLBACK',
        trigger: { triggerType: 'AutomatedRollback' },
        rollbackMetadata: { rollbackTargetPipelineExecutionId: LAST_GOOD_EXECUTION },
      },
    });
    actions(
      actionRecord(ROLLBACK_EXECUTION, 'Prod', 'Service.Deploy', 'Failed', {
        output: {
          executionResult: { externalExecutionSummary: 'Resource handler returned message: "quotes already exists"' },
        },
      }),
    );
    await notifyExecution(executionEvent('FAILED', ROLLBACK_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe(
      '[pipeline ROLLBACK FAILED] Prod/Service.Deploy: Resource handler returned message: "quotes alread...',
    );
    expect(message).toContain(`the rollback of Prod to execution ${LAST_GOOD_EXECUTION}`);
    expect(message).toContain('continue-update-rollback');
    expect(message).toContain('Rolling back by hand');
  });

  it('says Staging rolls back too: its bake condition rolls back although Staging has no rollback on failure', async () => {
    actions(...upToProd(FAILED_EXECUTION).slice(0, 5));
    codePipeline
      .on(ListPipelineExecutionsCommand, { filter: { succeededInStage: { stageName: 'Staging' } } })
      .resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: LAST_GOOD_EXECUTION, status: 'Succeeded' }] });
    rules(
      ruleRecord(FAILED_EXECUTION, 'Staging', 'StagingBakeTime', 'CloudWatchAlarm', 'Failed', {
        AlarmName: 'uk-home-improvement-staging-stage-unhealthy',
        AlarmStates: 'ALARM',
        WaitTime: '10',
      }),
    );
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe(
      '[pipeline FAILED] Staging: bake saw alarm uk-home-improvement-staging-stage-unhealthy; rolling back',
    );
    expect(message).toContain('CodePipeline rolls Staging back');
    expect(message).toContain('Nothing of this execution reached ApproveProd, Prod.');
  });
});

describe('A Bake action that fails in Prod (the pipeline as PipelineStack builds it)', () => {
  beforeEach(() => {
    actions(
      ...upToProd(FAILED_EXECUTION),
      actionRecord(FAILED_EXECUTION, 'Prod', 'Service.Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Prod', 'HealthCheck', 'Succeeded'),
      // The Bake function reports progress as the job's summary (PutJobSuccessResult with a continuation
      // token) and its verdict as the failure details (PutJobFailureResult); the action keeps both.
      actionRecord(FAILED_EXECUTION, 'Prod', 'Bake', 'Failed', {
        output: {
          executionResult: {
            externalExecutionSummary:
              'prod bake in progress: uk-home-improvement-prod-stage-unhealthy OK and never in ALARM for 10.0 of 30 minutes',
            errorDetails: {
              code: 'JobFailed',
              message:
                'prod bake FAILED: uk-home-improvement-prod-stage-unhealthy went to ALARM at 2026-12-01T16:52:00.000Z, 12.0 minutes into the 30-minute bake that started 2026-12-01T16:40:00.000Z: Threshold Crossed',
            },
          },
        },
      }),
    );
    codePipeline.on(ListPipelineExecutionsCommand, { filter: { succeededInStage: { stageName: 'Prod' } } }).resolves({
      pipelineExecutionSummaries: [
        {
          pipelineExecutionId: LAST_GOOD_EXECUTION,
          status: 'Succeeded',
          sourceRevisions: [{ actionName: 'Source', revisionId: '0ld600dc0ffee1' }],
        },
      ],
    });
  });

  it("tells it once: the Bake action's own reason, and that Prod (rollback on failure) goes back to the last good execution", async () => {
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe(
      '[pipeline FAILED] Prod/Bake: prod bake FAILED: uk-home-improvement-prod-stage-unhealthy went to A...',
    );
    expect(message).toContain(
      'Cause:     action Prod/Bake (Lambda) failed: prod bake FAILED: uk-home-improvement-prod-stage-unhealthy went to ALARM at 2026-12-01T16:52:00.000Z, 12.0 minutes into the 30-minute bake',
    );
    expect(message).not.toContain('in progress');
    expect(message).toContain(
      `Next:      CodePipeline rolls Prod back to the last execution that succeeded in it, execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe)`,
    );
    expect(message).not.toContain('retry-stage-execution');
  });
});

describe('A deployment window that refuses entry', () => {
  beforeEach(() => {
    actions(...upToProd(FAILED_EXECUTION));
    rules(
      ruleRecord(
        FAILED_EXECUTION,
        'Prod',
        'ProdDeploymentWindow',
        'DeploymentWindow',
        'Failed',
        { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' },
        'Current time is outside the deployment window',
      ),
    );
  });

  it('names the window, when it next opens, that nothing was deployed, and how to retry once it is open', async () => {
    // Tuesday 1 December 2026, 17:05 in London (GMT): the window opens again on Wednesday at 09:00.
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION, '2026-12-01T17:05:00Z'), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline FAILED] Prod: deployment window closed');
    expect(message).toContain(
      'Cause:     the deployment window (entry condition of Prod, rule ProdDeploymentWindow (DeploymentWindow)) was closed: cron "* * 9-15 ? * MON-THU" in Europe/London; it next opens Wed, 2 Dec 2026, 09:00 Europe/London (2026-12-02T09:00:00.000Z); CodePipeline says: Current time is outside the deployment window',
    );
    expect(message).toContain('Next:      Nothing of this execution was deployed to Prod; the execution has ended.');
    expect(message).toContain('--stage-name Prod');
    expect(message).toContain('--retry-mode ALL_ACTIONS');
    expect(message).not.toContain('CodePipeline rolls Prod back');
    expect(codePipeline.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(0);
  });
});

describe('A stopped execution', () => {
  beforeEach(() => {
    actions(
      actionRecord(FAILED_EXECUTION, 'Dev', 'Service.Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'Service.Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'HealthCheck', 'Abandoned'),
    );
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [
        { pipelineExecutionId: LAST_GOOD_EXECUTION, status: 'Succeeded' },
        {
          pipelineExecutionId: FAILED_EXECUTION,
          status: 'Stopped',
          stopTrigger: { reason: 'Wrong table capacity pushed; fix follows' },
        },
      ],
    });
  });

  it('is told once, with the stage, the reason given, what was left unfinished, and who to ask CloudTrail about', async () => {
    await notifyExecution(executionEvent('STOPPED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline STOPPED] at Staging: Wrong table capacity pushed; fix follows');
    expect(message).toContain('Stage:     Staging');
    expect(message).toContain('the reason given: "Wrong table capacity pushed; fix follows"');
    expect(message).toContain('StopPipelineExecution');
    expect(message).toContain('Left unfinished: action Staging/HealthCheck (Abandoned).');
    expect(message).toContain('Nothing of this execution reached ApproveProd, Prod.');
  });

  it('says when no reason was given', async () => {
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [{ pipelineExecutionId: FAILED_EXECUTION, status: 'Stopped' }],
    });
    await notifyExecution(executionEvent('STOPPED', FAILED_EXECUTION), deps());
    expect(only().subject).toBe('[pipeline STOPPED] at Staging: no reason was given');
  });
});

describe('Other ends of an execution', () => {
  it('tells a superseded execution where it stopped and which stage it never entered', async () => {
    actions(...upToProd(FAILED_EXECUTION).slice(0, 5));
    await notifyExecution(executionEvent('SUPERSEDED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline SUPERSEDED] after Staging by a newer execution');
    expect(message).toContain('while it waited to enter ApproveProd');
    expect(message).toContain('Nothing of this execution goes beyond Staging (it never entered ApproveProd)');
  });

  it('tells a standard execution that succeeded, with its commit, once', async () => {
    codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: FAILED_EXECUTION }).resolves({
      pipelineExecution: {
        ...standardExecution(FAILED_EXECUTION, 'abc1234def5678', 'Raise the quotes table throughput'),
        status: 'Succeeded',
      },
    });
    actions(...upToProd(FAILED_EXECUTION), actionRecord(FAILED_EXECUTION, 'Prod', 'HealthCheck', 'Succeeded'));
    await notifyExecution(executionEvent('SUCCEEDED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline SUCCEEDED] abc1234d Raise the quotes table throughput');
    expect(message).toContain(
      'every stage ran: Source, Build, UpdatePipeline, Assets, Dev, Staging, ApproveProd, Prod.',
    );
  });

  it('tells an execution cancelled by a change to the pipeline', async () => {
    actions(actionRecord(FAILED_EXECUTION, 'UpdatePipeline', 'SelfMutate', 'Succeeded'));
    await notifyExecution(executionEvent('CANCELED', FAILED_EXECUTION), deps());
    expect(only().subject).toBe('[pipeline CANCELED] in UpdatePipeline: the pipeline changed while it ran');
  });
});

describe('Malformed and partial events', () => {
  it.each<[string, unknown, string]>([
    [
      'an event without detail',
      {
        'detail-type': 'CodePipeline Pipeline Execution State Change',
        source: 'aws.codepipeline',
        region: 'eu-west-2',
      },
      'the event has no detail object',
    ],
    [
      'a detail without execution id',
      (() => {
        const e = executionEvent('FAILED', FAILED_EXECUTION);
        delete (e.detail as Record<string, unknown>)['execution-id'];
        return e;
      })(),
      'the event has no detail.execution-id',
    ],
    [
      'a detail without pipeline or state',
      { ...executionEvent('FAILED', FAILED_EXECUTION), detail: { 'execution-id': FAILED_EXECUTION } },
      'the event has no detail.pipeline, detail.state',
    ],
    [
      'a state the notifier does not handle',
      executionEvent('STARTED', FAILED_EXECUTION),
      'state "STARTED" is not one the notifier handles (FAILED, STOPPED, SUPERSEDED, CANCELED, SUCCEEDED)',
    ],
    [
      'an action event (it has no stage-level fields the notifier reads)',
      { ...executionEvent('FAILED', FAILED_EXECUTION), 'detail-type': 'CodePipeline Action Execution State Change' },
      'detail-type is "CodePipeline Action Execution State Change", not "CodePipeline Pipeline Execution State Change"',
    ],
    ['no event at all', null, 'the event is not a JSON object'],
  ])('reports %s as malformed, with what it held, and reads nothing', async (_name, event, problem) => {
    await expect(notifyExecution(event, deps())).resolves.toBeUndefined();
    const { subject, message } = only();
    expect(subject).toBe(
      `[pipeline notifier] malformed event: ${problem}`.slice(0, 97) + (subject.length === 100 ? '...' : ''),
    );
    expect(message).toContain(`cannot report on: ${problem}.`);
    expect(message).toContain(`The event held:\n${JSON.stringify(event)}`);
    expect(codePipeline.calls()).toHaveLength(0);
  });

  it('links the execution when the malformed event still names it', async () => {
    await notifyExecution(executionEvent('STARTED', FAILED_EXECUTION), deps());
    expect(only().message).toContain(`/executions/${FAILED_EXECUTION}/timeline`);
  });

  it('says the stage is unknown when nothing recorded for the execution names one', async () => {
    codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: FAILED_EXECUTION }).resolves({
      pipelineExecution: {
        ...standardExecution(FAILED_EXECUTION, 'abc1234def5678', 'x'),
        statusSummary: 'Pipeline failed',
      },
    });
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline FAILED] an unknown stage: Pipeline failed');
    expect(message).toContain('Stage:     unknown (not found in what could be read)');
    expect(message).toContain("no failed action or rule was found; CodePipeline's summary: Pipeline failed");
  });
});

describe('Reads that fail', () => {
  beforeEach(() => {
    actions(...upToProd(FAILED_EXECUTION), actionRecord(FAILED_EXECUTION, 'Prod', 'Service.Deploy', 'Succeeded'));
  });

  it('still sends the one message, with what is known and why the rest could not be read', async () => {
    const denied = (action: string) =>
      awsError(
        'AccessDeniedException',
        400,
        `User: arn:aws:sts::111111111111:assumed-role/notifier/fn is not authorized to perform: codepipeline:${action} on resource: arn:aws:codepipeline:eu-west-2:111111111111:${PIPELINE}`,
      );
    codePipeline.on(ListRuleExecutionsCommand).rejects(denied('ListRuleExecutions'));
    codePipeline.on(GetPipelineCommand).rejects(denied('GetPipeline'));
    codePipeline.on(GetPipelineExecutionCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps());
    const { subject, message } = only();
    expect(subject).toBe('[pipeline FAILED] Prod: cause not read');
    expect(message).toContain('Stage:     Prod');
    expect(message).toContain('Commit:    unknown');
    expect(message).toContain('Not read:  GetPipelineExecution: ThrottlingException: Rate exceeded');
    expect(message).toContain(
      'ListRuleExecutions: AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/notifier/fn is not authorized to perform: codepipeline:ListRuleExecutions',
    );
    expect(message).toContain("(access denied: the notifier's role does not allow this read)");
    expect(message).toContain('GetPipeline: AccessDeniedException');
    expect(message).toContain('Later stages were not reached (the pipeline structure could not be read to name them).');
  });

  it('gives up on a read that does not answer in time and still sends the message', async () => {
    codePipeline.on(ListRuleExecutionsCommand).callsFake(() => new Promise(() => undefined));
    // A clock that stands still: every read starts with the whole budget, so only the hanging one runs out.
    await notifyExecution(
      executionEvent('FAILED', FAILED_EXECUTION),
      deps(false, 200, () => 0),
    );
    const { message } = only();
    expect(message).toContain('Not read:  ListRuleExecutions: timed out (no answer within 200 ms)');
    expect(message).toContain('Stage:     Prod');
  });

  it('starts no read once the time for reads is used up, and still sends the message', async () => {
    let clock = 0;
    await notifyExecution(
      executionEvent('FAILED', FAILED_EXECUTION),
      deps(false, 1_000, () => (clock += 2_000)),
    );
    const { message } = only();
    expect(message).toContain(
      'Not read:  GetPipelineExecution: not attempted, no time left before the message must go out',
    );
    expect(codePipeline.calls()).toHaveLength(0);
    expect(message).toContain('Stage:     unknown');
  });

  it('throws when publishing fails, so that Lambda retries the invocation', async () => {
    sns.on(PublishCommand).rejects(awsError('InternalError', 500));
    await expect(notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), deps())).rejects.toThrow(
      'InternalError happened',
    );
  });
});

describe('What it logs', () => {
  const logged = () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger({ stage: 'pipeline' }, (line) => lines.push(JSON.parse(line)));
    return { lines, deps: { ...deps(), log } };
  };

  it('logs the execution and the subject it sent, and warns with each read that failed', async () => {
    codePipeline.on(GetPipelineCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const { lines, deps: withLog } = logged();
    await notifyExecution(executionEvent('FAILED', FAILED_EXECUTION), withLog);
    const execution = { pipeline: PIPELINE, executionId: FAILED_EXECUTION, state: 'FAILED' };
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'some details could not be read',
        unread: ['GetPipeline: ThrottlingException: Rate exceeded'],
        ...execution,
      }),
      expect.objectContaining({ level: 'info', message: 'execution notified', subject: only().subject, ...execution }),
    ]);
  });

  it('warns of nothing when every read answered, and names the problem of a malformed event', async () => {
    const { lines, deps: withLog } = logged();
    await notifyExecution(executionEvent('SUPERSEDED', FAILED_EXECUTION), withLog);
    expect(lines.map((l) => l.level)).toEqual(['info']);
    lines.length = 0;
    await notifyExecution({ 'detail-type': 'x' }, withLog);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'malformed event',
        problem: 'detail-type is "x", not "CodePipeline Pipeline Execution State Change"',
      }),
    ]);
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  codePipeline.restore();
  sns.restore();
  s3.restore();
});
