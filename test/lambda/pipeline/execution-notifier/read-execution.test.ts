import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ExecutionEvent } from '../../../../lambda/pipeline/private/execution-notifier/execution-event';
import type { ReadDeps } from '../../../../lambda/pipeline/private/execution-notifier/read-execution';
import {
  commitMessageOf,
  describeReadError,
  readExecution,
} from '../../../../lambda/pipeline/private/execution-notifier/read-execution';
import {
  actionRecord,
  DECLARATION,
  FAILED_EXECUTION,
  LAST_GOOD_EXECUTION,
  PIPELINE,
  REGION,
  ROLLBACK_EXECUTION,
  ruleRecord,
  standardExecution,
} from './pipeline-fixture';
import { awsError } from '../../../support/aws-error';

const codePipeline = mockClient(CodePipelineClient);
const s3 = mockClient(S3Client);

const event = (state: ExecutionEvent['state'], over: Partial<ExecutionEvent> = {}): ExecutionEvent => ({
  pipeline: PIPELINE,
  executionId: FAILED_EXECUTION,
  state,
  region: REGION,
  time: new Date('2026-12-01T17:05:00Z'),
  pipelineVersion: 7,
  ...over,
});
const deps = (over: Partial<ReadDeps> = {}): ReadDeps => ({
  codePipeline: new CodePipelineClient({}),
  deadlineAt: Date.now() + 5_000,
  ...over,
});
const actions = (...records: ReturnType<typeof actionRecord>[]) =>
  codePipeline.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: records });
const rules = (...records: ReturnType<typeof ruleRecord>[]) =>
  codePipeline.on(ListRuleExecutionsCommand).resolves({ ruleExecutionDetails: records });
const failedHealthCheck = (stage = 'Staging', extra = {}) =>
  actionRecord(FAILED_EXECUTION, stage, 'HealthCheck', 'Failed', {
    output: { executionResult: { externalExecutionSummary: `${stage} health check FAILED` } },
    ...extra,
  });

beforeEach(() => {
  codePipeline.reset();
  s3.reset();
  // An execution with nothing recorded: empty lists, as CodePipeline answers.
  codePipeline.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
  codePipeline.on(ListRuleExecutionsCommand).resolves({ ruleExecutionDetails: [] });
  codePipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
  codePipeline.on(GetPipelineCommand).resolves({ pipeline: DECLARATION });
  codePipeline.on(GetPipelineExecutionCommand).resolves({
    pipelineExecution: standardExecution(FAILED_EXECUTION, 'abc1234def5678', 'Raise the quotes table throughput'),
  });
});

afterAll(() => {
  codePipeline.restore();
  s3.restore();
});

describe('commitMessageOf', () => {
  it('takes CommitMessage out of a CodeStar connections summary and keeps any other summary as it is', () => {
    expect(commitMessageOf(JSON.stringify({ ProviderType: 'GitHub', CommitMessage: 'Add quotes' }))).toBe('Add quotes');
    expect(commitMessageOf('Add quotes')).toBe('Add quotes');
    expect(commitMessageOf('{"ProviderType":"GitHub"}')).toBe('{"ProviderType":"GitHub"}');
    expect(commitMessageOf('{"CommitMessage":7}')).toBe('{"CommitMessage":7}');
    expect(commitMessageOf('')).toBeUndefined();
    expect(commitMessageOf(undefined)).toBeUndefined();
  });
});

describe('describeReadError', () => {
  it("gives the error's name and first line, at most 200 characters", () => {
    expect(describeReadError(awsError('ThrottlingException', 400, 'Rate exceeded\nretry later'))).toBe(
      'ThrottlingException: Rate exceeded',
    );
    const long = describeReadError(awsError('ValidationException', 400, 'v'.repeat(300)));
    expect(long).toBe(`ValidationException: ${'v'.repeat(200 - 'ValidationException: '.length)}`);
    expect(describeReadError('socket hang up')).toBe('Error: socket hang up');
    expect(describeReadError({})).toBe('Error: ');
    expect(describeReadError(null)).toBe('Error: null');
  });

  it('says access is denied for an AccessDenied or UnauthorizedOperation error or an HTTP 403, and only then', () => {
    const denied = "(access denied: the notifier's role does not allow this read)";
    expect(describeReadError(awsError('AccessDeniedException', 400, 'no'))).toBe(`AccessDeniedException: no ${denied}`);
    expect(describeReadError(awsError('UnauthorizedOperation', 400, 'no'))).toBe(`UnauthorizedOperation: no ${denied}`);
    expect(describeReadError(awsError('Forbidden', 403, 'no'))).toBe(`Forbidden: no ${denied}`);
    expect(describeReadError(awsError('ThrottlingException', 400, 'no'))).toBe('ThrottlingException: no');
    expect(describeReadError(new Error('no'))).toBe('Error: no');
  });
});

