import { App } from 'aws-cdk-lib';
import { ConfigError } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../stages/platform-stage';
import { CODEPIPELINE_LIMITS, FIXED_PIPELINE_STAGES, pipelineLimitProblems } from '../../lib/pipeline/pipeline-limits';
import { configWith } from '../support/context';

/** Context overrides that add stages s4..s<n> (after dev, staging, prod), each with its own fake account. */
function withStages(count: number): Record<string, unknown> {
  const extra = Array.from({ length: count - 3 }, (_, i) => `s${i + 4}`);
  return {
    'pipeline.stages': ['dev', 'staging', 'prod', ...extra],
    ...Object.fromEntries(extra.map((name, i) => [`${name}.account`, String(400000000000 + i)])),
  };
}

describe('CodePipeline limits at synth', () => {
  it('fails a config with more stages than a pipeline may have, naming the key, the count and what is accepted', () => {
    const most = CODEPIPELINE_LIMITS.stagesPerPipeline - FIXED_PIPELINE_STAGES;
    const config = configWith(withStages(most + 1));
    const build = () => new PipelineStack(new App(), 'PipelineStack', { config, stageFactory: createPlatformStage });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(`pipeline.stages lists ${most + 1} stages (dev ... s${most + 1})`);
    expect(build).toThrow(
      `the pipeline would have ${most + 1 + FIXED_PIPELINE_STAGES} stages, and CodePipeline accepts at most 50. Accepted: at most ${most} stages.`,
    );
  });

  it('accepts a pipeline at the limits and reports each limit crossed, with the stage and count', () => {
    const fits = Array.from({ length: 50 }, (_, i) => ({ name: `S${i}`, actions: 10 }));
    expect(pipelineLimitProblems(fits)).toEqual([]);
    expect(pipelineLimitProblems([{ name: 'Prod', actions: 51 }])).toEqual([
      'pipeline stage "Prod" has 51 actions; CodePipeline accepts at most 50 actions per stage.',
    ]);
    expect(pipelineLimitProblems([...fits, { name: 'Extra', actions: 1 }])).toEqual([
      'the pipeline has 51 stages; CodePipeline accepts at most 50 stages per pipeline.',
      'the pipeline has 501 actions; at most 500 actions per pipeline are accepted.',
    ]);
  });
});
