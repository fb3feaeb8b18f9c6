import type {
  ActionExecutionDetail,
  CodePipelineClient,
  PipelineDeclaration,
  PipelineExecution,
  PipelineExecutionSummary,
  RuleExecutionDetail,
} from '@aws-sdk/client-codepipeline';
import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { failureDetailsKey } from '../../../../contracts/report-location';
import type { ExecutionEvent } from './execution-event';

/*
 * What the notifier reads about one execution, with the CodePipeline API reference for each call:
 * GetPipelineExecution  https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineExecution.html
 *   status, statusSummary, executionType STANDARD | ROLLBACK, rollbackMetadata.rollbackTargetPipelineExecutionId,
 *   trigger (triggerType AutomatedRollback | ManualRollback | ...), artifactRevisions (the commit)
 * GetPipeline           https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipeline.html
 *   the structure the execution ran with (by `version`): stage order, each stage's beforeEntry / onSuccess
 *   conditions (result FAIL | ROLLBACK, rules with provider and configuration) and onFailure result
 * ListActionExecutions  https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html
 *   per action: stageName, actionName, status (InProgress | Abandoned | Succeeded | Failed), updatedBy,
 *   output.executionResult (externalExecutionSummary, externalExecutionUrl, errorDetails)
 * ListRuleExecutions    https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListRuleExecutions.html
 *   per condition rule: stageName, ruleName, status (InProgress | Abandoned | Succeeded | Failed),
 *   input (ruleTypeId, configuration), output.executionResult (externalExecutionSummary, errorDetails)
 * ListPipelineExecutions https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListPipelineExecutions.html
 *   stopTrigger.reason of a stopped execution; filter.succeededInStage for the execution a stage rolls back to
 */