describe('readExecution: what it asks CodePipeline', () => {
  it('reads the execution, the structure version it ran with, and its action and rule records', async () => {
    await readExecution(event('SUCCEEDED'), deps());
    expect(codePipeline).toHaveReceivedCommandWith(GetPipelineExecutionCommand, {
      pipelineName: PIPELINE,
      pipelineExecutionId: FAILED_EXECUTION,
    });
    expect(codePipeline).toHaveReceivedCommandWith(GetPipelineCommand, { name: PIPELINE, version: 7 });
    expect(codePipeline).toHaveReceivedCommandWith(ListActionExecutionsCommand, {
      pipelineName: PIPELINE,
      filter: { pipelineExecutionId: FAILED_EXECUTION },
    });
    expect(codePipeline).toHaveReceivedCommandWith(ListRuleExecutionsCommand, {
      pipelineName: PIPELINE,
      filter: { pipelineExecutionId: FAILED_EXECUTION },
    });
    expect(codePipeline).not.toHaveReceivedCommand(ListPipelineExecutionsCommand);
  });

  it('follows nextToken through the pages of a list, and reads at most 10 pages, saying so', async () => {
    const pageOf = (n: number) => ({
      actionExecutionDetails: [actionRecord(FAILED_EXECUTION, `S${n}`, 'A', 'Succeeded')],
      nextToken: `t${n + 1}`,
    });
    codePipeline
      .on(ListActionExecutionsCommand)
      .callsFake((input: { nextToken?: string }) => pageOf(input.nextToken ? Number(input.nextToken.slice(1)) : 1));
    const r = await readExecution(event('SUCCEEDED'), deps());
    expect(codePipeline.commandCalls(ListActionExecutionsCommand).map((c) => c.args[0].input.nextToken)).toEqual([
      undefined,
      't2',
      't3',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
      't10',
    ]);
    expect(r.unread).toEqual(['ListActionExecutions: more than 10 pages; only the first 10 were read']);
  });

  it('reads a tenth page that ends the list without a note, and loses the whole list when a page fails', async () => {
    codePipeline.on(ListRuleExecutionsCommand).callsFake((input: { nextToken?: string }) => {
      const n = input.nextToken ? Number(input.nextToken) : 1;
      return {
        ruleExecutionDetails: [
          ruleRecord(FAILED_EXECUTION, 'Prod', `Rule${n}`, 'DeploymentWindow', n === 10 ? 'Failed' : 'Succeeded', {}),
        ],
        nextToken: n < 10 ? String(n + 1) : undefined,
      };
    });
    const r = await readExecution(event('FAILED'), deps());
    expect(r.unread).toEqual([]);
    expect(r.failedRules.map((rule) => rule.rule)).toEqual(['Rule10']);

    codePipeline
      .on(ListRuleExecutionsCommand, { nextToken: '3' })
      .rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const partial = await readExecution(event('FAILED'), deps());
    expect(partial.unread).toEqual(['ListRuleExecutions: ThrottlingException: Rate exceeded']);
    expect(partial.failedRules).toEqual([]);
  });
});

describe('readExecution: failed actions', () => {
  it("takes the newest attempt's reason: failure details left in S3, else error details, else the summary", async () => {
    actions(
      failedHealthCheck('Staging'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'DrCheck', 'Failed', {
        output: {
          executionResult: {
            externalExecutionSummary: 'in progress',
            errorDetails: { code: 'JobFailed', message: 'staging DR check FAILED: no copy in eu-west-1' },
            externalExecutionUrl: 'https://logs.example.com/dr',
          },
        },
        updatedBy: 'arn:aws:sts::111111111111:assumed-role/notifier/fn',
      }),
      actionRecord(FAILED_EXECUTION, 'Staging', 'Bake', 'Failed'),
    );
    s3.on(GetObjectCommand, { Key: `failure-details/${FAILED_EXECUTION}/Staging/HealthCheck.txt` }).resolves({
      Body: { transformToString: async () => '  data loss: UsersTable replaced\n' } as never,
    });
    s3.on(GetObjectCommand, { Key: `failure-details/${FAILED_EXECUTION}/Staging/DrCheck.txt` }).resolves({
      Body: { transformToString: async () => ' \n' } as never,
    });
    s3.on(GetObjectCommand, { Key: `failure-details/${FAILED_EXECUTION}/Staging/Bake.txt` }).resolves({});
    const r = await readExecution(event('FAILED'), deps({ detailsBucket: 'reports', s3: new S3Client({}) }));
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'reports',
      Key: `failure-details/${FAILED_EXECUTION}/Staging/HealthCheck.txt`,
    });
    const byAction = Object.fromEntries(r.failedActions.map((a) => [a.action, a]));
    expect(byAction.HealthCheck).toMatchObject({
      stage: 'Staging',
      provider: 'Lambda',
      category: 'Invoke',
      reason: 'data loss: UsersTable replaced',
    });
    expect(byAction.DrCheck).toEqual({
      stage: 'Staging',
      action: 'DrCheck',
      provider: 'Lambda',
      category: 'Invoke',
      reason: 'staging DR check FAILED: no copy in eu-west-1',
      url: 'https://logs.example.com/dr',
      by: 'arn:aws:sts::111111111111:assumed-role/notifier/fn',
    });
    expect(byAction.Bake.reason).toBe('the action reported no failure summary; open the execution');
    expect(r.unread).toEqual([]);
  });

  it('falls back to the action summary without a note when the step left no details (S3 answers NoSuchKey)', async () => {
    actions(failedHealthCheck());
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404, 'The specified key does not exist.'));
    const r = await readExecution(event('FAILED'), deps({ detailsBucket: 'reports', s3: new S3Client({}) }));
    expect(r.failedActions[0].reason).toBe('Staging health check FAILED');
    expect(r.unread).toEqual([]);
  });

  it('names the S3 object it could not read, and reads none without a bucket', async () => {
    actions(failedHealthCheck());
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const denied = await readExecution(event('FAILED'), deps({ detailsBucket: 'reports', s3: new S3Client({}) }));
    expect(denied.failedActions[0].reason).toBe('Staging health check FAILED');
    expect(denied.unread).toEqual([
      `GetObject s3://reports/failure-details/${FAILED_EXECUTION}/Staging/HealthCheck.txt: AccessDenied: Access Denied (access denied: the notifier's role does not allow this read)`,
    ]);
    s3.reset();
    for (const over of [{ detailsBucket: 'reports' }, { s3: new S3Client({}) }]) {
      const r = await readExecution(event('FAILED'), deps(over));
      expect(r.failedActions[0].reason).toBe('Staging health check FAILED');
    }
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('keeps only the newest attempt of each action, by last update or else start time, and names missing fields', async () => {
    const older = new Date('2026-12-01T10:00:00Z');
    const newer = new Date('2026-12-01T11:00:00Z');
    actions(
      actionRecord(FAILED_EXECUTION, 'Prod', 'Deploy', 'Succeeded', { lastUpdateTime: newer }),
      actionRecord(FAILED_EXECUTION, 'Prod', 'Deploy', 'Failed', { lastUpdateTime: older }),
      actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Failed', { lastUpdateTime: undefined, startTime: older }),
      actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded', { lastUpdateTime: undefined, startTime: newer }),
      actionRecord(FAILED_EXECUTION, 'Staging', 'Deploy', 'Failed', {
        lastUpdateTime: undefined,
        startTime: undefined,
      }),
      actionRecord(FAILED_EXECUTION, 'Staging', 'Deploy', 'Succeeded', { lastUpdateTime: older }),
      { status: 'Failed', pipelineExecutionId: FAILED_EXECUTION },
    );
    const r = await readExecution(event('FAILED'), deps());
    expect(r.failedActions.map((a) => `${a.stage}/${a.action}`)).toEqual(['unknown stage/unknown action']);
    expect(r.failedActions[0].provider).toBeUndefined();
  });

  it('takes the action type from the declared structure when the record carries none', async () => {
    actions(
      actionRecord(FAILED_EXECUTION, 'ApproveProd', 'ApproveToProd', 'Failed', {
        input: undefined,
        updatedBy: 'arn:aws:sts::111111111111:assumed-role/approver/jane',
      }),
    );
    const r = await readExecution(event('FAILED'), deps());
    expect(r.failedActions[0]).toMatchObject({ provider: 'Manual', category: 'Approval' });
    expect(r.stage).toBe('ApproveProd');
  });
});

