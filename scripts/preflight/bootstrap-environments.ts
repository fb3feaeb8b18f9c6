import type { AppConfig, StageConfig } from '../../lib/config';

/** The AWS Region CloudFront-scope resources (the WebACL of the EdgeSecurity stack) must live in. */
export const CLOUDFRONT_REGION = 'us-east-1';

/** One account and the regions of it that must be bootstrapped. */
export interface AccountRegions {
  readonly account: string;
  /** Primary region first, then the others in a stable order. */
  readonly regions: readonly string[];
}

/** A stage's account and the regions its stacks deploy to. */
export interface StageEnvironments extends AccountRegions {
  readonly stage: string;
}

/**
 * The regions a stage's stacks deploy to, from its config: the primary region, the DR region where backup is
 * on (the DrVault stack), and us-east-1 where WAF is on (the EdgeSecurity stack). test/scripts/preflight-plan.test.ts
 * checks this against the regions of the synthesized stage.
 */
export function stageRegions(stage: StageConfig): string[] {
  const regions = [stage.region];
  if (stage.backup) regions.push(stage.drRegion);
  if (stage.waf) regions.push(CLOUDFRONT_REGION);
  return [...new Set(regions)];
}

/**
 * Every account and region the pipeline needs bootstrapped: each stage's regions in its account, and the tooling
 * account's own region plus every other region a stage deploys to. CDK Pipelines deploys a cross-region support
 * stack (the artifact bucket and its key) into the tooling account in each of those regions when the pipeline
 * stack is deployed, so they are bootstrapped before `cdk deploy PipelineStack`
 * (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.pipelines-readme.html#cdk-environment-bootstrapping).
 */
export function bootstrapEnvironments(
  config: AppConfig,
  stages: readonly StageConfig[] = config.stages,
): { readonly tooling: AccountRegions; readonly stages: readonly StageEnvironments[] } {
  const stageEnvs = stages.map((s) => ({ stage: s.name, account: s.account, regions: stageRegions(s) }));
  const toolingRegions = [config.pipeline.region, ...config.stages.flatMap(stageRegions)];
  return {
    tooling: { account: config.pipeline.account, regions: [...new Set(toolingRegions)] },
    stages: stageEnvs,
  };
}