/** Clients and limits of the reads. */
export interface ReadDeps {
  readonly codePipeline: CodePipelineClient;
  /** Bucket where steps leave failure details; @default none: actions' own summaries are used */
  readonly detailsBucket?: string;
  readonly s3?: S3Client;
  /** Epoch ms by which every read has ended (answered or abandoned), so that the message still goes out. */
  readonly deadlineAt: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** An action of the execution that failed, with its own reason. */
export interface FailedAction {
  readonly stage: string;
  readonly action: string;
  readonly provider?: string;
  readonly category?: string;
  /** The failure details a step left, else the action's error details or summary. */
  readonly reason: string;
  readonly url?: string;
  /** Who ended the action (an approver's ARN for a rejection). */
  readonly by?: string;
}

/** Which condition of a stage a rule belongs to. */
export type ConditionKind = 'BeforeEntry' | 'OnSuccess' | 'OnFailure';

/** A stage condition rule of the execution that failed (or, for a stopped execution, was still running). */
export interface ConditionRule {
  readonly stage: string;
  readonly rule: string;
  readonly status: string;
  /** Rule provider: CloudWatchAlarm, DeploymentWindow, ... */
  readonly provider?: string;
  readonly configuration: Readonly<Record<string, string>>;
  /** Where the pipeline declares it; unknown when the structure could not be read. */
  readonly condition?: ConditionKind;
  /** The condition's result when its rules fail: FAIL or ROLLBACK. */
  readonly result?: string;
  readonly summary?: string;
}

/** An action a stopped execution left unfinished. */
export interface UnfinishedAction {
  readonly stage: string;
  readonly action: string;
  readonly status: string;
}

/** Another execution named in the message (rollback target, last good one), with its commit when read. */
export interface OtherExecution {
  readonly id: string;
  readonly commit?: string;
}

/** Everything the message is made of: the event, what the API said, and what could not be read. */
export interface ExecutionReport {
  readonly event: ExecutionEvent;
  /** STANDARD or ROLLBACK; undefined when neither the API nor the event told. */
  readonly type?: string;
  readonly statusSummary?: string;
  readonly commit?: string;
  readonly commitMessage?: string;
  readonly trigger?: { readonly type?: string; readonly detail?: string };
  /** Stage names in pipeline order, from the structure the execution ran with. */
  readonly stageOrder?: readonly string[];
  /** Stage where the execution ended (failed, stopped, waited, or the one a rollback ran). */
  readonly stage?: string;
  /** That stage's onFailure result (ROLLBACK when the stage rolls back on failure). */
  readonly stageOnFailure?: string;
  /**
   * True when CodePipeline rolls the stage back after this failure: a failed rule's condition has result
   * ROLLBACK, or the stage rolls back on failure and no entry condition failed (whether a failed entry
   * condition starts the failure rollback is not documented, so it is not promised).
   */
  readonly expectsRollback: boolean;
  readonly failedActions: readonly FailedAction[];
  readonly failedRules: readonly ConditionRule[];
  readonly unfinishedActions: readonly UnfinishedAction[];
  readonly unfinishedRules: readonly ConditionRule[];
  readonly stopReason?: string;
  /** The newest execution that succeeded in the stage: what a rollback of it goes back to. */
  readonly lastGoodInStage?: OtherExecution;
  /**
   * True when the stage would roll back but CodePipeline lists no execution that succeeded in it (an empty
   * list, as on the first run): there is nothing to roll back to.
   */
  readonly noGoodInStage?: boolean;
  /** For a rollback execution: the execution its stage went back to. */
  readonly rollbackTarget?: OtherExecution;
  /** Each read that failed, with its reason; the message says what it could not tell because of them. */
  readonly unread: readonly string[];
}

/** Most pages read from one paginated list call. */
const MAX_PAGES = 10;

/** The commit message out of a CodeStar connections revision summary (JSON) or a plain one. */
export function commitMessageOf(revisionSummary: string | undefined): string | undefined {
  if (!revisionSummary) return undefined;
  try {
    const parsed = JSON.parse(revisionSummary) as { CommitMessage?: unknown };
    if (typeof parsed.CommitMessage === 'string') return parsed.CommitMessage;
  } catch {
    // A plain-text summary.
  }
  return revisionSummary;
}

/** One short line about a failed call: the error's name and first line, and what access denied means here. */
export function describeReadError(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const line = `${e.name ?? 'Error'}: ${(e.message ?? '').split('\n')[0]}`.slice(0, 200);
  const denied = /AccessDenied|UnauthorizedOperation/.test(e.name ?? '') || e.$metadata?.httpStatusCode === 403;
  return denied ? `${line} (access denied: the notifier's role does not allow this read)` : line;
}

class DeadlineExceeded extends Error {}

/** Runs the reads of one execution, each bounded by the deadline, keeping what failed and why. */
class Reader {
  readonly unread: string[] = [];
  constructor(private readonly deps: ReadDeps) {}