describe('readExecution: condition rules', () => {
  it('places each failed rule in its declared condition, with the resolved configuration and the error over the summary', async () => {
    codePipeline.on(GetPipelineCommand).resolves({
      pipeline: {
        ...DECLARATION,
        stages: DECLARATION.stages!.map((s) =>
          s.name === 'Staging'
            ? {
                ...s,
                onFailure: {
                  result: 'ROLLBACK',
                  conditions: [{ result: 'RETRY', rules: [{ name: 'Other' }, { name: 'StagingGate' }] } as never],
                },
              }
            : s,
        ),
      },
    });
    rules(
      {
        ...ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Failed', {
          Cron: '#{variables.cron}',
        }),
        input: {
          ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'DeploymentWindow', version: '1' },
          configuration: { Cron: '#{variables.cron}', TimeZone: 'Europe/London' },
          resolvedConfiguration: { Cron: '* * 9-15 ? * MON-THU' },
        },
        output: {
          executionResult: {
            externalExecutionSummary: 'closed',
            errorDetails: { code: 'x', message: 'outside window' },
          },
        },
      },
      ruleRecord(FAILED_EXECUTION, 'Staging', 'StagingGate', 'LambdaInvoke', 'Failed', {}, 'gate said no'),
      ruleRecord(FAILED_EXECUTION, 'Dev', 'Undeclared', 'LambdaInvoke', 'Failed', {}),
      { pipelineExecutionId: FAILED_EXECUTION, status: 'Failed' },
    );
    const r = await readExecution(event('FAILED'), deps());
    const byRule = Object.fromEntries(r.failedRules.map((rule) => [rule.rule, rule]));
    expect(byRule.ProdDeploymentWindow).toEqual({
      stage: 'Prod',
      rule: 'ProdDeploymentWindow',
      status: 'Failed',
      provider: 'DeploymentWindow',
      configuration: { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' },
      condition: 'BeforeEntry',
      result: 'FAIL',
      summary: 'outside window',
    });
    expect(byRule.StagingGate).toMatchObject({ condition: 'OnFailure', result: 'RETRY', summary: 'gate said no' });
    expect(byRule.Undeclared.condition).toBeUndefined();
    expect(byRule.Undeclared.result).toBeUndefined();
    expect(byRule['unknown rule']).toEqual({
      stage: 'unknown stage',
      rule: 'unknown rule',
      status: 'Failed',
      provider: undefined,
      configuration: {},
      summary: undefined,
    });
  });

  it('leaves the condition unknown when the structure could not be read', async () => {
    codePipeline.on(GetPipelineCommand).rejects(awsError('PipelineNotFoundException', 400, 'not found'));
    rules(ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Failed', {}));
    const r = await readExecution(event('FAILED'), deps());
    expect(r.failedRules[0].condition).toBeUndefined();
    expect(r.stageOrder).toBeUndefined();
    expect(r.stageOnFailure).toBeUndefined();
    expect(r.unread).toEqual(['GetPipeline: PipelineNotFoundException: not found']);
  });
});

