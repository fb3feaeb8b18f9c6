import type {
  ActionExecutionDetail,
  PipelineDeclaration,
  PipelineExecution,
  RuleExecutionDetail,
} from '@aws-sdk/client-codepipeline';

/**
 * What CodePipeline answers about the delivery pipeline in the notifier's tests: its structure as
 * GetPipeline returns it, and execution records shaped like the API reference's (ids are UUIDs, times
 * are Dates, statuses are the API's spelling).
 */
export const PIPELINE = 'uk-home-improvement-delivery';
export const REGION = 'eu-west-2';
export const ACCOUNT = '111111111111';

export const FAILED_EXECUTION = '3f658bd1-69e6-4448-ba3e-79007e000001';
export const LAST_GOOD_EXECUTION = '3f658bd1-69e6-4448-ba3e-79007e000002';
export const ROLLBACK_EXECUTION = '3f658bd1-69e6-4448-ba3e-79007e000003';

const window = { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' };
const bake = (stage: string, minutes: string) => ({
  result: 'ROLLBACK' as const,
  rules: [
    {
      name: `${stage}BakeTime`,
      ruleTypeId: { category: 'Rule' as const, owner: 'AWS' as const, provider: 'CloudWatchAlarm', version: '1' },
      configuration: {
        AlarmName: `uk-home-improvement-${stage.toLowerCase()}-stage-unhealthy`,
        AlarmStates: 'ALARM',
        WaitTime: minutes,
      },
    },
  ],
});
const action = (name: string, category: string, provider: string) => ({
  name,
  actionTypeId: { category: category as never, owner: 'AWS' as const, provider, version: '1' },
});

/**
 * The structure GetPipeline returns, as PipelineStack builds it: Dev; Staging with its Bake action and
 * rollback on failure; ApproveProd; Prod with the deployment window (entry condition), its Bake action and
 * rollback on failure.
 */
export const DECLARATION: PipelineDeclaration = {
  name: PIPELINE,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/uk-home-improvement-delivery-pipeline`,
  version: 7,
  stages: [
    {
      name: 'Source',
      actions: [action('example-org_home-improvement-platform', 'Source', 'CodeStarSourceConnection')],
    },
    { name: 'Build', actions: [action('Synth', 'Build', 'CodeBuild')] },
    { name: 'UpdatePipeline', actions: [action('SelfMutate', 'Build', 'CodeBuild')] },
    { name: 'Assets', actions: [action('FileAssets', 'Build', 'CodeBuild')] },
    {
      name: 'Dev',
      actions: [action('Service.Deploy', 'Deploy', 'CloudFormation'), action('HealthCheck', 'Invoke', 'Lambda')],
    },
    {
      name: 'Staging',
      actions: [
        action('Service.Deploy', 'Deploy', 'CloudFormation'),
        action('HealthCheck', 'Invoke', 'Lambda'),
        action('DrCheck', 'Invoke', 'Lambda'),
        action('Bake', 'Invoke', 'Lambda'),
      ],
      onFailure: { result: 'ROLLBACK' },
    },
    {
      name: 'ApproveProd',
      actions: [action('ChangeReview', 'Build', 'CodeBuild'), action('ApproveToProd', 'Approval', 'Manual')],
    },
    {
      name: 'Prod',
      actions: [
        action('Service.Deploy', 'Deploy', 'CloudFormation'),
        action('HealthCheck', 'Invoke', 'Lambda'),
        action('Bake', 'Invoke', 'Lambda'),
      ],
      beforeEntry: {
        conditions: [
          {
            result: 'FAIL',
            rules: [
              {
                name: 'ProdDeploymentWindow',
                ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'DeploymentWindow', version: '1' },
                configuration: window,
              },
            ],
          },
        ],
      },
      onFailure: { result: 'ROLLBACK' },
    },
  ],
};

/**
 * The same pipeline with its bakes declared as success conditions (a `CloudWatchAlarm` rule whose result is
 * ROLLBACK), as CodePipeline allows and as an adopter may declare them; Staging then has no rollback on failure.
 */
export const DECLARATION_WITH_BAKE_CONDITIONS: PipelineDeclaration = {
  ...DECLARATION,
  stages: DECLARATION.stages!.map((stage) =>
    stage.name === 'Staging'
      ? {
          ...stage,
          actions: stage.actions!.filter((a) => a.name !== 'Bake'),
          onFailure: undefined,
          onSuccess: { conditions: [bake('Staging', '10')] },
        }
      : stage.name === 'Prod'
        ? {
            ...stage,
            actions: stage.actions!.filter((a) => a.name !== 'Bake'),
            onSuccess: { conditions: [bake('Prod', '30')] },
          }
        : stage,
  ),
};

/** GetPipelineExecution of a standard execution of commit `commit`. */
export function standardExecution(id: string, commit: string, message: string): PipelineExecution {
  return {
    pipelineName: PIPELINE,
    pipelineVersion: 7,
    pipelineExecutionId: id,
    status: 'Failed',
    executionType: 'STANDARD',
    executionMode: 'SUPERSEDED',
    trigger: { triggerType: 'WebhookV2', triggerDetail: `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/x` },
    artifactRevisions: [
      {
        name: 'example-org_home-improvement-platform_Source',
        revisionId: commit,
        revisionSummary: JSON.stringify({ ProviderType: 'GitHub', CommitMessage: message }),
      },
    ],
  };
}

let clock = Date.UTC(2026, 11, 1, 12);
/** An action execution record as ListActionExecutions returns it. */
export function actionRecord(
  executionId: string,
  stage: string,
  actionName: string,
  status: ActionExecutionDetail['status'],
  extra: Partial<ActionExecutionDetail> = {},
): ActionExecutionDetail {
  clock += 60_000;
  return {
    pipelineExecutionId: executionId,
    actionExecutionId: `a-${clock}`,
    pipelineVersion: 7,
    stageName: stage,
    actionName,
    startTime: new Date(clock - 30_000),
    lastUpdateTime: new Date(clock),
    status,
    ...extra,
  };
}

/** A rule execution record as ListRuleExecutions returns it. */
export function ruleRecord(
  executionId: string,
  stage: string,
  ruleName: string,
  provider: string,
  status: RuleExecutionDetail['status'],
  configuration: Record<string, string>,
  summary?: string,
): RuleExecutionDetail {
  clock += 60_000;
  return {
    pipelineExecutionId: executionId,
    ruleExecutionId: `r-${clock}`,
    pipelineVersion: 7,
    stageName: stage,
    ruleName,
    startTime: new Date(clock - 30_000),
    lastUpdateTime: new Date(clock),
    status,
    input: {
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider, version: '1' },
      configuration,
      region: REGION,
    },
    output: summary ? { executionResult: { externalExecutionSummary: summary } } : undefined,
  };
}

/** The event CodePipeline sends when an execution changes state, as in the documented sample. */
export function executionEvent(
  state: string,
  executionId: string,
  time = '2026-12-01T17:05:00Z',
): Record<string, unknown> {
  return {
    version: '0',
    id: `event-${executionId}-${state}`,
    'detail-type': 'CodePipeline Pipeline Execution State Change',
    source: 'aws.codepipeline',
    account: ACCOUNT,
    time,
    region: REGION,
    resources: [`arn:aws:codepipeline:${REGION}:${ACCOUNT}:${PIPELINE}`],
    detail: { pipeline: PIPELINE, version: 7, state, 'execution-id': executionId, 'pipeline-execution-attempt': 1 },
  };
}
