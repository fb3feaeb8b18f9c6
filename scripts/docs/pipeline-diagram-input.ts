import type { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import type { CfnTemplate } from '../../support/cfn-pipeline';
import { pipelineProperties } from '../../support/cfn-pipeline';
import type { PipelineDiagramInput, StageTarget } from './render-pipeline-diagram';

/**
 * The diagram's input from a built PipelineStack and its synthesized template: the pipeline's
 * CloudFormation properties, the account and region of every platform stage (from its config,
 * keyed by the pipeline stage name CDK Pipelines gives it), and the pipeline's own account and region.
 */
export function pipelineDiagramInput(stack: PipelineStack, template: CfnTemplate): PipelineDiagramInput {
  const stageTargets: Record<string, StageTarget> = {};
  for (const stage of stack.stages) {
    stageTargets[stage.stageName] = { account: stage.config.account, region: stage.config.region };
  }
  return {
    pipeline: pipelineProperties(template),
    stageTargets,
    pipelineTarget: { account: stack.account, region: stack.region, note: 'pipeline' },
  };
}

/**
 * Why the committed diagram page differs from the generated one, or `undefined` when they match.
 * The message names the first differing line and says how to fix it.
 */
export function diagramDrift(
  committed: string | undefined,
  generated: string,
  file = 'docs/pipeline.md',
): string | undefined {
  if (committed === generated) return undefined;
  if (committed === undefined) return `${file} is missing: run \`npm run diagram\` and commit it.`;
  const a = committed.split('\n');
  const b = generated.split('\n');
  let line = 0;
  while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
  return (
    `${file} is out of date with the pipeline: run \`npm run diagram\` and commit it. ` +
    `First difference at line ${line + 1}: committed ${JSON.stringify(a[line] ?? '<end of file>')}, ` +
    `generated ${JSON.stringify(b[line] ?? '<end of file>')}.`
  );
}