describe('readExecution: the stage where the execution ended', () => {
  it('is the stage of a failed rule before that of a failed action', async () => {
    actions(failedHealthCheck('Staging'));
    rules(ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Failed', {}));
    expect((await readExecution(event('FAILED'), deps())).stage).toBe('Prod');
  });

  it('is the stage of an unfinished action, else an unfinished rule, of a stopped execution', async () => {
    actions(
      actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'HealthCheck', 'InProgress'),
      actionRecord(FAILED_EXECUTION, 'Staging', 'DrCheck', 'Abandoned'),
    );
    rules(ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdBakeTime', 'CloudWatchAlarm', 'Abandoned', {}));
    const r = await readExecution(event('STOPPED'), deps());
    expect(r.stage).toBe('Staging');
    expect(r.unfinishedActions).toEqual([
      { stage: 'Staging', action: 'DrCheck', status: 'Abandoned' },
      { stage: 'Staging', action: 'HealthCheck', status: 'InProgress' },
    ]);
    expect(r.unfinishedRules.map((rule) => [rule.rule, rule.status])).toEqual([['ProdBakeTime', 'Abandoned']]);

    actions(actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded'));
    rules(ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdBakeTime', 'CloudWatchAlarm', 'InProgress', {}));
    const byRule = await readExecution(event('STOPPED'), deps());
    expect(byRule.stage).toBe('Prod');
    expect(byRule.unfinishedActions).toEqual([]);
  });

  it('is else the latest stage in pipeline order that ran, whatever the order of the records', async () => {
    const later = new Date('2026-12-01T12:00:00Z');
    actions(
      actionRecord(FAILED_EXECUTION, 'Staging', 'Deploy', 'Succeeded', { lastUpdateTime: new Date(0) }),
      actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded', { lastUpdateTime: later }),
      actionRecord(FAILED_EXECUTION, 'Build', 'Synth', 'Succeeded', { lastUpdateTime: later }),
    );
    expect((await readExecution(event('SUPERSEDED'), deps())).stage).toBe('Staging');
  });

  it('is the stage of the newest record when the structure could not be read, and unknown with no records', async () => {
    codePipeline.on(GetPipelineCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    actions(
      actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded', {
        lastUpdateTime: new Date('2026-12-01T11:00:00Z'),
      }),
      actionRecord(FAILED_EXECUTION, 'Staging', 'Deploy', 'Succeeded', {
        lastUpdateTime: new Date('2026-12-01T12:00:00Z'),
      }),
      actionRecord(FAILED_EXECUTION, 'Build', 'Synth', 'Succeeded', {
        lastUpdateTime: new Date('2026-12-01T10:00:00Z'),
      }),
    );
    expect((await readExecution(event('SUPERSEDED'), deps())).stage).toBe('Staging');
    actions();
    expect((await readExecution(event('SUPERSEDED'), deps())).stage).toBeUndefined();
    // A page without its list (CodePipeline leaves out an empty one) is an empty page.
    codePipeline.on(ListActionExecutionsCommand).resolves({});
    codePipeline.on(GetPipelineCommand).resolves({ pipeline: DECLARATION });
    const none = await readExecution(event('SUPERSEDED'), deps());
    expect(none.stage).toBeUndefined();
    expect(none.unread).toEqual([]);
  });
});

describe('readExecution: the type of execution', () => {
  const withExecution = (over: object | undefined) =>
    codePipeline.on(GetPipelineExecutionCommand).resolves({
      pipelineExecution: over && {
        ...standardExecution(ROLLBACK_EXECUTION, '0ld600dc0ffee1', 'Add the quotes API'),
        executionType: undefined,
        trigger: undefined,
        ...over,
      },
    });

  it('takes the type CodePipeline gives, else a rollback trigger of the execution or of the event, else STANDARD', async () => {
    withExecution({ executionType: 'ROLLBACK' });
    expect((await readExecution(event('SUCCEEDED'), deps())).type).toBe('ROLLBACK');
    for (const triggerType of ['AutomatedRollback', 'ManualRollback'] as const) {
      withExecution({ trigger: { triggerType } });
      const r = await readExecution(event('SUCCEEDED'), deps());
      expect([triggerType, r.type, r.trigger?.type]).toEqual([triggerType, 'ROLLBACK', triggerType]);
    }
    withExecution({ trigger: { triggerType: 'WebhookV2' } });
    expect((await readExecution(event('SUCCEEDED'), deps())).type).toBe('STANDARD');
    withExecution({});
    const fromEvent = await readExecution(event('SUCCEEDED', { trigger: { type: 'ManualRollback' } }), deps());
    expect(fromEvent.type).toBe('ROLLBACK');
    expect(fromEvent.trigger).toEqual({ type: 'ManualRollback' });
  });

  it('is unknown when the execution could not be read and the event names no rollback', async () => {
    codePipeline.on(GetPipelineExecutionCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const r = await readExecution(event('SUCCEEDED'), deps());
    expect(r.type).toBeUndefined();
    expect(r.commit).toBeUndefined();
    expect(r.trigger).toBeUndefined();
  });

  it('reads the execution a rollback went back to, with its commit', async () => {
    withExecution({
      executionType: 'ROLLBACK',
      trigger: { triggerType: 'AutomatedRollback', triggerDetail: FAILED_EXECUTION },
      rollbackMetadata: { rollbackTargetPipelineExecutionId: LAST_GOOD_EXECUTION },
    });
    codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: LAST_GOOD_EXECUTION }).resolves({
      pipelineExecution: standardExecution(LAST_GOOD_EXECUTION, '0ld600dc0ffee1', 'Add the quotes API'),
    });
    const r = await readExecution(event('SUCCEEDED', { executionId: ROLLBACK_EXECUTION }), deps());
    expect(r.rollbackTarget).toEqual({ id: LAST_GOOD_EXECUTION, commit: '0ld600dc0ffee1' });
    expect(r.trigger).toEqual({ type: 'AutomatedRollback', detail: FAILED_EXECUTION });
    expect(r.commit).toBe('0ld600dc0ffee1');
    expect(r.commitMessage).toBe('Add the quotes API');
  });
});

describe('readExecution: whether the stage rolls back', () => {
  const lastGoodCalls = () =>
    codePipeline
      .commandCalls(ListPipelineExecutionsCommand)
      .filter((c) => c.args[0].input.filter?.succeededInStage !== undefined);

  it('looks up the last execution that succeeded in a stage that rolls back on failure', async () => {
    actions(failedHealthCheck('Staging'));
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [
        { pipelineExecutionId: LAST_GOOD_EXECUTION, sourceRevisions: [{ actionName: 'Source', revisionId: '0ld6' }] },
      ],
    });
    const r = await readExecution(event('FAILED'), deps());
    expect(codePipeline).toHaveReceivedCommandWith(ListPipelineExecutionsCommand, {
      pipelineName: PIPELINE,
      filter: { succeededInStage: { stageName: 'Staging' } },
      maxResults: 1,
    });
    expect(r).toMatchObject({
      stageOnFailure: 'ROLLBACK',
      expectsRollback: true,
      lastGoodInStage: { id: LAST_GOOD_EXECUTION, commit: '0ld6' },
      noGoodInStage: false,
    });
  });

  it('says there is nothing to roll back to when CodePipeline lists no execution that succeeded in the stage', async () => {
    actions(failedHealthCheck('Staging'));
    const r = await readExecution(event('FAILED'), deps());
    expect(r).toMatchObject({ expectsRollback: true, lastGoodInStage: undefined, noGoodInStage: true });
  });

  it('claims neither a last good execution nor none when that read fails', async () => {
    actions(failedHealthCheck('Staging'));
    codePipeline.on(ListPipelineExecutionsCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const r = await readExecution(event('FAILED'), deps());
    expect(r).toMatchObject({ expectsRollback: true, lastGoodInStage: undefined, noGoodInStage: false });
    expect(r.unread).toEqual(['ListPipelineExecutions (succeeded in Staging): ThrottlingException: Rate exceeded']);
  });

  it('rolls back on a failed rule whose condition result is ROLLBACK, even in a stage without rollback on failure', async () => {
    actions(actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded'));
    codePipeline.on(GetPipelineCommand).resolves({
      pipeline: {
        ...DECLARATION,
        stages: DECLARATION.stages!.map((s) =>
          s.name === 'Dev'
            ? { ...s, onSuccess: { conditions: [{ result: 'ROLLBACK', rules: [{ name: 'DevBake' } as never] }] } }
            : s,
        ),
      },
    });
    rules(ruleRecord(FAILED_EXECUTION, 'Dev', 'DevBake', 'CloudWatchAlarm', 'Failed', {}));
    const r = await readExecution(event('FAILED'), deps());
    expect(r.failedRules[0]).toMatchObject({ condition: 'OnSuccess', result: 'ROLLBACK' });
    expect(r.stageOnFailure).toBeUndefined();
    expect(r.expectsRollback).toBe(true);
    expect(lastGoodCalls()).toHaveLength(1);
  });

  it('does not promise a rollback after a failed entry condition, nor in a stage without rollback', async () => {
    rules(ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Failed', {}));
    const closed = await readExecution(event('FAILED'), deps());
    expect(closed).toMatchObject({ stage: 'Prod', stageOnFailure: 'ROLLBACK', expectsRollback: false });

    rules();
    actions(failedHealthCheck('Dev'));
    const dev = await readExecution(event('FAILED'), deps());
    expect(dev).toMatchObject({ stage: 'Dev', stageOnFailure: undefined, expectsRollback: false });
    expect(lastGoodCalls()).toHaveLength(0);
  });

  it('does not look for a last good execution for a rollback that failed, or an execution that did not fail', async () => {
    actions(failedHealthCheck('Staging'));
    codePipeline.on(GetPipelineExecutionCommand).resolves({
      pipelineExecution: { ...standardExecution(ROLLBACK_EXECUTION, 'c', 'm'), executionType: 'ROLLBACK' },
    });
    expect((await readExecution(event('FAILED'), deps())).expectsRollback).toBe(false);
    codePipeline
      .on(GetPipelineExecutionCommand)
      .resolves({ pipelineExecution: standardExecution(FAILED_EXECUTION, 'c', 'm') });
    expect((await readExecution(event('STOPPED'), deps())).expectsRollback).toBe(false);
    expect(lastGoodCalls()).toHaveLength(0);
  });
});

describe('readExecution: the reason of a stop', () => {
  it("finds the execution in the pipeline's history, following up to 3 pages", async () => {
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [{ pipelineExecutionId: LAST_GOOD_EXECUTION }],
      nextToken: 'p2',
    });
    codePipeline.on(ListPipelineExecutionsCommand, { nextToken: 'p2' }).resolves({
      pipelineExecutionSummaries: [{ pipelineExecutionId: ROLLBACK_EXECUTION }],
      nextToken: 'p3',
    });
    codePipeline.on(ListPipelineExecutionsCommand, { nextToken: 'p3' }).resolves({
      pipelineExecutionSummaries: [
        { pipelineExecutionId: FAILED_EXECUTION, stopTrigger: { reason: 'wrong capacity' } },
      ],
      nextToken: 'p4',
    });
    const r = await readExecution(event('STOPPED'), deps());
    expect(r.stopReason).toBe('wrong capacity');
    expect(codePipeline.commandCalls(ListPipelineExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { pipelineName: PIPELINE, nextToken: undefined },
      { pipelineName: PIPELINE, nextToken: 'p2' },
      { pipelineName: PIPELINE, nextToken: 'p3' },
    ]);
  });

  it('stops after 3 pages, and at the last page, without a reason', async () => {
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [{ pipelineExecutionId: LAST_GOOD_EXECUTION }],
      nextToken: 'more',
    });
    const deep = await readExecution(event('STOPPED'), deps());
    expect(deep.stopReason).toBeUndefined();
    expect(codePipeline.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(3);

    codePipeline.reset();
    codePipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    const empty = await readExecution(event('STOPPED'), deps());
    expect(empty.stopReason).toBeUndefined();
    expect(codePipeline.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(1);
  });
});

