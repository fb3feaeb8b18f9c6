import { nextWindowOpening } from '../../../../contracts/cron';
import { snsSubject } from '../sns-subject';
import type { MalformedEvent } from './execution-event';
import type { ConditionRule, ExecutionReport, FailedAction } from './read-execution';

/** Subject and body of one message. */
export interface NotifierMessage {
  readonly subject: string;
  readonly message: string;
}

/** Console link to one execution of a pipeline. */
export function executionUrl(region: string, pipeline: string, executionId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
}

const short = (id: string | undefined) => (id ? id.slice(0, 8) : 'unknown');
const firstLine = (text: string) => text.split('\n')[0];
const indent = (text: string) => text.split('\n').join('\n           ');
const list = (items: readonly string[]) => items.join(', ');

/** The label at the start of the subject: what became of the execution. */
function label(r: ExecutionReport): string {
  const state = r.event.state;
  if (r.type !== 'ROLLBACK') return state;
  return state === 'SUCCEEDED' ? 'ROLLED BACK' : `ROLLBACK ${state}`;
}

/** When a window rule's cron next lets an execution in, in words. */
function windowOpening(rule: ConditionRule, from: Date): string {
  const cron = rule.configuration.Cron;
  if (!cron) return 'when it next opens is unknown (the rule execution carries no Cron)';
  // The rule reads its cron in TimeZone; without one the notifier assumes UTC and says so.
  const zone = rule.configuration.TimeZone ?? 'UTC';
  const opening = nextWindowOpening(cron, zone, from);
  const where = `cron "${cron}" in ${rule.configuration.TimeZone ?? 'UTC (no TimeZone set)'}`;
  if (!opening) return `${where}; it does not open within two years, or the cron or time zone is not understood`;
  if (opening.openNow) return `${where}; it is open now (${opening.at.toISOString()})`;
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(opening.at);
  return `${where}; it next opens ${local} ${zone} (${opening.at.toISOString()})`;
}

const CONDITION_NAMES = {
  BeforeEntry: 'entry condition',
  OnSuccess: 'success condition',
  OnFailure: 'failure condition',
} as const;

/** One line about a condition rule: its stage, kind, rule, and what it watched (alarm, window). */
function describeRule(rule: ConditionRule, from: Date): string {
  const where = `${rule.condition ? CONDITION_NAMES[rule.condition] : 'condition (kind not read)'} of ${rule.stage}, rule ${rule.rule}${rule.provider ? ` (${rule.provider})` : ''}`;
  const summary = rule.summary ? `; CodePipeline says: ${rule.summary}` : '';
  if (rule.provider === 'DeploymentWindow') {
    return `the deployment window (${where}) was closed: ${windowOpening(rule, from)}${summary}`;
  }
  if (rule.provider === 'CloudWatchAlarm') {
    const alarm = rule.configuration.AlarmName ?? 'an alarm the rule execution does not name';
    const watch = rule.configuration.WaitTime ? `, watched for ${rule.configuration.WaitTime} minutes` : '';
    const states = rule.configuration.AlarmStates ? ` in ${rule.configuration.AlarmStates}` : '';
    return `the bake (${where}) saw alarm ${alarm}${states}${watch}${summary}`;
  }
  return `${where} ${rule.status.toLowerCase()}${summary}`;
}

function describeAction(a: FailedAction): string {
  const what = `action ${a.stage}/${a.action}${a.provider ? ` (${a.provider})` : ''}`;
  const by = a.category === 'Approval' && a.by ? ` by ${a.by}` : '';
  return `${what} ${a.category === 'Approval' ? 'was rejected' : 'failed'}${by}: ${a.reason}`;
}

/** Stages after `stage` in pipeline order, or undefined when the order is unknown. */
function stagesAfter(r: ExecutionReport, stage: string | undefined): readonly string[] | undefined {
  if (!r.stageOrder || !stage) return undefined;
  const i = r.stageOrder.indexOf(stage);
  return i < 0 ? undefined : r.stageOrder.slice(i + 1);
}