  /** The call's answer, or undefined with the reason kept in {@link unread}. */
  async read<T>(what: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const now = this.deps.now ?? Date.now;
    const left = this.deps.deadlineAt - now();
    if (left <= 0) {
      this.unread.push(`${what}: not attempted, no time left before the message must go out`);
      return undefined;
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new DeadlineExceeded(`no answer within ${left} ms`));
      }, left);
    });
    try {
      return await Promise.race([call(controller.signal), deadline]);
    } catch (error) {
      this.unread.push(
        `${what}: ${error instanceof DeadlineExceeded ? `timed out (${error.message})` : describeReadError(error)}`,
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every page of a list call (at most {@link MAX_PAGES}); undefined when a page could not be read. */
  async pages<T>(
    what: string,
    page: (token: string | undefined, abortSignal: AbortSignal) => Promise<{ items?: T[]; nextToken?: string }>,
  ): Promise<T[] | undefined> {
    const items: T[] = [];
    let token: string | undefined;
    for (let n = 0; n < MAX_PAGES; n += 1) {
      const out = await this.read(what, (signal) => page(token, signal));
      if (!out) return undefined;
      items.push(...(out.items ?? []));
      token = out.nextToken;
      if (!token) return items;
    }
    this.unread.push(`${what}: more than ${MAX_PAGES} pages; only the first ${MAX_PAGES} were read`);
    return items;
  }
}

function declaredCondition(
  declaration: PipelineDeclaration | undefined,
  stage: string,
  rule: string,
): { condition?: ConditionKind; result?: string } {
  const declared = declaration?.stages?.find((s) => s.name === stage);
  const kinds: Array<[ConditionKind, { result?: string; rules?: Array<{ name?: string }> }[] | undefined]> = [
    ['BeforeEntry', declared?.beforeEntry?.conditions],
    ['OnSuccess', declared?.onSuccess?.conditions],
    ['OnFailure', declared?.onFailure?.conditions],
  ];
  for (const [condition, conditions] of kinds) {
    const found = conditions?.find((c) => c.rules?.some((r) => r.name === rule));
    if (found) return { condition, result: found.result };
  }
  return {};
}

function conditionRule(detail: RuleExecutionDetail, declaration: PipelineDeclaration | undefined): ConditionRule {
  const stage = detail.stageName ?? 'unknown stage';
  const rule = detail.ruleName ?? 'unknown rule';
  const result = detail.output?.executionResult;
  return {
    stage,
    rule,
    // Only records picked by their status (failed, in progress, abandoned) are read here.
    status: detail.status!,
    provider: detail.input?.ruleTypeId?.provider,
    configuration: { ...(detail.input?.configuration ?? {}), ...(detail.input?.resolvedConfiguration ?? {}) },
    ...declaredCondition(declaration, stage, rule),
    summary: result?.errorDetails?.message ?? result?.externalExecutionSummary,
  };
}

const newestFirst = <T extends { lastUpdateTime?: Date; startTime?: Date }>(a: T, b: T) =>
  (b.lastUpdateTime ?? b.startTime ?? new Date(0)).getTime() -
  (a.lastUpdateTime ?? a.startTime ?? new Date(0)).getTime();

/** Keeps the newest attempt of each stage/name pair (a retried stage runs its actions and rules again). */
function newestAttempts<T extends { stageName?: string; lastUpdateTime?: Date; startTime?: Date }>(
  items: readonly T[],
  nameOf: (item: T) => string | undefined,
): T[] {
  const seen = new Set<string>();
  return [...items].sort(newestFirst).filter((item) => {
    const key = `${item.stageName}/${nameOf(item)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function executionType(execution: PipelineExecution | undefined, event: ExecutionEvent): string | undefined {
  if (execution?.executionType) return execution.executionType;
  const trigger = execution?.trigger?.triggerType ?? event.trigger?.type;
  if (trigger === 'AutomatedRollback' || trigger === 'ManualRollback') return 'ROLLBACK';
  return execution ? 'STANDARD' : undefined;
}

/** The stage where the execution ended: a failed rule's or action's, else the unfinished, else the latest one that ran. */
function endStage(
  failedRules: readonly ConditionRule[],
  failedActions: readonly FailedAction[],
  unfinished: readonly UnfinishedAction[],
  unfinishedRules: readonly ConditionRule[],
  actions: readonly ActionExecutionDetail[],
  stageOrder: readonly string[] | undefined,
): string | undefined {
  const named = failedRules[0]?.stage ?? failedActions[0]?.stage ?? unfinished[0]?.stage ?? unfinishedRules[0]?.stage;
  if (named) return named;
  const stagesRun = [...new Set(actions.map((a) => a.stageName).filter((s): s is string => !!s))];
  if (stageOrder) return stagesRun.sort((a, b) => stageOrder.indexOf(b) - stageOrder.indexOf(a))[0];
  return [...actions].sort(newestFirst)[0]?.stageName;
}

async function readFailureDetails(
  reader: Reader,
  deps: ReadDeps,
  executionId: string,
  stage: string,
  action: string,
): Promise<string | undefined> {
  if (!deps.detailsBucket || !deps.s3) return undefined;
  const key = failureDetailsKey(executionId, stage, action);
  const body = await reader.read(`GetObject s3://${deps.detailsBucket}/${key}`, async (abortSignal) => {
    try {
      const out = await deps.s3!.send(new GetObjectCommand({ Bucket: deps.detailsBucket, Key: key }), { abortSignal });
      return (await out.Body?.transformToString()) ?? '';
    } catch (error) {
      // Most steps leave no details; S3 answers NoSuchKey (or AccessDenied without s3:ListBucket).
      if ((error as { name?: string }).name === 'NoSuchKey') return '';
      throw error;
    }
  });
  return body?.trim() || undefined;
}

/**
 * Reads what CodePipeline holds about the event's execution. Every read is best effort and bounded by
 * the deadline: a read that fails (access denied, throttling, timeout) leaves its part unknown and its
 * reason in `unread`; nothing here throws.
 */
export async function readExecution(event: ExecutionEvent, deps: ReadDeps): Promise<ExecutionReport> {
  const reader = new Reader(deps);
  const { pipeline, executionId } = event;
  const cp = deps.codePipeline;
  const [executionOut, pipelineOut, actions, rules] = await Promise.all([
    reader.read('GetPipelineExecution', (abortSignal) =>
      cp.send(new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: executionId }), {
        abortSignal,
      }),
    ),
    reader.read('GetPipeline', (abortSignal) =>
      cp.send(new GetPipelineCommand({ name: pipeline, version: event.pipelineVersion }), { abortSignal }),
    ),
    reader.pages<ActionExecutionDetail>('ListActionExecutions', async (nextToken, abortSignal) => {
      const out = await cp.send(
        new ListActionExecutionsCommand({
          pipelineName: pipeline,
          filter: { pipelineExecutionId: executionId },
          nextToken,
        }),
        { abortSignal },
      );
      return { items: out.actionExecutionDetails, nextToken: out.nextToken };
    }),
    reader.pages<RuleExecutionDetail>('ListRuleExecutions', async (nextToken, abortSignal) => {
      const out = await cp.send(
        new ListRuleExecutionsCommand({
          pipelineName: pipeline,
          filter: { pipelineExecutionId: executionId },
          nextToken,
        }),
        { abortSignal },
      );
      return { items: out.ruleExecutionDetails, nextToken: out.nextToken };
    }),
  ]);
  const execution = executionOut?.pipelineExecution;
  const declaration = pipelineOut?.pipeline;
  const stageOrder = declaration?.stages?.map((s) => s.name).filter((s): s is string => !!s);
  const latestActions = newestAttempts(actions ?? [], (a) => a.actionName);
  const latestRules = newestAttempts(rules ?? [], (r) => r.ruleName);

  const failedActions = await Promise.all(
    latestActions
      .filter((a) => a.status === 'Failed')
      .map(async (a): Promise<FailedAction> => {
        const stage = a.stageName ?? 'unknown stage';
        const action = a.actionName ?? 'unknown action';
        const result = a.output?.executionResult;
        const stepDetails = await readFailureDetails(reader, deps, executionId, stage, action);
        const declared = declaration?.stages?.find((s) => s.name === stage)?.actions?.find((d) => d.name === action);
        const typeId = a.input?.actionTypeId ?? declared?.actionTypeId;
        return {
          stage,
          action,
          provider: typeId?.provider,
          category: typeId?.category,
          reason:
            stepDetails ??
            result?.errorDetails?.message ??
            result?.externalExecutionSummary ??
            'the action reported no failure summary; open the execution',
          url: result?.externalExecutionUrl,
          by: a.updatedBy,
        };
      }),
  );
  const failedRules = latestRules.filter((r) => r.status === 'Failed').map((r) => conditionRule(r, declaration));
  const unfinishedActions = latestActions
    .filter((a) => a.status === 'InProgress' || a.status === 'Abandoned')
    .map((a) => ({
      stage: a.stageName ?? 'unknown stage',
      action: a.actionName ?? 'unknown action',
      status: a.status!,
    }));
  const unfinishedRules = latestRules
    .filter((r) => r.status === 'InProgress' || r.status === 'Abandoned')
    .map((r) => conditionRule(r, declaration));
  const stage = endStage(failedRules, failedActions, unfinishedActions, unfinishedRules, actions ?? [], stageOrder);
  const stageOnFailure = declaration?.stages?.find((s) => s.name === stage)?.onFailure?.result;
  const type = executionType(execution, event);

  // Second round: what only some outcomes need.
  const entryFailed = failedRules.some((r) => r.condition === 'BeforeEntry');
  const rollsBack =
    event.state === 'FAILED' &&
    type !== 'ROLLBACK' &&
    stage !== undefined &&
    (failedRules.some((r) => r.result === 'ROLLBACK') || (!entryFailed && stageOnFailure === 'ROLLBACK'));
  const targetId = execution?.rollbackMetadata?.rollbackTargetPipelineExecutionId;
  const [stopped, lastGood, target] = await Promise.all([
    event.state === 'STOPPED' ? findSummary(reader, cp, pipeline, executionId) : undefined,
    rollsBack
      ? reader.read(`ListPipelineExecutions (succeeded in ${stage})`, (abortSignal) =>
          cp.send(
            new ListPipelineExecutionsCommand({
              pipelineName: pipeline,
              filter: { succeededInStage: { stageName: stage } },
              maxResults: 1,
            }),
            { abortSignal },
          ),
        )
      : undefined,
    targetId
      ? reader.read(`GetPipelineExecution ${targetId}`, (abortSignal) =>
          cp.send(new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: targetId }), {
            abortSignal,
          }),
        )
      : undefined,
  ]);
  const good = lastGood?.pipelineExecutionSummaries?.[0];
  const revision = execution?.artifactRevisions?.[0];
  return {
    event,
    type,
    statusSummary: execution?.statusSummary,
    commit: revision?.revisionId,
    commitMessage: commitMessageOf(revision?.revisionSummary),
    trigger: execution?.trigger
      ? { type: execution.trigger.triggerType, detail: execution.trigger.triggerDetail }
      : event.trigger,
    stageOrder,
    stage,
    stageOnFailure,
    expectsRollback: rollsBack,
    failedActions,
    failedRules,
    unfinishedActions,
    unfinishedRules,
    stopReason: stopped?.stopTrigger?.reason,
    lastGoodInStage: good?.pipelineExecutionId
      ? { id: good.pipelineExecutionId, commit: good.sourceRevisions?.[0]?.revisionId }
      : undefined,
    noGoodInStage: lastGood !== undefined && !good?.pipelineExecutionId,
    rollbackTarget: targetId
      ? { id: targetId, commit: target?.pipelineExecution?.artifactRevisions?.[0]?.revisionId }
      : undefined,
    unread: reader.unread,
  };
}

/** The execution's summary in the pipeline's history (it alone carries a stop's reason). */
async function findSummary(
  reader: Reader,
  cp: CodePipelineClient,
  pipeline: string,
  executionId: string,
): Promise<PipelineExecutionSummary | undefined> {
  let token: string | undefined;
  for (let n = 0; n < 3; n += 1) {
    const out = await reader.read('ListPipelineExecutions', (abortSignal) =>
      cp.send(new ListPipelineExecutionsCommand({ pipelineName: pipeline, nextToken: token }), { abortSignal }),
    );
    const found = out?.pipelineExecutionSummaries?.find((s) => s.pipelineExecutionId === executionId);
    if (found || !out?.nextToken) return found;
    token = out.nextToken;
  }
  return undefined;
}
