/**
 * The parts of a synthesized `AWS::CodePipeline::Pipeline` the diagram and the benchmark read,
 * in CloudFormation's own (PascalCase) shape. Values CDK leaves as intrinsics (`Ref`, `Fn::Join`,
 * `Fn::GetAtt`) are typed `unknown`.
 */

/** `ActionTypeId` / `RuleTypeId` of an action or a rule. */
export interface CfnTypeId {
  readonly Category: string;
  readonly Owner?: string;
  readonly Provider: string;
  readonly Version?: string;
}

/** One action of a pipeline stage. */
export interface CfnPipelineAction {
  readonly Name: string;
  readonly ActionTypeId: CfnTypeId;
  /** Actions of a stage with the same run order run in parallel; absent means 1. */
  readonly RunOrder?: number;
  readonly Configuration?: Record<string, unknown>;
  readonly RoleArn?: unknown;
  readonly Region?: string;
}

/** One rule of a stage condition. */
export interface CfnPipelineRule {
  readonly Name: string;
  readonly RuleTypeId: CfnTypeId;
  readonly Configuration?: Record<string, unknown>;
  readonly Region?: string;
  readonly RoleArn?: unknown;
}

/** One stage condition: its rules and what happens when they are not met. */
export interface CfnPipelineCondition {
  readonly Result?: string;
  readonly Rules?: readonly CfnPipelineRule[];
}

/** One stage of the pipeline, with its optional entry, success and failure conditions. */
export interface CfnPipelineStage {
  readonly Name: string;
  readonly Actions: readonly CfnPipelineAction[];
  readonly BeforeEntry?: { readonly Conditions?: readonly CfnPipelineCondition[] };
  readonly OnSuccess?: { readonly Conditions?: readonly CfnPipelineCondition[] };
  readonly OnFailure?: { readonly Result?: string; readonly Conditions?: readonly CfnPipelineCondition[] };
}

/** The properties of an `AWS::CodePipeline::Pipeline` resource that are read here. */
export interface CfnPipelineProperties {
  readonly Name?: unknown;
  readonly Stages: readonly CfnPipelineStage[];
}

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: unknown }>;
}

/**
 * The properties of the one CodePipeline in `template`.
 *
 * @throws Error when the template holds no pipeline, more than one, or one without stages.
 */
export function pipelineProperties(template: CfnTemplate): CfnPipelineProperties {
  const pipelines = Object.entries(template.Resources ?? {}).filter(
    ([, r]) => r.Type === 'AWS::CodePipeline::Pipeline',
  );
  if (pipelines.length !== 1) {
    throw new Error(`Expected exactly one AWS::CodePipeline::Pipeline in the template, found ${pipelines.length}.`);
  }
  const [id, resource] = pipelines[0];
  const props = resource.Properties as Partial<CfnPipelineProperties> | undefined;
  if (!props || !Array.isArray(props.Stages) || props.Stages.length === 0) {
    throw new Error(`Pipeline ${id} has no Stages in its properties.`);
  }
  return props as CfnPipelineProperties;
}

/** The run orders of a stage's actions, ascending, each with the actions that run in parallel in it. */
export function runOrderGroups<A extends { readonly RunOrder?: number }>(actions: readonly A[]): A[][] {
  const groups = new Map<number, A[]>();
  for (const action of actions) {
    const order = action.RunOrder ?? 1;
    groups.set(order, [...(groups.get(order) ?? []), action]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** What an action does, as far as the diagram and the benchmark's time model care. */
export type ActionKind =
  'source' | 'approval' | 'codebuild' | 'deploy' | 'change-set-create' | 'change-set-execute' | 'lambda' | 'other';

/** The kind of a pipeline action, from its type id and (for CloudFormation) its action mode. */
export function actionKind(action: Pick<CfnPipelineAction, 'ActionTypeId' | 'Configuration'>): ActionKind {
  const { Category, Provider } = action.ActionTypeId;
  if (Category === 'Source') return 'source';
  if (Category === 'Approval') return 'approval';
  if (Provider === 'CodeBuild') return 'codebuild';
  if (Provider === 'Lambda') return 'lambda';
  if (Provider === 'CloudFormation' || Provider === 'CloudFormationStackSet') {
    const mode = action.Configuration?.ActionMode;
    if (mode === 'CHANGE_SET_REPLACE') return 'change-set-create';
    if (mode === 'CHANGE_SET_EXECUTE') return 'change-set-execute';
    return 'deploy';
  }
  return 'other';
}