describe('readExecution: the deadline', () => {
  it('attempts a read while time is left, and none once the deadline is reached', async () => {
    const atEdge = await readExecution(event('SUCCEEDED'), deps({ deadlineAt: 1_000, now: () => 999 }));
    expect(atEdge.unread).toEqual([]);
    const atDeadline = await readExecution(event('SUCCEEDED'), deps({ deadlineAt: 1_000, now: () => 1_000 }));
    expect(atDeadline.unread).toEqual([
      'GetPipelineExecution: not attempted, no time left before the message must go out',
      'GetPipeline: not attempted, no time left before the message must go out',
      'ListActionExecutions: not attempted, no time left before the message must go out',
      'ListRuleExecutions: not attempted, no time left before the message must go out',
    ]);
  });

  it('gives up on a read that does not answer in time, cancels its call, and keeps the other answers', async () => {
    codePipeline.on(ListRuleExecutionsCommand).callsFake(() => new Promise(() => undefined));
    actions(failedHealthCheck('Dev'));
    // A clock that stands still: every read starts with the whole 150 ms, so only the hanging one runs out.
    const r = await readExecution(event('FAILED'), deps({ deadlineAt: 150, now: () => 0 }));
    expect(r.unread).toEqual(['ListRuleExecutions: timed out (no answer within 150 ms)']);
    expect(r.stage).toBe('Dev');
    const [hanging] = codePipeline.commandCalls(ListRuleExecutionsCommand);
    expect((hanging.args as unknown[])[1]).toMatchObject({ abortSignal: { aborted: true } });
    const [answered] = codePipeline.commandCalls(GetPipelineCommand);
    expect((answered.args as unknown[])[1]).toMatchObject({ abortSignal: { aborted: false } });
  });

  describe('with fake timers', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('leaves no timer behind once the reads have answered', async () => {
      const r = await readExecution(event('SUCCEEDED'), deps({ deadlineAt: 60_000, now: () => 0 }));
      expect(r.unread).toEqual([]);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});

describe('readExecution: answers that leave parts out', () => {
  it('reads a page without its list but with a nextToken as empty, and goes on to the next page', async () => {
    codePipeline.on(GetPipelineCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    codePipeline.on(ListActionExecutionsCommand).resolves({ nextToken: 'p2' });
    codePipeline.on(ListActionExecutionsCommand, { nextToken: 'p2' }).resolves({
      actionExecutionDetails: [
        actionRecord(FAILED_EXECUTION, 'Dev', 'Deploy', 'Succeeded', {
          lastUpdateTime: undefined,
          startTime: undefined,
        }),
      ],
    });
    const r = await readExecution(event('SUPERSEDED'), deps());
    expect(r.stage).toBe('Dev');
  });

  it('names an unfinished action without a stage or action name as unknown', async () => {
    actions({ pipelineExecutionId: FAILED_EXECUTION, status: 'InProgress' });
    const r = await readExecution(event('STOPPED'), deps());
    expect(r.unfinishedActions).toEqual([{ stage: 'unknown stage', action: 'unknown action', status: 'InProgress' }]);
    expect(r.stage).toBe('unknown stage');
  });

  // The SDK types every member of these answers as possibly undefined; the notifier reads what is there and never throws.
  it('uses what a structure without stages, actions, rules or names still says, and does not throw', async () => {
    codePipeline.on(GetPipelineCommand).resolves({
      pipeline: {
        name: PIPELINE,
        roleArn: undefined,
        stages: [
          {
            name: 'Staging',
            actions: undefined,
            onFailure: { result: 'ROLLBACK', conditions: [{ result: 'RETRY' }] },
          },
          { name: undefined, actions: [] },
        ],
      },
    });
    actions(actionRecord(FAILED_EXECUTION, 'Staging', 'HealthCheck', 'Failed', { input: undefined }));
    rules({
      ...ruleRecord(FAILED_EXECUTION, 'Staging', 'StagingGate', 'LambdaInvoke', 'Failed', {}),
      input: { configuration: { FunctionName: 'gate' } },
    });
    const r = await readExecution(event('FAILED'), deps());
    expect(r.stageOrder).toStrictEqual(['Staging']);
    expect(r.failedActions[0]).toMatchObject({ stage: 'Staging', action: 'HealthCheck', provider: undefined });
    expect(r.failedRules[0]).toMatchObject({ rule: 'StagingGate', provider: undefined });
    expect(r.failedRules[0].condition).toBeUndefined();
    expect(r.stageOnFailure).toBe('ROLLBACK');

    codePipeline
      .on(GetPipelineCommand)
      .resolves({ pipeline: { name: PIPELINE, roleArn: undefined, stages: undefined } });
    const bare = await readExecution(event('FAILED'), deps());
    expect(bare).toMatchObject({ stage: 'Staging', stageOrder: undefined, stageOnFailure: undefined });
    expect(bare.failedActions[0]).toMatchObject({ action: 'HealthCheck', provider: undefined });
    expect(bare.failedRules[0].condition).toBeUndefined();
  });

  it('names a failed action without its type when the structure could not be read', async () => {
    codePipeline.on(GetPipelineCommand).rejects(awsError('AccessDeniedException', 400, 'no'));
    actions(failedHealthCheck('Staging', { input: undefined }));
    const r = await readExecution(event('FAILED'), deps());
    expect(r.failedActions).toEqual([
      expect.objectContaining({ stage: 'Staging', action: 'HealthCheck', reason: 'Staging health check FAILED' }),
    ]);
    expect(r.failedActions[0].provider).toBeUndefined();
  });

  it('reads the commit as unknown when the execution lists no artifact revisions', async () => {
    const { artifactRevisions: _, ...withoutRevisions } = standardExecution(FAILED_EXECUTION, 'c', 'm');
    codePipeline.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: withoutRevisions });
    const r = await readExecution(event('SUCCEEDED'), deps());
    expect(r).toMatchObject({ commit: undefined, commitMessage: undefined, type: 'STANDARD' });
  });

  it('says there is nothing to roll back to when the list of executions that succeeded in the stage is left out', async () => {
    actions(failedHealthCheck('Staging'));
    codePipeline.on(ListPipelineExecutionsCommand).resolves({});
    const r = await readExecution(event('FAILED'), deps());
    expect(r).toMatchObject({ expectsRollback: true, lastGoodInStage: undefined, noGoodInStage: true });
  });

  it('gives the last good execution without a commit when its summary lists no source revision', async () => {
    actions(failedHealthCheck('Staging'));
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [{ pipelineExecutionId: LAST_GOOD_EXECUTION, sourceRevisions: [] }],
    });
    const r = await readExecution(event('FAILED'), deps());
    expect(r.lastGoodInStage).toEqual({ id: LAST_GOOD_EXECUTION, commit: undefined });
  });

  it.each([
    ['an empty answer', {}],
    ['an execution without artifact revisions', { pipelineExecution: { pipelineExecutionId: LAST_GOOD_EXECUTION } }],
    ['an execution with no artifact revision', { pipelineExecution: { artifactRevisions: [] } }],
  ])('gives the rollback target without a commit when reading it returns %s', async (_case, answer) => {
    codePipeline.on(GetPipelineExecutionCommand).resolves({
      pipelineExecution: {
        ...standardExecution(ROLLBACK_EXECUTION, 'c', 'm'),
        executionType: 'ROLLBACK',
        rollbackMetadata: { rollbackTargetPipelineExecutionId: LAST_GOOD_EXECUTION },
      },
    });
    codePipeline.on(GetPipelineExecutionCommand, { pipelineExecutionId: LAST_GOOD_EXECUTION }).resolves(answer);
    const r = await readExecution(event('SUCCEEDED', { executionId: ROLLBACK_EXECUTION }), deps());
    expect(r.rollbackTarget).toEqual({ id: LAST_GOOD_EXECUTION, commit: undefined });
  });
});

