import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AppConfig } from '../../lib/config';
import { loadConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage, PlatformStage } from '../../stages/platform-stage';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { defaultContext, realContext } from './context';
import type { PlatformStages } from './platform-stages';
import { platformStages } from './platform-stages';
import { readsSharedAssembly, sharedTemplates } from './shared-templates';
import { stackTemplates } from './stack-templates';

/** The whole app: the pipeline stack, its stages and their templates. */
export interface SynthesizedApp {
  /** The app's construct tree (built on first use when the templates come from the shared assembly). */
  readonly app: App;
  readonly config: AppConfig;
  /** The pipeline stack construct (built on first use when the templates come from the shared assembly). */
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
  /**
   * Build from cdk.json's own context, whatever an adopter set there: for whole-app gates and generated docs.
   * @default false: the tests' config fixture (test/support/context.ts)
   */
  readonly cdkJson?: boolean;
}

function baseContext(options: SynthOptions): Record<string, unknown> {
  return options.cdkJson ? realContext() : defaultContext();
}

/** Builds the whole app's construct tree (synthesis happens when a template is read). */
function buildApp(
  overrides: Record<string, unknown>,
  options: SynthOptions,
): { app: App; config: AppConfig; pipelineStack: PipelineStack } {
  const context = { ...baseContext(options), ...overrides };
  const config = loadConfig(context);
  const app = new App({
    context: { ...context, ...(options.bundle ? {} : NO_BUNDLING) },
    builtinCloudFormationValidation: false,
  });
  const pipelineStack = new PipelineStack(app, 'PipelineStack', { config, stageFactory: createPlatformStage });
  return { app, config, pipelineStack };
}

function stageOf(pipelineStack: PipelineStack, name: string): PlatformStage {
  const found = pipelineStack.stages.find((s) => s.config.name === name);
  if (!(found instanceof PlatformStage)) throw new Error(`no platform stage named ${name}`);
  return found;
}

/**
 * The whole app from the tests' context (or cdk.json's, with `cdkJson`) plus `overrides`, without CDK's
 * built-in template validation (gated once, in test/compliance/gates.test.ts).
 *
 * Without overrides and without bundling, when that context is the one the shared assembly was synthesized
 * from, the templates are read from the run's shared cloud assembly (synthesized once by jest's global setup),
 * `stage()` builds only that stage's constructs, and the whole construct tree is built only if the test reads
 * `app` or `pipelineStack`. Otherwise the app is built and synthesized here: call it once per test file (in
 * `beforeAll` or at module level).
 */
export function synthApp(overrides: Record<string, unknown> = {}, options: SynthOptions = {}): SynthesizedApp {
  if (Object.keys(overrides).length === 0 && !options.bundle && readsSharedAssembly(baseContext(options)))
    return sharedApp(options);
  const { app, config, pipelineStack } = buildApp(overrides, options);
  const stage = (name: string) => stageOf(pipelineStack, name);
  return {
    app,
    config,
    pipelineStack,
    pipelineTemplate: Template.fromStack(pipelineStack),
    stage,
    template: stackTemplates(stage),
  };
}

/**
 * The tests' app: templates from the shared assembly; a stage's constructs built on their own on
 * first use (platformStages, no synth: the same construct paths, stack names and templates, as
 * test/support/shared-assembly.test.ts proves); the whole app's construct tree only when asked for.
 */
function sharedApp(options: SynthOptions): SynthesizedApp {
  const config = loadConfig(baseContext(options));
  const templates = sharedTemplates(config);
  let built: ReturnType<typeof buildApp> | undefined;
  const tree = () => (built ??= buildApp({}, options));
  let stages: PlatformStages | undefined;
  return {
    config,
    get app() {
      return tree().app;
    },
    get pipelineStack() {
      return tree().pipelineStack;
    },
    pipelineTemplate: templates.pipeline(),
    stage: (name) => (stages ??= platformStages()).stage(name),
    template: templates.stack,
  };
}
