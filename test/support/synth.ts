import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AppConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { PlatformStage } from '../../stages/platform-stage';
import { configWith, contextWith } from './context';

/** The whole app, built once: the pipeline stack, its stages and their templates. */
export interface SynthesizedApp {
  readonly app: App;
  readonly config: AppConfig;
  readonly pipelineStack: PipelineStack;
  readonly pipelineTemplate: Template;
  /** Stage by name (`dev`, `staging`, `prod`). */
  stage(name: string): PlatformStage;
  /** Template of one stack of a stage, by the stack's construct id (`Stateful`). */
  template(stage: string, stackId: string): Template;
}

/** Options of {@link synthApp}. */
export interface SynthOptions {
  /**
   * Bundle the Lambda functions with esbuild. Off by default: bundling spawns esbuild once per
   * function per stage, and only tests about the bundles themselves need it.
   * @default false
   */
  readonly bundle?: boolean;
}

/**
 * Builds the whole app from cdk.json's context plus `overrides`. Call it once per test file
 * (in `beforeAll` or at module level): synthesizing is the slow part of every test.
 */
export function synthApp(overrides: Record<string, unknown> = {}, options: SynthOptions = {}): SynthesizedApp {
  const config = configWith(overrides);
  const bundling = options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] };
  const app = new App({ context: { ...contextWith(overrides), ...bundling } });
  const pipelineStack = new PipelineStack(app, 'PipelineStack', { config });
  const pipelineTemplate = Template.fromStack(pipelineStack);
  const templates = new Map<string, Template>();
  const stage = (name: string): PlatformStage => {
    const found = pipelineStack.stages.find((s) => s.config.name === name);
    if (!found) throw new Error(`no stage named ${name}`);
    return found;
  };
  return {
    app, config, pipelineStack, pipelineTemplate, stage,
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
