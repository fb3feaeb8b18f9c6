import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { formatGateFinding, readSuppressedFindings } from '../support/compliance-report';
import { configWith, contextWith } from '../support/context';
import { gatesOutdir, synthWithGates } from '../support/synth-with-gates';

/** Construct paths of the post-deploy checks: their functions and action roles, and each stage's check role. */
const CHECKS = /PostDeployChecks|PipelineCheck\/|\/HealthCheck\/|\/DrCheck\//;

describe('cdk-nag on the post-deploy checks', () => {
  // The whole app with cdk-nag's AwsSolutions pack. synthWithGates rethrows every error other than
  // findings and throws when no compliance report was written, so a broken synth fails here.
  const app = new App({ context: { ...contextWith(), 'aws:cdk:bundling-stacks': [] }, outdir: gatesOutdir() });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const pipelineStack = new PipelineStack(app, 'PipelineStack', { config: configWith() });
  const { outdir, findings } = synthWithGates(app);

  it('ran over the checks: their acknowledged findings are in the report, on the pipeline and on every stage', () => {
    expect(pipelineStack.stages.length).toBeGreaterThan(0);
    const checked = new Set(readSuppressedFindings(outdir).map((f) => f.constructPath).filter((p) => CHECKS.test(p)));
    const where = [...checked].join('\n');
    expect(where).toMatch(/^PipelineStack\/PostDeployChecks\/HealthCheck\//m);
    expect(where).toMatch(/^PipelineStack\/PostDeployChecks\/DrCheck\//m);
    for (const stage of pipelineStack.stages) {
      expect(where).toMatch(new RegExp(`^PipelineStack/${stage.node.id}/Service/PipelineCheck/`, 'm'));
    }
  });

  it('finds nothing unacknowledged on the check functions, their action roles or the stages\' check roles', () => {
    expect(findings.filter((f) => CHECKS.test(f.constructPath)).map(formatGateFinding)).toEqual([]);
  });
});
