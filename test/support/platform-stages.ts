import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { AppConfig } from '../../lib/config';
import { PlatformStage } from '../../stages/platform-stage';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { configWith, contextWith } from './context';
import { readsSharedAssembly, sharedTemplates } from './shared-templates';
import { stackTemplates } from './stack-templates';

/** The platform's stages built on their own, outside the pipeline. */
export interface PlatformStages {
  /** The bare app holding the stages, in a bare Stack (its `outdir` holds the assets when bundling). */
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
  /**
   * Synthesize the stages here even for the default config, whose templates otherwise come from
   * the test run's shared assembly (the same templates: test/support/shared-assembly.test.ts).
   * @default false
   */
  readonly synthesize?: boolean;
}

/**
 * Every stage of the config (the tests' context plus `overrides`) as a {@link PlatformStage} with
 * explicit props (its typed StageConfig and the pipeline account) in a bare Stack: no pipeline,
 * no CDK Pipelines, no whole-app synth. The bare Stack has the pipeline stack's construct id, so
 * construct paths, and with them stack names, logical ids and generated physical names, are the
 * deployed ones (test/support/shared-assembly.test.ts proves it). A stage is built on first use.
 * Templates of the tests' config (no overrides, no bundling) are read from the run's shared assembly when
 * jest's global setup made one; otherwise a stage synthesizes when one of its templates is first read.
 */
export function platformStages(
  overrides: Record<string, unknown> = {},
  options: PlatformStagesOptions = {},
): PlatformStages {
  const config = configWith(overrides);
  const app = new App({
    context: { ...contextWith(overrides), ...(options.bundle ? {} : NO_BUNDLING) },
    builtinCloudFormationValidation: false,
  });
  const host = new Stack(app, 'PipelineStack', {
    env: { account: config.pipeline.account, region: config.pipeline.region },
  });
  const stages = new Map<string, PlatformStage>();
  const stage = (name: string): PlatformStage => {
    if (!stages.has(name)) {
      const stageConfig = config.stages.find((s) => s.name === name);
      if (!stageConfig)
        throw new Error(`no stage named ${name}; the config has ${config.stages.map((s) => s.name).join(', ')}`);
      stages.set(
        name,
        new PlatformStage(host, stageConfig.displayName, {
          config: stageConfig,
          pipelineAccount: config.pipeline.account,
        }),
      );
    }
    return stages.get(name)!;
  };
  return {
    app,
    config,
    stage,
    template:
      Object.keys(overrides).length === 0 &&
      !options.bundle &&
      !options.synthesize &&
      readsSharedAssembly(contextWith())
        ? sharedTemplates(config).stack
        : stackTemplates(stage),
  };
}
