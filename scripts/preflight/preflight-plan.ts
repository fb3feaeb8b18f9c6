import { App } from 'aws-cdk-lib';
import { loadConfig, type AppConfig, type StageConfig } from '../../lib/config';
import { bootstrapQualifier } from '../../lib/pipeline/bootstrap-roles';
import { PlatformStage } from '../../stages/platform-stage';
import { bootstrapEnvironments, type AccountRegions } from './bootstrap-environments';

/** What the preflight checks for one stage, read from its synthesized cloud assembly. */
export interface StagePlan {
  readonly stage: string;
  readonly account: string;
  /** Primary region first. */
  readonly regions: readonly string[];
  readonly primaryRegion: string;
  /** Regions whose AWS Backup settings the stage needs (primary and DR); empty where backup is off. */
  readonly backupRegions: readonly string[];
  /** Highest `requiresBootstrapStackVersion` of the stage's stacks. */
  readonly requiredBootstrapVersion: number;
  /** Sum of the provisioned concurrency the stage's templates allocate in its primary region. */
  readonly provisionedConcurrency: number;
}

/** Everything `npm run preflight` checks. */
export interface PreflightPlan {
  readonly qualifier: string;
  /** SSM parameter holding the bootstrap version (`/cdk-bootstrap/<qualifier>/version`). */
  readonly versionParameter: string;
  readonly tooling: AccountRegions & { readonly connectionArn: string; readonly requiredBootstrapVersion: number };
  readonly stages: readonly StagePlan[];
}

interface StackFacts {
  readonly region: string;
  readonly requiresBootstrapStackVersion?: number;
  readonly bootstrapStackVersionSsmParameter?: string;
  readonly template: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
}

/** Provisioned concurrency a template allocates (on Lambda aliases and versions). */
export function provisionedConcurrencyOf(template: StackFacts['template']): number {
  let total = 0;
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Alias' && resource.Type !== 'AWS::Lambda::Version') continue;
    const config = resource.Properties?.ProvisionedConcurrencyConfig as
      { ProvisionedConcurrentExecutions?: number } | undefined;
    total += Number(config?.ProvisionedConcurrentExecutions ?? 0);
  }
  return total;
}

function synthStage(context: Record<string, unknown>, config: AppConfig, stage: StageConfig) {
  // Skip asset bundling: templates and manifests are all the preflight reads.
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const platform = new PlatformStage(app, stage.displayName, {
    config: stage,
    pipelineAccount: config.pipeline.account,
  });
  const stacks: StackFacts[] = platform.synth().stacks.map((s) => ({
    region: s.environment.region,
    // The lookup role (the change review reads the stage through it) needs a newer bootstrap than deploying.
    requiresBootstrapStackVersion: Math.max(
      s.requiresBootstrapStackVersion ?? 1,
      s.lookupRole?.requiresBootstrapStackVersion ?? 1,
    ),
    bootstrapStackVersionSsmParameter: s.bootstrapStackVersionSsmParameter,
    template: s.template,
  }));
  return { stacks, qualifier: bootstrapQualifier(app) };
}

/**
 * The preflight plan of `stageNames` (every stage when empty) from cdk.json's context: each stage is synthesized
 * with the same Stage class the pipeline uses, without bundling assets.
 * @throws Error naming a stage that is not in `pipeline.stages`, or the config error
 */
export function preflightPlan(context: Record<string, unknown>, stageNames: readonly string[]): PreflightPlan {
  const config = loadConfig(context);
  const unknown = stageNames.filter((n) => !config.stages.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new Error(`--stage ${unknown.join(', ')} is not one of ${config.stages.map((s) => s.name).join(', ')}`);
  const chosen = stageNames.length === 0 ? config.stages : config.stages.filter((s) => stageNames.includes(s.name));
  const envs = bootstrapEnvironments(config, chosen);
  let qualifier = '';
  let versionParameter = '';
  const stages = chosen.map((stage): StagePlan => {
    const synth = synthStage(context, config, stage);
    qualifier = synth.qualifier;
    versionParameter =
      synth.stacks.find((s) => s.bootstrapStackVersionSsmParameter)?.bootstrapStackVersionSsmParameter ??
      `/cdk-bootstrap/${synth.qualifier}/version`;
    return {
      stage: stage.name,
      account: stage.account,
      // The regions of the synthesized stacks; bootstrap-commands derives the same from config (stageRegions).
      regions: [...new Set([stage.region, ...synth.stacks.map((s) => s.region)])],
      primaryRegion: stage.region,
      backupRegions: stage.backup ? [...new Set([stage.region, stage.drRegion])] : [],
      requiredBootstrapVersion: Math.max(1, ...synth.stacks.map((s) => s.requiresBootstrapStackVersion ?? 1)),
      provisionedConcurrency: synth.stacks
        .filter((s) => s.region === stage.region)
        .reduce((sum, s) => sum + provisionedConcurrencyOf(s.template), 0),
    };
  });
  return {
    qualifier,
    versionParameter,
    tooling: {
      ...envs.tooling,
      connectionArn: config.pipeline.connectionArn,
      requiredBootstrapVersion: Math.max(1, ...stages.map((s) => s.requiredBootstrapVersion)),
    },
    stages,
  };
}