describe('readExecution: rules of one stage, and unfinished rules', () => {
  it('keeps every failed rule of a stage, not only the newest', async () => {
    rules(
      ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Failed', {}),
      ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdGate', 'LambdaInvoke', 'Failed', {}),
    );
    const r = await readExecution(event('FAILED'), deps());
    expect(r.failedRules.map((rule) => rule.rule).sort()).toEqual(['ProdDeploymentWindow', 'ProdGate']);
  });

  it('lists as unfinished only the rules in progress or abandoned', async () => {
    rules(
      ruleRecord(FAILED_EXECUTION, 'Staging', 'StagingBakeTime', 'CloudWatchAlarm', 'Succeeded', {}),
      ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdDeploymentWindow', 'DeploymentWindow', 'Failed', {}),
      ruleRecord(FAILED_EXECUTION, 'Prod', 'ProdBakeTime', 'CloudWatchAlarm', 'InProgress', {}),
    );
    const r = await readExecution(event('STOPPED'), deps());
    expect(r.unfinishedRules.map((rule) => `${rule.rule} ${rule.status}`)).toEqual(['ProdBakeTime InProgress']);
  });

  it('expects the rollback of a stage that rolls back on failure when a success condition failed the stage', async () => {
    codePipeline.on(GetPipelineCommand).resolves({
      pipeline: {
        ...DECLARATION,
        stages: DECLARATION.stages!.map((s) =>
          s.name === 'Staging'
            ? { ...s, onSuccess: { conditions: [{ result: 'FAIL', rules: [{ name: 'StagingGate' } as never] }] } }
            : s,
        ),
      },
    });
    rules(ruleRecord(FAILED_EXECUTION, 'Staging', 'StagingGate', 'LambdaInvoke', 'Failed', {}));
    const r = await readExecution(event('FAILED'), deps());
    expect(r).toMatchObject({ stage: 'Staging', stageOnFailure: 'ROLLBACK', expectsRollback: true });
    expect(r.failedRules[0]).toMatchObject({ condition: 'OnSuccess', result: 'FAIL' });
  });
});

