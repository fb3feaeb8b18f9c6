import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack } from '../../../lib/pipeline/pipeline-stack';
import { configWith, contextWith } from '../../helpers/context';

/** cdk-nag findings (construct paths) of the whole app; synthesis reports them all at once. */
function nagFindings(): string[] {
  const app = new App({ context: contextWith() });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  new PipelineStack(app, 'PipelineStack', { config: configWith() });
  try {
    app.synth();
    return [];
  } catch (error) {
    const lines = String((error as Error).message).split('\n');
    return lines.flatMap((line, i) => (/^(ERROR|WARNING)/.test(line) ? [`${line.trim()} @ ${lines[i + 1]?.trim()} ${lines[i + 2]?.trim()}`] : []));
  }
}

describe('cdk-nag on the post-deploy checks', () => {
  it('finds nothing unacknowledged on the check functions, their action roles or the stage check roles', () => {
    const mine = nagFindings().filter((f) => /PostDeployChecks|PipelineCheck|\/HealthCheck\/|\/DrCheck\//.test(f));
    expect(mine).toEqual([]);
  });
});
