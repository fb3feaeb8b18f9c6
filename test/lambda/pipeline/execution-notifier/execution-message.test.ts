import type { NotifiedExecutionState } from '../../../../contracts/pipeline-execution-events';
import {
  executionUrl,
  renderExecutionMessage,
  renderMalformedMessage,
} from '../../../../lambda/pipeline/private/execution-notifier/execution-message';
import type {
  ConditionRule,
  ExecutionReport,
  FailedAction,
} from '../../../../lambda/pipeline/private/execution-notifier/read-execution';
import { FAILED_EXECUTION, LAST_GOOD_EXECUTION, PIPELINE, REGION, ROLLBACK_EXECUTION } from './pipeline-fixture';

/*
 * The message an operator reads, rendered from a report as readExecution builds it. Each test sets only
 * what its outcome depends on; the rest is what a standard execution with nothing failed would hold.
 */
const STAGES = ['Source', 'Build', 'Dev', 'Staging', 'ApproveProd', 'Prod'];

function report(state: NotifiedExecutionState, over: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    event: {
      pipeline: PIPELINE,
      executionId: FAILED_EXECUTION,
      state,
      region: REGION,
      time: new Date('2026-12-01T17:05:00Z'),
    },
    type: 'STANDARD',
    commit: 'abc1234def5678',
    commitMessage: 'Raise the quotes table throughput',
    stageOrder: STAGES,
    expectsRollback: false,
    failedActions: [],
    failedRules: [],
    unfinishedActions: [],
    unfinishedRules: [],
    unread: [],
    ...over,
  };
}

const healthCheck: FailedAction = {
  stage: 'Staging',
  action: 'HealthCheck',
  provider: 'Lambda',
  category: 'Invoke',
  reason: 'staging health check FAILED: /health answered 503',
};
const windowRule = (configuration: Record<string, string>, over: Partial<ConditionRule> = {}): ConditionRule => ({
  stage: 'Prod',
  rule: 'ProdDeploymentWindow',
  status: 'Failed',
  provider: 'DeploymentWindow',
  configuration,
  condition: 'BeforeEntry',
  result: 'FAIL',
  ...over,
});
const bakeRule = (over: Partial<ConditionRule> = {}): ConditionRule => ({
  stage: 'Prod',
  rule: 'ProdBakeTime',
  status: 'Failed',
  provider: 'CloudWatchAlarm',
  configuration: { AlarmName: 'prod-stage-unhealthy', AlarmStates: 'ALARM', WaitTime: '30' },
  condition: 'OnSuccess',
  result: 'ROLLBACK',
  ...over,
});
/** The lines of a message's section (Cause, Next, Details, Not read), without their labels. */
const section = (message: string, name: string): string[] => {
  const lines = message.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${name}:`));
  if (start < 0) return [];
  const out = [lines[start].slice(11)];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('           ')) break;
    out.push(line.slice(11));
  }
  return out;
};

describe('executionUrl', () => {
  it("links the execution's timeline in the console of its region, encoding the names", () => {
    expect(executionUrl('eu-central-1', 'team@delivery', 'a b')).toBe(
      'https://eu-central-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/team%40delivery/executions/a%20b/timeline?region=eu-central-1',
    );
  });
});

describe('renderExecutionMessage: the common lines', () => {
  it('gives headline, stage, commit and execution in this order, and no empty sections', () => {
    const { message } = renderExecutionMessage(report('SUPERSEDED', { stage: 'Staging' }));
    const lines = message.split('\n');
    expect(lines[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} was superseded.`);
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe('Stage:     Staging');
    expect(message).toContain('\nCommit:    abc1234def5678 (Raise the quotes table throughput)\n');
    expect(lines[lines.length - 1]).toBe(`Execution: ${executionUrl(REGION, PIPELINE, FAILED_EXECUTION)}`);
    expect(message).not.toMatch(/Details:|Not read:/);
  });

  it('names the attempt only from the second one on', () => {
    const attempt = (n: number | undefined) =>
      renderExecutionMessage(report('SUCCEEDED', { event: { ...report('SUCCEEDED').event, attempt: n } })).message;
    expect(attempt(2)).toContain(`/timeline?region=${REGION} (attempt 2)`);
    expect(attempt(1)).not.toContain('(attempt');
    expect(attempt(undefined)).not.toContain('(attempt');
  });

  it('quotes the first line of the commit message, at most 200 characters, and says when the commit is unknown', () => {
    const long = `${'w'.repeat(250)}\nbody`;
    expect(renderExecutionMessage(report('SUCCEEDED', { commitMessage: long })).message).toContain(
      `Commit:    abc1234def5678 (${'w'.repeat(200)})\n`,
    );
    expect(renderExecutionMessage(report('SUCCEEDED', { commitMessage: undefined })).message).toContain(
      'Commit:    abc1234def5678\n',
    );
    expect(renderExecutionMessage(report('SUCCEEDED', { commit: undefined })).message).toContain(
      'Commit:    unknown\n',
    );
  });

  it("lists every failed action's link and every read that failed, with the note after the last one only", () => {
    const { message } = renderExecutionMessage(
      report('FAILED', {
        stage: 'Staging',
        failedActions: [
          { ...healthCheck, url: 'https://logs.example.com/health' },
          { ...healthCheck, action: 'DrCheck', url: undefined },
          { ...healthCheck, action: 'Bake', url: 'https://logs.example.com/bake' },
        ],
        unread: ['GetPipeline: AccessDeniedException: no', 'ListRuleExecutions: ThrottlingException: Rate exceeded'],
      }),
    );
    expect(section(message, 'Details')).toEqual(['https://logs.example.com/health', 'https://logs.example.com/bake']);
    expect(section(message, 'Not read')).toEqual([
      'GetPipeline: AccessDeniedException: no',
      'ListRuleExecutions: ThrottlingException: Rate exceeded',
      '(what depends on these reads is missing or marked unknown above)',
    ]);
  });

  it('indents the later lines of a multi-line reason under the first, and puts only its first line in the subject', () => {
    const { subject, message } = renderExecutionMessage(
      report('FAILED', {
        stage: 'Staging',
        failedActions: [{ ...healthCheck, reason: 'data loss: UsersTable replaced\ndrift: Queue0 MODIFIED' }],
      }),
    );
    expect(subject).toBe('[pipeline FAILED] Staging/HealthCheck: data loss: UsersTable replaced');
    expect(section(message, 'Cause')).toEqual([
      'action Staging/HealthCheck (Lambda) failed: data loss: UsersTable replaced',
      'drift: Queue0 MODIFIED',
    ]);
  });
});