describe('readExecution: the reason of a stop, when it cannot be read', () => {
  it('names the list it could not read, and claims no reason', async () => {
    codePipeline.on(ListPipelineExecutionsCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const r = await readExecution(event('STOPPED'), deps());
    expect(r.stopReason).toBeUndefined();
    expect(r.unread).toEqual(['ListPipelineExecutions: ThrottlingException: Rate exceeded']);
  });

  it('reads a page without its list as one without the execution', async () => {
    codePipeline.on(ListPipelineExecutionsCommand).resolves({});
    const r = await readExecution(event('STOPPED'), deps());
    expect(r.stopReason).toBeUndefined();
    expect(r.unread).toEqual([]);
  });
});

describe('readExecution: every read is cancelled when it does not answer in time', () => {
  /** The abort signal each call of `command` was given. */
  const signals = (calls: { args: unknown[] }[]) =>
    calls.map((c) => (c.args[1] as { abortSignal?: AbortSignal }).abortSignal);

  it.each([
    ['GetPipelineExecution of the execution', 'SUCCEEDED'],
    ['ListPipelineExecutions for the reason of a stop', 'STOPPED'],
  ] as const)('cancels %s', async (what, state) => {
    const hang = () => new Promise(() => undefined);
    if (what.startsWith('GetPipelineExecution')) codePipeline.on(GetPipelineExecutionCommand).callsFake(hang);
    else codePipeline.on(ListPipelineExecutionsCommand).callsFake(hang);
    await readExecution(event(state), deps({ deadlineAt: 100, now: () => 0 }));
    const calls = what.startsWith('GetPipelineExecution')
      ? codePipeline.commandCalls(GetPipelineExecutionCommand)
      : codePipeline.commandCalls(ListPipelineExecutionsCommand);
    expect(signals(calls).map((s) => s?.aborted)).toEqual([true]);
  });

  it('cancels the read of the last good execution in the stage', async () => {
    actions(failedHealthCheck('Staging'));
    codePipeline.on(ListPipelineExecutionsCommand).callsFake(() => new Promise(() => undefined));
    const r = await readExecution(event('FAILED'), deps({ deadlineAt: 100, now: () => 0 }));
    expect(r.unread).toEqual(['ListPipelineExecutions (succeeded in Staging): timed out (no answer within 100 ms)']);
    expect(signals(codePipeline.commandCalls(ListPipelineExecutionsCommand)).map((s) => s?.aborted)).toEqual([true]);
  });

  it('cancels the read of the rollback target', async () => {
    codePipeline.on(GetPipelineExecutionCommand).resolves({
      pipelineExecution: {
        ...standardExecution(ROLLBACK_EXECUTION, 'c', 'm'),
        executionType: 'ROLLBACK',
        rollbackMetadata: { rollbackTargetPipelineExecutionId: LAST_GOOD_EXECUTION },
      },
    });
    codePipeline
      .on(GetPipelineExecutionCommand, { pipelineExecutionId: LAST_GOOD_EXECUTION })
      .callsFake(() => new Promise(() => undefined));
    const r = await readExecution(
      event('SUCCEEDED', { executionId: ROLLBACK_EXECUTION }),
      deps({ deadlineAt: 100, now: () => 0 }),
    );
    expect(r.unread).toEqual([`GetPipelineExecution ${LAST_GOOD_EXECUTION}: timed out (no answer within 100 ms)`]);
    const target = codePipeline
      .commandCalls(GetPipelineExecutionCommand)
      .filter((c) => c.args[0].input.pipelineExecutionId === LAST_GOOD_EXECUTION);
    expect(signals(target).map((s) => s?.aborted)).toEqual([true]);
  });

  it('cancels the read of the failure details in S3', async () => {
    actions(failedHealthCheck('Staging'));
    s3.on(GetObjectCommand).callsFake(() => new Promise(() => undefined));
    const r = await readExecution(
      event('FAILED'),
      deps({ detailsBucket: 'reports', s3: new S3Client({}), deadlineAt: 100, now: () => 0 }),
    );
    expect(r.failedActions[0].reason).toBe('Staging health check FAILED');
    expect(signals(s3.commandCalls(GetObjectCommand)).map((s) => s?.aborted)).toEqual([true]);
  });
});