function notReached(r: ExecutionReport, stage: string | undefined): string {
  if (!stage) return '';
  const after = stagesAfter(r, stage);
  if (!after) return 'Later stages were not reached (the pipeline structure could not be read to name them).';
  return after.length ? `Nothing of this execution reached ${list(after)}.` : '';
}

function retryCommand(r: ExecutionReport, stage: string, mode: 'FAILED_ACTIONS' | 'ALL_ACTIONS'): string {
  return `aws codepipeline retry-stage-execution --pipeline-name ${r.event.pipeline} --stage-name ${stage} --pipeline-execution-id ${r.event.executionId} --retry-mode ${mode}`;
}

function otherExecution(o: { id: string; commit?: string }): string {
  return `${o.id}${o.commit ? ` (commit ${o.commit.slice(0, 12)})` : ''}`;
}

/** The cause lines and what happens next, by outcome. */
function causeAndNext(r: ExecutionReport): { cause: string[]; next: string[]; subjectCause: string } {
  const stage = r.stage ?? 'an unknown stage';
  const rules = r.failedRules.map((rule) => describeRule(rule, r.event.time));
  const actions = r.failedActions.map(describeAction);
  const window = r.failedRules.find((rule) => rule.provider === 'DeploymentWindow');
  const bake = r.failedRules.find((rule) => rule.provider === 'CloudWatchAlarm');
  const unknownCause = r.statusSummary
    ? `no failed action or rule was found; CodePipeline's summary: ${r.statusSummary}`
    : 'no failed action or rule was found and CodePipeline gave no summary; open the execution';
  const failureCause = [...rules, ...actions];

  if (r.type === 'ROLLBACK') {
    const target = r.rollbackTarget ? otherExecution(r.rollbackTarget) : 'an execution that could not be read';
    const how =
      r.trigger?.type === 'ManualRollback'
        ? `by hand${r.trigger.detail ? ` (${r.trigger.detail})` : ''}`
        : `automatically${r.trigger?.detail ? ` (started from ${r.trigger.detail})` : ''}`;
    if (r.event.state === 'SUCCEEDED') {
      return {
        subjectCause: `${stage} back to ${short(r.rollbackTarget?.id)}`,
        cause: [
          `${stage} was rolled back ${how} to execution ${target}, by rollback execution ${r.event.executionId}.`,
        ],
        next: [
          `${stage} runs that execution's version again. Stages before it keep the newer version.`,
          'main still holds the change that failed: the next push deploys it again unless it is reverted (git revert).',
        ],
      };
    }
    const failed = r.failedActions[0];
    return {
      subjectCause: failed
        ? `${failed.stage}/${failed.action}: ${firstLine(failed.reason)}`
        : r.failedRules[0]
          ? `${stage}: rule ${r.failedRules[0].rule} ${r.failedRules[0].status.toLowerCase()}`
          : `${stage}: ${r.event.state.toLowerCase()}`,
      cause: [
        `the rollback of ${stage} to execution ${target} (started ${how}) ended ${r.event.state}.`,
        ...(failureCause.length ? failureCause : r.event.state === 'FAILED' ? [unknownCause] : []),
      ],
      next: [
        `${stage} is as the rollback left it: check its stacks (a stack in UPDATE_ROLLBACK_FAILED needs aws cloudformation continue-update-rollback) and roll back by hand (docs/delivery-gates.md, "Rolling back by hand").`,
      ],
    };
  }

  switch (r.event.state) {
    case 'FAILED': {
      const next: string[] = [];
      const rollsBack = r.expectsRollback;
      if (window) {
        next.push(
          `Nothing of this execution was deployed to ${stage}; the execution has ended. Once the window is open, retry the stage (${retryCommand(r, stage, 'ALL_ACTIONS')}) or let the next push carry the change.`,
        );
        if (r.stageOnFailure === 'ROLLBACK') {
          next.push(
            `${stage} also rolls back on failure; CodePipeline does not document whether a failed entry condition starts that rollback. If it does, a ROLLED BACK message follows and ${stage} keeps the version it ran.`,
          );
        }
      } else if (rollsBack && r.noGoodInStage) {
        next.push(
          `${stage} rolls back on failure, but no execution has succeeded in it yet (CodePipeline lists none), so nothing is rolled back: ${stage} keeps what this execution deployed. Push a fix, or retry the failed actions: ${retryCommand(r, stage, 'FAILED_ACTIONS')}.`,
        );
      } else if (rollsBack) {
        const good = r.lastGoodInStage
          ? `, execution ${otherExecution(r.lastGoodInStage)}`
          : r.unread.some((u) => u.includes('succeeded in'))
            ? ' (which one could not be read)'
            : '';
        next.push(
          `CodePipeline rolls ${stage} back to the last execution that succeeded in it${good}; a "ROLLED BACK" message follows when the rollback ends. If no execution of the current pipeline structure succeeded in ${stage}, nothing is rolled back: revert the change (git revert) and push.`,
        );
      } else if (r.failedActions.some((a) => a.category === 'Approval')) {
        next.push('Push a fix, or start the pipeline again once the objection is dealt with.');
      } else if (r.stage) {
        next.push(
          `${stage} keeps what this execution's finished actions deployed. Push a fix, or retry the failed actions: ${retryCommand(r, stage, 'FAILED_ACTIONS')}.`,
        );
      }
      const reached = notReached(r, r.stage);
      if (reached) next.push(reached);
      const subjectCause = window
        ? `${stage}: deployment window closed`
        : bake
          ? `${stage}: bake saw alarm ${bake.configuration.AlarmName ?? bake.rule}${rollsBack && !r.noGoodInStage ? '; rolling back' : ''}`
          : r.failedActions[0]
            ? `${r.failedActions[0].stage}/${r.failedActions[0].action}: ${firstLine(r.failedActions[0].reason)}`
            : `${stage}: ${r.statusSummary ? firstLine(r.statusSummary) : 'cause not read'}`;
      return { subjectCause, cause: failureCause.length ? failureCause : [unknownCause], next };
    }
    case 'STOPPED': {
      const running = [
        ...r.unfinishedActions.map((a) => `action ${a.stage}/${a.action} (${a.status})`),
        ...r.unfinishedRules.map((rule) => `${describeRule(rule, r.event.time)} (${rule.status})`),
      ];
      const reason = r.stopReason
        ? `the reason given: "${r.stopReason}"`
        : r.unread.some((u) => u.startsWith('ListPipelineExecutions'))
          ? 'the reason could not be read'
          : 'no reason was given';
      return {
        subjectCause: `at ${stage}: ${r.stopReason ? firstLine(r.stopReason) : reason}`,
        cause: [
          `someone stopped the execution in ${stage} (StopPipelineExecution; CloudTrail's event of that name in the pipeline account names the caller); ${reason}.`,
          ...(running.length ? [`Left unfinished: ${list(running)}.`] : []),
        ],
        next: [
          `${stage} keeps what finished before the stop. Retry the stage (${retryCommand(r, stage, 'ALL_ACTIONS')}) or push again.`,
          notReached(r, r.stage),
        ].filter((line) => line),
      };
    }
    case 'SUPERSEDED': {
      const next = stagesAfter(r, r.stage)?.[0];
      return {
        subjectCause: `after ${stage} by a newer execution`,
        cause: [
          `a newer execution overtook this one while it waited${next ? ` to enter ${next}` : ''} (the pipeline runs in SUPERSEDED mode: the newer one goes on).`,
        ],
        next: [
          `Nothing of this execution goes beyond ${stage}${next ? ` (it never entered ${next})` : ''}; the newer execution carries main as it is now.`,
        ],
      };
    }
    case 'CANCELED':
      return {
        subjectCause: `in ${stage}: the pipeline changed while it ran`,
        cause: [
          "the pipeline's structure changed while this execution ran (UpdatePipeline updates it), so CodePipeline cancelled the execution.",
        ],
        next: [
          `Nothing more of this execution runs. When its own UpdatePipeline step changed the pipeline, a new execution of the updated pipeline carries the change on; if none started, release the change again (aws codepipeline start-pipeline-execution --name ${r.event.pipeline}).`,
        ],
      };
    case 'SUCCEEDED':
    default:
      return {
        subjectCause: `${short(r.commit)}${r.commitMessage ? ` ${firstLine(r.commitMessage)}` : ''}`,
        cause: [
          r.stageOrder ? `every stage ran: ${list(r.stageOrder)}.` : 'every stage ran.',
          ...(r.type === undefined
            ? [
                'Whether this execution was a rollback could not be read (see "Not read"); if it was, its stage went back to an older version.',
              ]
            : []),
        ],
        next: [],
      };
  }
}