describe('renderExecutionMessage: a failed execution', () => {
  it('says the stage keeps what finished, how to retry the failed actions, and which stages were not reached', () => {
    const { subject, message } = renderExecutionMessage(
      report('FAILED', { stage: 'Staging', failedActions: [healthCheck] }),
    );
    expect(subject).toBe('[pipeline FAILED] Staging/HealthCheck: staging health check FAILED: /health answered 503');
    expect(message.split('\n')[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} failed in Staging.`);
    expect(section(message, 'Next')).toEqual([
      `Staging keeps what this execution's finished actions deployed. Push a fix, or retry the failed actions: aws codepipeline retry-stage-execution --pipeline-name ${PIPELINE} --stage-name Staging --pipeline-execution-id ${FAILED_EXECUTION} --retry-mode FAILED_ACTIONS.`,
      'Nothing of this execution reached ApproveProd, Prod.',
    ]);
  });

  it('names the action without a provider when none was read, and says nothing of later stages after the last one', () => {
    const { message } = renderExecutionMessage(
      report('FAILED', { stage: 'Prod', failedActions: [{ stage: 'Prod', action: 'Deploy', reason: 'boom' }] }),
    );
    expect(section(message, 'Cause')).toEqual(['action Prod/Deploy failed: boom']);
    expect(section(message, 'Next')).toHaveLength(1);
    expect(message).not.toContain('Nothing of this execution reached');
  });

  it('names every later stage after a failure in the first stage', () => {
    const { message } = renderExecutionMessage(
      report('FAILED', { stage: 'Source', failedActions: [{ stage: 'Source', action: 'Checkout', reason: 'x' }] }),
    );
    expect(section(message, 'Next')[1]).toBe(
      'Nothing of this execution reached Build, Dev, Staging, ApproveProd, Prod.',
    );
  });

  it('says later stages cannot be named when the stage is not in the structure read, or the structure was not read', () => {
    for (const over of [{ stageOrder: undefined }, { stageOrder: ['Source', 'Build'] }]) {
      const { message } = renderExecutionMessage(
        report('FAILED', { stage: 'Staging', failedActions: [healthCheck], ...over }),
      );
      expect(section(message, 'Next')[1]).toBe(
        'Later stages were not reached (the pipeline structure could not be read to name them).',
      );
    }
  });

  it('names the approver of a rejection and what to do, and never an "approver" of a failed action', () => {
    const rejected: FailedAction = {
      stage: 'ApproveProd',
      action: 'ApproveToProd',
      provider: 'Manual',
      category: 'Approval',
      reason: 'latency doubled',
      by: 'arn:aws:sts::111111111111:assumed-role/approver/jane',
    };
    const { message } = renderExecutionMessage(report('FAILED', { stage: 'ApproveProd', failedActions: [rejected] }));
    expect(section(message, 'Cause')).toEqual([
      'action ApproveProd/ApproveToProd (Manual) was rejected by arn:aws:sts::111111111111:assumed-role/approver/jane: latency doubled',
    ]);
    expect(section(message, 'Next')[0]).toBe(
      'Push a fix, or start the pipeline again once the objection is dealt with.',
    );

    const alongside = renderExecutionMessage(
      report('FAILED', { stage: 'ApproveProd', failedActions: [{ ...healthCheck, stage: 'ApproveProd' }, rejected] }),
    ).message;
    expect(section(alongside, 'Next')[0]).toBe(
      'Push a fix, or start the pipeline again once the objection is dealt with.',
    );

    const anonymous = renderExecutionMessage(
      report('FAILED', { stage: 'ApproveProd', failedActions: [{ ...rejected, by: undefined }] }),
    ).message;
    expect(section(anonymous, 'Cause')).toEqual([
      'action ApproveProd/ApproveToProd (Manual) was rejected: latency doubled',
    ]);

    const byRole = renderExecutionMessage(
      report('FAILED', {
        stage: 'Staging',
        failedActions: [{ ...healthCheck, by: 'arn:aws:iam::111111111111:role/x' }],
      }),
    ).message;
    expect(section(byRole, 'Cause')[0]).toBe(
      'action Staging/HealthCheck (Lambda) failed: staging health check FAILED: /health answered 503',
    );
  });

  it('does not call a failed rule of another provider a bake in the subject', () => {
    const gate: ConditionRule = {
      stage: 'Staging',
      rule: 'StagingGate',
      status: 'Failed',
      provider: 'LambdaInvoke',
      configuration: { FunctionName: 'gate' },
      condition: 'OnSuccess',
      result: 'FAIL',
      summary: 'gate said no',
    };
    const withAction = renderExecutionMessage(
      report('FAILED', { stage: 'Staging', failedRules: [gate], failedActions: [healthCheck] }),
    );
    expect(withAction.subject).toBe(
      '[pipeline FAILED] Staging/HealthCheck: staging health check FAILED: /health answered 503',
    );
    const alone = renderExecutionMessage(
      report('FAILED', { stage: 'Staging', failedRules: [gate], statusSummary: 'Stage Staging failed' }),
    );
    expect(alone.subject).toBe('[pipeline FAILED] Staging: Stage Staging failed');
  });

  describe('in a stage that rolls back', () => {
    const rolling = (over: Partial<ExecutionReport>) =>
      renderExecutionMessage(
        report('FAILED', { stage: 'Prod', expectsRollback: true, failedRules: [bakeRule()], ...over }),
      );

    it('names the last good execution and its commit, and says a ROLLED BACK message follows', () => {
      const { subject, message } = rolling({ lastGoodInStage: { id: LAST_GOOD_EXECUTION, commit: '0ld600dc0ffee1' } });
      expect(subject).toBe('[pipeline FAILED] Prod: bake saw alarm prod-stage-unhealthy; rolling back');
      expect(section(message, 'Cause')).toEqual([
        'the bake (success condition of Prod, rule ProdBakeTime (CloudWatchAlarm)) saw alarm prod-stage-unhealthy in ALARM, watched for 30 minutes',
      ]);
      expect(section(message, 'Next')).toEqual([
        `CodePipeline rolls Prod back to the last execution that succeeded in it, execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe); a "ROLLED BACK" message follows when the rollback ends. If no execution of the current pipeline structure succeeded in Prod, nothing is rolled back: revert the change (git revert) and push.`,
      ]);
    });

    it('says when the last good execution could not be read, and names none when it was not looked up', () => {
      const unread = rolling({ unread: ['ListPipelineExecutions (succeeded in Prod): ThrottlingException: x'] });
      expect(section(unread.message, 'Next')[0]).toMatch(
        /^CodePipeline rolls Prod back to the last execution that succeeded in it \(which one could not be read\); a "ROLLED BACK"/,
      );
      const unnamed = rolling({ lastGoodInStage: { id: LAST_GOOD_EXECUTION } });
      expect(section(unnamed.message, 'Next')[0]).toContain(`succeeded in it, execution ${LAST_GOOD_EXECUTION}; a`);
      const several = rolling({
        unread: [
          'GetPipeline: ThrottlingException: x',
          'ListPipelineExecutions (succeeded in Prod): ThrottlingException: x',
        ],
      });
      expect(section(several.message, 'Next')[0]).toContain('succeeded in it (which one could not be read); a');
      const other = rolling({ unread: ['GetPipeline: ThrottlingException: x'] });
      expect(section(other.message, 'Next')[0]).toContain('succeeded in it; a "ROLLED BACK" message follows');
    });

    it('says nothing is rolled back when no execution has succeeded in the stage, and does not announce a rollback', () => {
      const { subject, message } = rolling({ noGoodInStage: true });
      expect(subject).toBe('[pipeline FAILED] Prod: bake saw alarm prod-stage-unhealthy');
      expect(section(message, 'Next')[0]).toBe(
        `Prod rolls back on failure, but no execution has succeeded in it yet (CodePipeline lists none), so nothing is rolled back: Prod keeps what this execution deployed. Push a fix, or retry the failed actions: aws codepipeline retry-stage-execution --pipeline-name ${PIPELINE} --stage-name Prod --pipeline-execution-id ${FAILED_EXECUTION} --retry-mode FAILED_ACTIONS.`,
      );
    });

    it('does not announce a rollback for a bake in a stage that does not roll back', () => {
      const { subject, message } = renderExecutionMessage(
        report('FAILED', { stage: 'Prod', failedRules: [bakeRule({ result: 'FAIL' })] }),
      );
      expect(subject).toBe('[pipeline FAILED] Prod: bake saw alarm prod-stage-unhealthy');
      expect(message).not.toContain('rolls Prod back');
    });

    it('names the rule when the bake rule names no alarm, and says so in the cause', () => {
      const { subject, message } = rolling({
        failedRules: [bakeRule({ configuration: {}, condition: 'OnFailure', summary: 'Alarm state ALARM' })],
        lastGoodInStage: { id: LAST_GOOD_EXECUTION },
      });
      expect(subject).toBe('[pipeline FAILED] Prod: bake saw alarm ProdBakeTime; rolling back');
      expect(section(message, 'Cause')).toEqual([
        'the bake (failure condition of Prod, rule ProdBakeTime (CloudWatchAlarm)) saw alarm an alarm the rule execution does not name; CodePipeline says: Alarm state ALARM',
      ]);
    });
  });

  describe('at a closed deployment window', () => {
    const closed = (rule: ConditionRule, over: Partial<ExecutionReport> = {}) =>
      renderExecutionMessage(report('FAILED', { stage: 'Prod', failedRules: [rule], ...over }));

    it('says nothing was deployed, when the window next opens in its time zone, and how to retry', () => {
      const { subject, message } = closed(
        windowRule({ Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' }, { summary: 'outside the window' }),
      );
      expect(subject).toBe('[pipeline FAILED] Prod: deployment window closed');
      expect(section(message, 'Cause')).toEqual([
        'the deployment window (entry condition of Prod, rule ProdDeploymentWindow (DeploymentWindow)) was closed: cron "* * 9-15 ? * MON-THU" in Europe/London; it next opens Wed, 2 Dec 2026, 09:00 Europe/London (2026-12-02T09:00:00.000Z); CodePipeline says: outside the window',
      ]);
      expect(section(message, 'Next')).toEqual([
        `Nothing of this execution was deployed to Prod; the execution has ended. Once the window is open, retry the stage (aws codepipeline retry-stage-execution --pipeline-name ${PIPELINE} --stage-name Prod --pipeline-execution-id ${FAILED_EXECUTION} --retry-mode ALL_ACTIONS) or let the next push carry the change.`,
      ]);
    });

    it('reads a cron without time zone in UTC and says so; opening hours in UTC follow', () => {
      const { message } = closed(windowRule({ Cron: '* * 9-15 ? * MON-THU' }));
      expect(section(message, 'Cause')[0]).toContain(
        'cron "* * 9-15 ? * MON-THU" in UTC (no TimeZone set); it next opens Wed, 2 Dec 2026, 09:00 UTC (2026-12-02T09:00:00.000Z)',
      );
    });

    it('says when the window is open at the time of the event, or never opens, or carries no cron', () => {
      expect(section(closed(windowRule({ Cron: '* * 17 ? * TUE', TimeZone: 'UTC' })).message, 'Cause')[0]).toContain(
        'cron "* * 17 ? * TUE" in UTC; it is open now (2026-12-01T17:05:00.000Z)',
      );
      expect(section(closed(windowRule({ Cron: '* * 9 ? * MON 2020' })).message, 'Cause')[0]).toContain(
        'cron "* * 9 ? * MON 2020" in UTC (no TimeZone set); it does not open within two years, or the cron or time zone is not understood',
      );
      expect(
        section(closed(windowRule({ Cron: '* * 9 ? * MON', TimeZone: 'Mars/Olympus' })).message, 'Cause')[0],
      ).toContain('in Mars/Olympus; it does not open within two years');
      expect(section(closed(windowRule({}, { condition: undefined })).message, 'Cause')[0]).toBe(
        'the deployment window (condition (kind not read) of Prod, rule ProdDeploymentWindow (DeploymentWindow)) was closed: when it next opens is unknown (the rule execution carries no Cron)',
      );
    });

    it('warns that a stage with rollback on failure may also roll back, without promising it', () => {
      const { message } = closed(windowRule({ Cron: '* * 9-15 ? * MON-THU' }), { stageOnFailure: 'ROLLBACK' });
      expect(section(message, 'Next')[1]).toBe(
        'Prod also rolls back on failure; CodePipeline does not document whether a failed entry condition starts that rollback. If it does, a ROLLED BACK message follows and Prod keeps the version it ran.',
      );
    });
  });

  it('names another kind of rule by its status, with or without provider', () => {
    const rule: ConditionRule = {
      stage: 'Staging',
      rule: 'Gate',
      status: 'Failed',
      configuration: {},
      condition: 'OnSuccess',
      summary: 'no',
    };
    expect(
      section(renderExecutionMessage(report('FAILED', { stage: 'Staging', failedRules: [rule] })).message, 'Cause'),
    ).toEqual(['success condition of Staging, rule Gate failed; CodePipeline says: no']);
    const withProvider = renderExecutionMessage(
      report('FAILED', { stage: 'Staging', failedRules: [{ ...rule, provider: 'LambdaInvoke', summary: undefined }] }),
    );
    expect(section(withProvider.message, 'Cause')).toEqual([
      'success condition of Staging, rule Gate (LambdaInvoke) failed',
    ]);
  });

  it('says the cause is not known, quoting CodePipeline when it gave a summary', () => {
    const summarised = renderExecutionMessage(report('FAILED', { statusSummary: 'Pipeline failed\nat Build' }));
    expect(summarised.subject).toBe('[pipeline FAILED] an unknown stage: Pipeline failed');
    expect(summarised.message.split('\n')[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} failed.`);
    expect(summarised.message).toContain('Stage:     unknown (not found in what could be read)');
    expect(section(summarised.message, 'Next')).toEqual([]);
    const silent = renderExecutionMessage(report('FAILED', { stage: 'Build' }));
    expect(silent.subject).toBe('[pipeline FAILED] Build: cause not read');
    expect(section(silent.message, 'Cause')).toEqual([
      'no failed action or rule was found and CodePipeline gave no summary; open the execution',
    ]);
  });
});

describe('renderExecutionMessage: a stopped execution', () => {
  it('quotes the first line of the reason in the subject, lists what was left running, and how to go on', () => {
    const { subject, message } = renderExecutionMessage(
      report('STOPPED', {
        stage: 'Staging',
        stopReason: 'Wrong capacity\nfix follows',
        unfinishedActions: [{ stage: 'Staging', action: 'HealthCheck', status: 'Abandoned' }],
        unfinishedRules: [
          { ...bakeRule({ stage: 'Staging', rule: 'StagingBake', configuration: {} }), status: 'InProgress' },
        ],
      }),
    );
    expect(subject).toBe('[pipeline STOPPED] at Staging: Wrong capacity');
    expect(message.split('\n')[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} was stopped in Staging.`);
    expect(section(message, 'Cause')).toEqual([
      `someone stopped the execution in Staging (StopPipelineExecution; CloudTrail's event of that name in the pipeline account names the caller); the reason given: "Wrong capacity`,
      'fix follows".',
      'Left unfinished: action Staging/HealthCheck (Abandoned), the bake (success condition of Staging, rule StagingBake (CloudWatchAlarm)) saw alarm an alarm the rule execution does not name (InProgress).',
    ]);
    expect(section(message, 'Next')).toEqual([
      `Staging keeps what finished before the stop. Retry the stage (aws codepipeline retry-stage-execution --pipeline-name ${PIPELINE} --stage-name Staging --pipeline-execution-id ${FAILED_EXECUTION} --retry-mode ALL_ACTIONS) or push again.`,
      'Nothing of this execution reached ApproveProd, Prod.',
    ]);
  });

  it('tells a reason that could not be read from one that was not given, and leaves out empty lines', () => {
    const unread = renderExecutionMessage(
      report('STOPPED', { stage: 'Prod', unread: ['ListPipelineExecutions: ThrottlingException: Rate exceeded'] }),
    );
    expect(unread.subject).toBe('[pipeline STOPPED] at Prod: the reason could not be read');
    expect(section(unread.message, 'Cause')).toHaveLength(1);
    expect(section(unread.message, 'Next')).toHaveLength(1);
    const otherUnread = renderExecutionMessage(report('STOPPED', { stage: 'Prod', unread: ['GetPipeline: x'] }));
    expect(otherUnread.subject).toBe('[pipeline STOPPED] at Prod: no reason was given');
    const noStage = renderExecutionMessage(report('STOPPED'));
    expect(noStage.subject).toBe('[pipeline STOPPED] at an unknown stage: no reason was given');
    expect(noStage.message.split('\n')[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} was stopped.`);
  });
});

describe('renderExecutionMessage: superseded, cancelled, succeeded', () => {
  it('does not name a next stage for a superseded execution in the last stage or an unknown one', () => {
    for (const stage of ['Prod', 'Elsewhere']) {
      const { message } = renderExecutionMessage(report('SUPERSEDED', { stage }));
      expect(section(message, 'Cause')).toEqual([
        'a newer execution overtook this one while it waited (the pipeline runs in SUPERSEDED mode: the newer one goes on).',
      ]);
      expect(section(message, 'Next')).toEqual([
        `Nothing of this execution goes beyond ${stage}; the newer execution carries main as it is now.`,
      ]);
    }
  });

  it('tells a cancelled execution why and how to release the change again', () => {
    const { subject, message } = renderExecutionMessage(report('CANCELED', { stage: 'UpdatePipeline' }));
    expect(subject).toBe('[pipeline CANCELED] in UpdatePipeline: the pipeline changed while it ran');
    expect(message.split('\n')[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} was cancelled.`);
    expect(section(message, 'Cause')).toEqual([
      "the pipeline's structure changed while this execution ran (UpdatePipeline updates it), so CodePipeline cancelled the execution.",
    ]);
    expect(section(message, 'Next')[0]).toContain(`(aws codepipeline start-pipeline-execution --name ${PIPELINE}).`);
  });

  it('tells a success by its commit, and says when whether it was a rollback could not be read', () => {
    const plain = renderExecutionMessage(report('SUCCEEDED', { commitMessage: 'Add quotes\n\nlong body' }));
    expect(plain.subject).toBe('[pipeline SUCCEEDED] abc1234d Add quotes');
    expect(plain.message.split('\n')[0]).toBe(`Execution ${FAILED_EXECUTION} of ${PIPELINE} succeeded.`);
    expect(section(plain.message, 'Cause')).toEqual([`every stage ran: ${STAGES.join(', ')}.`]);
    expect(section(plain.message, 'Next')).toEqual([]);
    const unknown = renderExecutionMessage(
      report('SUCCEEDED', { type: undefined, stageOrder: undefined, commit: undefined, commitMessage: undefined }),
    );
    expect(unknown.subject).toBe('[pipeline SUCCEEDED] unknown');
    expect(section(unknown.message, 'Cause')).toEqual([
      'every stage ran.',
      'Whether this execution was a rollback could not be read (see "Not read"); if it was, its stage went back to an older version.',
    ]);
  });
});

describe('renderExecutionMessage: a rollback execution', () => {
  const rollback = (state: NotifiedExecutionState, over: Partial<ExecutionReport> = {}) =>
    report(state, {
      event: { ...report(state).event, executionId: ROLLBACK_EXECUTION },
      type: 'ROLLBACK',
      stage: 'Prod',
      rollbackTarget: { id: LAST_GOOD_EXECUTION, commit: '0ld600dc0ffee1' },
      ...over,
    });

  it('tells a rollback done by hand, with its reason, and that main still holds the change', () => {
    const { subject, message } = renderExecutionMessage(
      rollback('SUCCEEDED', { trigger: { type: 'ManualRollback', detail: 'quotes broken' } }),
    );
    expect(subject).toBe(`[pipeline ROLLED BACK] Prod back to ${LAST_GOOD_EXECUTION.slice(0, 8)}`);
    expect(section(message, 'Cause')).toEqual([
      `Prod was rolled back by hand (quotes broken) to execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe), by rollback execution ${ROLLBACK_EXECUTION}.`,
    ]);
    expect(section(message, 'Next')).toEqual([
      "Prod runs that execution's version again. Stages before it keep the newer version.",
      'main still holds the change that failed: the next push deploys it again unless it is reverted (git revert).',
    ]);
    expect(
      section(
        renderExecutionMessage(rollback('SUCCEEDED', { trigger: { type: 'ManualRollback' } })).message,
        'Cause',
      )[0],
    ).toContain('Prod was rolled back by hand to execution');
  });

  it('says when the target could not be read and the stage is unknown', () => {
    const { subject, message } = renderExecutionMessage(
      rollback('SUCCEEDED', { stage: undefined, rollbackTarget: undefined, trigger: { type: 'AutomatedRollback' } }),
    );
    expect(subject).toBe('[pipeline ROLLED BACK] an unknown stage back to unknown');
    expect(message.split('\n')[0]).toBe(`A stage of ${PIPELINE} was rolled back (execution ${ROLLBACK_EXECUTION}).`);
    expect(section(message, 'Cause')[0]).toBe(
      `an unknown stage was rolled back automatically to execution an execution that could not be read, by rollback execution ${ROLLBACK_EXECUTION}.`,
    );
  });

  it('tells a rollback that was stopped, and what to check by hand', () => {
    const { subject, message } = renderExecutionMessage(
      rollback('STOPPED', { trigger: { type: 'AutomatedRollback', detail: FAILED_EXECUTION } }),
    );
    expect(subject).toBe('[pipeline ROLLBACK STOPPED] Prod: stopped');
    expect(message.split('\n')[0]).toBe(
      `Rollback execution ${ROLLBACK_EXECUTION} of ${PIPELINE} ended STOPPED in Prod.`,
    );
    expect(section(message, 'Cause')).toEqual([
      `the rollback of Prod to execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe) (started automatically (started from ${FAILED_EXECUTION})) ended STOPPED.`,
    ]);
    expect(section(message, 'Next')[0]).toMatch(
      /^Prod is as the rollback left it: .*continue-update-rollback.*"Rolling back by hand"/,
    );
    const noStage = renderExecutionMessage(rollback('STOPPED', { stage: undefined }));
    expect(noStage.message.split('\n')[0]).toBe(
      `Rollback execution ${ROLLBACK_EXECUTION} of ${PIPELINE} ended STOPPED.`,
    );
  });

  it('tells a failed rollback by the first line of its failed action, before any failed rule', () => {
    const { subject, message } = renderExecutionMessage(
      rollback('FAILED', {
        failedActions: [
          { stage: 'Prod', action: 'Service.Deploy', reason: 'quotes already exists\nstack UPDATE_ROLLBACK_FAILED' },
        ],
        failedRules: [bakeRule()],
      }),
    );
    expect(subject).toBe('[pipeline ROLLBACK FAILED] Prod/Service.Deploy: quotes already exists');
    expect(message.split('\n')[0]).toBe(
      `Rollback execution ${ROLLBACK_EXECUTION} of ${PIPELINE} ended FAILED in Prod.`,
    );
    expect(section(message, 'Cause')).toEqual([
      `the rollback of Prod to execution ${LAST_GOOD_EXECUTION} (commit 0ld600dc0ffe) (started automatically) ended FAILED.`,
      expect.stringMatching(/^the bake \(success condition of Prod/),
      'action Prod/Service.Deploy failed: quotes already exists',
      'stack UPDATE_ROLLBACK_FAILED',
    ]);
  });

  it('tells a failed rollback by its failed rule, or by the unknown cause', () => {
    const byRule = renderExecutionMessage(rollback('FAILED', { failedRules: [bakeRule()] }));
    expect(byRule.subject).toBe('[pipeline ROLLBACK FAILED] Prod: rule ProdBakeTime failed');
    expect(section(byRule.message, 'Cause')[1]).toMatch(/^the bake \(success condition of Prod/);
    const unknown = renderExecutionMessage(rollback('FAILED', { statusSummary: 'Rollback failed' }));
    expect(unknown.subject).toBe('[pipeline ROLLBACK FAILED] Prod: failed');
    expect(section(unknown.message, 'Cause')[1]).toBe(
      "no failed action or rule was found; CodePipeline's summary: Rollback failed",
    );
  });
});

describe('renderMalformedMessage', () => {
  it('says what was wrong and what the event held, and links the execution only when it is named', () => {
    const named = renderMalformedMessage({
      problem: 'state "STARTED" is not one the notifier handles',
      held: '{"detail":{}}',
      region: REGION,
      pipeline: PIPELINE,
      executionId: FAILED_EXECUTION,
    });
    expect(named.subject).toBe('[pipeline notifier] malformed event: state "STARTED" is not one the notifier handles');
    expect(named.message.split('\n')).toEqual([
      'The pipeline notifier received an event it cannot report on: state "STARTED" is not one the notifier handles.',
      'An execution may have ended without its message; check the pipeline history.',
      `Execution: ${executionUrl(REGION, PIPELINE, FAILED_EXECUTION)}`,
      '',
      'The event held:',
      '{"detail":{}}',
    ]);
    for (const missing of ['region', 'pipeline', 'executionId'] as const) {
      const partial = renderMalformedMessage({
        problem: 'p',
        held: '{}',
        region: REGION,
        pipeline: PIPELINE,
        executionId: FAILED_EXECUTION,
        [missing]: undefined,
      });
      expect(partial.message.split('\n')).toEqual([
        'The pipeline notifier received an event it cannot report on: p.',
        'An execution may have ended without its message; check the pipeline history.',
        '',
        'The event held:',
        '{}',
      ]);
    }
  });
});
