import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import type { AppConfig, DeploymentWindow, StageConfig } from '../config';
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

/**
 * Every condition of one stage, derived from its delivery policy: the deployment window before entry and
 * the rollback on failure. The bake is not a condition but the stage's `Bake` action
 * (lib/pipeline/checks/post-deploy-checks.ts): a failed bake fails the stage, so `rollbackOnFailure` rolls it back.
 */
export function stageConditions(stage: StageConfig): StageConditionDeclarations {
  const { delivery } = stage;
  return {
    ...(delivery.window ? { BeforeEntry: { Conditions: [deploymentWindowCondition(stage, delivery.window)] } } : {}),
    ...(delivery.rollbackOnFailure ? { OnFailure: { Result: codepipeline.Result.ROLLBACK } } : {}),
  };
}

/**
 * Adds the configured stage conditions (deployment window, rollback on failure) to the
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
    const conditions = stageConditions(stage);
    const rules = [...(conditions.BeforeEntry?.Conditions ?? []), ...(conditions.OnSuccess?.Conditions ?? [])].flatMap(
      (c) => c.Rules,
    );
    const problems = rules.flatMap((rule) => ruleConfigurationProblems(rule));
    if (problems.length) throw new Error(`${pipeline.node.id}: stage ${stage.displayName}: ${problems.join('; ')}`);
    for (const [kind, declaration] of Object.entries(conditions)) {
      cfn.addPropertyOverride(`Stages.${index}.${kind}`, declaration);
    }
  }
}
