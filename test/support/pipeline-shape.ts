import type { Template } from 'aws-cdk-lib/assertions';

/** One action of the synthesized CodePipeline. */
export interface PipelineAction {
  readonly name: string;
  readonly runOrder: number;
  readonly provider: string;
  readonly category: string;
  readonly configuration: Record<string, unknown>;
  readonly roleArn?: unknown;
}

/** One stage of the synthesized CodePipeline. */
export interface PipelineStageShape {
  readonly name: string;
  readonly actions: PipelineAction[];
  readonly raw: Record<string, unknown>;
}

/** The CodePipeline resource of a template (exactly one is expected). */
export function pipelineResource(template: Template): Record<string, any> {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  if (pipelines.length !== 1) throw new Error(`expected one pipeline, found ${pipelines.length}`);
  return pipelines[0].Properties;
}

/** The stages and actions of the pipeline, in order. */
export function pipelineStages(template: Template): PipelineStageShape[] {
  return pipelineResource(template).Stages.map((stage: any) => ({
    name: stage.Name,
    raw: stage,
    actions: stage.Actions.map((a: any) => ({
      name: a.Name,
      runOrder: a.RunOrder ?? 1,
      provider: a.ActionTypeId.Provider,
      category: a.ActionTypeId.Category,
      configuration: a.Configuration ?? {},
      roleArn: a.RoleArn,
    })),
  }));
}

/** The stage named `name`; throws when absent. */
export function stageNamed(template: Template, name: string): PipelineStageShape {
  const stage = pipelineStages(template).find((s) => s.name === name);
  if (!stage) throw new Error(`pipeline has no stage ${name}`);
  return stage;
}
