import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AppConfig } from '../../lib/config';
import { PlatformStage } from '../../stages/platform-stage';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { configWith, contextWith } from './context';

/** The platform's stages built on their own, outside the pipeline. */
export interface PlatformStages {
  /** The bare app holding the stages (its `outdir` holds the assets when bundling). */
  readonly app: App;
  /** The config the stages were built from. */
  readonly config: AppConfig;
  /** Stage by name (`dev`, `staging`, `prod`). */
  stage(name: string): PlatformStage;
  /** Template of one stack of a stage, by the stack's construct id (`Stateful`). */
  template(stage: string, stackId: string): Template;
}

/** Options of {@link platformStages}. */
export interface PlatformStagesOptions {
  /**
   * Bundle the Lambda functions with esbuild; only tests about the bundles need it.
   * @default false
   */
  readonly bundle?: boolean;
}

/**
 * Every stage of the config (cdk.json's context plus `overrides`) as a {@link PlatformStage} with
 * explicit props (its typed StageConfig and the pipeline account) in a bare App: no pipeline
 * stack, no CDK Pipelines, no whole-app synth. Stages and stacks keep the construct ids the
 * pipeline gives them (`Dev`, `Staging-Stateful`), so logical ids and stack names are the
 * deployed ones. A stage synthesizes when one of its templates is first read.
 */
export function platformStages(overrides: Record<string, unknown> = {}, options: PlatformStagesOptions = {}): PlatformStages {
  const config = configWith(overrides);
  const app = new App({ context: { ...contextWith(overrides), ...(options.bundle ? {} : NO_BUNDLING) }, builtinCloudFormationValidation: false });
  const stages = new Map<string, PlatformStage>();
  const stage = (name: string): PlatformStage => {
    if (!stages.has(name)) {
      const stageConfig = config.stages.find((s) => s.name === name);
      if (!stageConfig) throw new Error(`no stage named ${name}; the config has ${config.stages.map((s) => s.name).join(', ')}`);
      stages.set(name, new PlatformStage(app, stageConfig.displayName, { config: stageConfig, pipelineAccount: config.pipeline.account }));
    }
    return stages.get(name)!;
  };
  const templates = new Map<string, Template>();
  return {
    app, config, stage,
    template(stageName, stackId) {
      const key = `${stageName}/${stackId}`;
      if (!templates.has(key)) {
        const stack = stage(stageName).stacks.find((s) => s.node.id === stackId);
        if (!stack) throw new Error(`stage ${stageName} has no stack ${stackId}`);
        templates.set(key, Template.fromStack(stack));
      }
      return templates.get(key)!;
    },
  };
}
