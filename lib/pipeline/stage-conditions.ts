import { Aws } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AppConfig, DeploymentWindow, StageConfig } from '../config';
import { resourceNames } from '../../contracts/resource-names';
import { ruleConfigurationProblems } from './rule-reference';

/** A CodePipeline rule as CloudFormation declares it (`AWS::CodePipeline::Pipeline RuleDeclaration`). */
export interface RuleDeclaration {
  readonly Name: string;
  readonly RuleTypeId: {
    readonly Category: 'Rule';
    readonly Owner: 'AWS';
    readonly Provider: string;
    readonly Version: '1';
  };
  readonly Configuration: Record<string, string>;
  readonly Region?: string;
  readonly RoleArn?: string;
}

/** A stage condition as CloudFormation declares it. */
export interface ConditionDeclaration {
  readonly Result: codepipeline.Result;
  readonly Rules: readonly RuleDeclaration[];
}

/** The conditions of one pipeline stage; an absent key means no condition of that kind. */
export interface StageConditionDeclarations {
  readonly BeforeEntry?: { readonly Conditions: readonly ConditionDeclaration[] };
  readonly OnSuccess?: { readonly Conditions: readonly ConditionDeclaration[] };
  readonly OnFailure?: { readonly Result: codepipeline.Result };
}

/**
 * ARN of the role the bake-time rule reads the stage's alarm through: the stage's check role, which
 * can only describe the stage's resources (no logs, objects or table items) and trusts the pipeline
 * role by its ARN besides the check functions (lib/platform/checks/check-role.ts).
 */
export function alarmReaderRoleArn(stage: StageConfig): string {
  return `arn:${Aws.PARTITION}:iam::${stage.account}:role/${resourceNames(stage.name).checkRole}`;
}

/**
 * The bake-time condition of a stage: after every action succeeded, watch the stage's
 * "stage unhealthy" composite alarm for `bakeTimeMinutes` and roll the stage back if it goes to ALARM.
 * `undefined` when the stage has no bake time.
 */
export function bakeTimeCondition(stage: StageConfig, roleArn: string): ConditionDeclaration | undefined {
  if (stage.delivery.bakeTimeMinutes === 0) return undefined;
  return {
    Result: codepipeline.Result.ROLLBACK,
    Rules: [
      {
        Name: `${stage.displayName}BakeTime`,
        RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
        Configuration: {
          AlarmName: resourceNames(stage.name).stageUnhealthyAlarm,
          AlarmStates: 'ALARM',
          WaitTime: String(stage.delivery.bakeTimeMinutes),
        },
        Region: stage.region,
        RoleArn: roleArn,
      },
    ],
  };
}

/** The entry condition that holds an execution outside the deployment window. */
export function deploymentWindowCondition(stage: StageConfig, window: DeploymentWindow): ConditionDeclaration {
  return {
    Result: codepipeline.Result.FAIL,
    Rules: [
      {
        Name: `${stage.displayName}DeploymentWindow`,
        RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'DeploymentWindow', Version: '1' },
        Configuration: { Cron: window.cron, TimeZone: window.timeZone },
      },
    ],
  };
}

/** Every condition of one stage, derived from its delivery policy. */
export function stageConditions(stage: StageConfig, roleArn: string): StageConditionDeclarations {
  const { delivery } = stage;
  const bake = bakeTimeCondition(stage, roleArn);
  return {
    ...(delivery.window ? { BeforeEntry: { Conditions: [deploymentWindowCondition(stage, delivery.window)] } } : {}),
    ...(bake ? { OnSuccess: { Conditions: [bake] } } : {}),
    ...(delivery.rollbackOnFailure ? { OnFailure: { Result: codepipeline.Result.ROLLBACK } } : {}),
  };
}

/**
 * Adds the configured stage conditions (bake time, deployment window, rollback on failure) to the
 * pipeline that CDK Pipelines built. CDK Pipelines creates the stages without conditions and
 * `codepipeline.Pipeline` accepts them only when a stage is created, so they are written onto the
 * `AWS::CodePipeline::Pipeline` resource with property overrides. Call after `buildPipeline()`.
 *
 * @throws when a configured stage has no pipeline stage of its display name.
 */
export function applyStageConditions(pipeline: codepipeline.Pipeline, config: AppConfig): void {
  const cfn = pipeline.node.defaultChild as codepipeline.CfnPipeline;
  const names = pipeline.stages.map((s) => s.stageName);
  for (const stage of config.stages) {
    const index = names.indexOf(stage.displayName);
    if (index < 0) {
      throw new Error(
        `${pipeline.node.id}: no pipeline stage named ${stage.displayName} to add conditions to (stages: ${names.join(', ')})`,
      );
    }
    const roleArn = alarmReaderRoleArn(stage);
    const conditions = stageConditions(stage, roleArn);
    const rules = [...(conditions.BeforeEntry?.Conditions ?? []), ...(conditions.OnSuccess?.Conditions ?? [])].flatMap(
      (c) => c.Rules,
    );
    const problems = rules.flatMap((rule) => ruleConfigurationProblems(rule));
    if (problems.length) throw new Error(`${pipeline.node.id}: stage ${stage.displayName}: ${problems.join('; ')}`);
    for (const [kind, declaration] of Object.entries(conditions)) {
      cfn.addPropertyOverride(`Stages.${index}.${kind}`, declaration);
    }
    if (conditions.OnSuccess) {
      // The pipeline role runs the rule by assuming its role, as it does for cross-account actions.
      pipeline.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `AssumeCheckRoleForBakeTime${stage.displayName}`,
          actions: ['sts:AssumeRole'],
          resources: [roleArn],
        }),
      );
    }
  }
}