const HEADLINES: Record<string, (r: ExecutionReport) => string> = {
  FAILED: (r) => `Execution ${r.event.executionId} of ${r.event.pipeline} failed${r.stage ? ` in ${r.stage}` : ''}.`,
  STOPPED: (r) =>
    `Execution ${r.event.executionId} of ${r.event.pipeline} was stopped${r.stage ? ` in ${r.stage}` : ''}.`,
  SUPERSEDED: (r) => `Execution ${r.event.executionId} of ${r.event.pipeline} was superseded.`,
  CANCELED: (r) => `Execution ${r.event.executionId} of ${r.event.pipeline} was cancelled.`,
  SUCCEEDED: (r) => `Execution ${r.event.executionId} of ${r.event.pipeline} succeeded.`,
  'ROLLED BACK': (r) =>
    `${r.stage ?? 'A stage'} of ${r.event.pipeline} was rolled back (execution ${r.event.executionId}).`,
};

/**
 * The one message about an execution that ended. The subject starts with `[pipeline <LABEL>]`:
 * FAILED, STOPPED, SUPERSEDED, CANCELED, SUCCEEDED, or for a rollback execution ROLLED BACK,
 * ROLLBACK FAILED, ROLLBACK STOPPED; at most 100 ASCII characters. The body names the stage, the cause,
 * what happens next, the commit and the execution, and every read that failed.
 */
