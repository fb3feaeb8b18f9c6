import { isDeepStrictEqual } from 'util';
import { Template } from 'aws-cdk-lib/assertions';
import type { AppConfig } from '../../lib/config';
import { assemblyTemplate, readSharedAssembly, SHARED_ASSEMBLY_ENV } from '../../support/shared-assembly';
import { defaultContext } from './context';

/**
 * Whether the shared assembly holds the app of `context`: jest's global setup started its synthesis (not so in
 * a jest run without it) from the tests' context, and `context` is that same context.
 */
export function readsSharedAssembly(context: Record<string, unknown>): boolean {
  return Boolean(process.env[SHARED_ASSEMBLY_ENV]) && isDeepStrictEqual(context, defaultContext());
}

/** Templates of the tests' app read from the test run's shared assembly (jest's global setup synthesized it once). */
export interface SharedTemplates {
  readonly pipeline: () => Template;
  /** Template of one stack of a stage, by the stage's name and the stack's construct id (`Stateful`). */
  readonly stack: (stageName: string, stackId: string) => Template;
}

/**
 * The shared assembly's templates, each read once, for the default `config`: an error names the
 * stage that `config` does not have, or the stack the stage does not have.
 */
export function sharedTemplates(config: AppConfig): SharedTemplates {
  const assembly = readSharedAssembly();
  const templates = new Map<string, Template>();
  const read = (hierarchicalId: string): Template => {
    if (!templates.has(hierarchicalId))
      templates.set(hierarchicalId, Template.fromJSON(assemblyTemplate(assembly, hierarchicalId)));
    return templates.get(hierarchicalId)!;
  };
  return {
    pipeline: () => read('PipelineStack'),
    stack: (stageName, stackId) => {
      const stage = config.stages.find((s) => s.name === stageName);
      if (!stage)
        throw new Error(`no stage named ${stageName}; the config has ${config.stages.map((s) => s.name).join(', ')}`);
      try {
        return read(`PipelineStack/${stage.displayName}/${stackId}`);
      } catch {
        throw new Error(`stage ${stageName} has no stack ${stackId}`);
      }
    },
  };
}