export function renderExecutionMessage(r: ExecutionReport): NotifierMessage {
  const tag = label(r);
  const { cause, next, subjectCause } = causeAndNext(r);
  const headline =
    HEADLINES[tag]?.(r) ??
    `Rollback execution ${r.event.executionId} of ${r.event.pipeline} ended ${r.event.state}${r.stage ? ` in ${r.stage}` : ''}.`;
  const commit = r.commit
    ? `${r.commit}${r.commitMessage ? ` (${firstLine(r.commitMessage).slice(0, 200)})` : ''}`
    : 'unknown';
  const urls = r.failedActions.map((a) => a.url).filter((u): u is string => !!u);
  const message = [
    headline,
    '',
    `Stage:     ${r.stage ?? 'unknown (not found in what could be read)'}`,
    ...cause.map((line, i) => `${i === 0 ? 'Cause:     ' : '           '}${indent(line)}`),
    ...next.map((line, i) => `${i === 0 ? 'Next:      ' : '           '}${indent(line)}`),
    `Commit:    ${commit}`,
    `Execution: ${executionUrl(r.event.region, r.event.pipeline, r.event.executionId)}${r.event.attempt && r.event.attempt > 1 ? ` (attempt ${r.event.attempt})` : ''}`,
    ...urls.map((u, i) => `${i === 0 ? 'Details:   ' : '           '}${u}`),
    ...r.unread.map(
      (u, i) =>
        `${i === 0 ? 'Not read:  ' : '           '}${u}${i === r.unread.length - 1 ? '\n           (what depends on these reads is missing or marked unknown above)' : ''}`,
    ),
  ].join('\n');
  return { subject: snsSubject(`[pipeline ${tag}] ${subjectCause}`), message };
}

/** The message about an event the notifier could not act on: what was wrong and what it held. */
export function renderMalformedMessage(m: MalformedEvent): NotifierMessage {
  const message = [
    `The pipeline notifier received an event it cannot report on: ${m.problem}.`,
    'An execution may have ended without its message; check the pipeline history.',
    ...(m.region && m.pipeline && m.executionId
      ? [`Execution: ${executionUrl(m.region, m.pipeline, m.executionId)}`]
      : []),
    '',
    'The event held:',
    m.held,
  ].join('\n');
  return { subject: snsSubject(`[pipeline notifier] malformed event: ${m.problem}`), message };
}
