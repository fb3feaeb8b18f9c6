import { Template } from 'aws-cdk-lib/assertions';
import { assemblyTemplate, readSharedAssembly, SHARED_ASSEMBLY_ENV } from '../../support/shared-assembly';
import { synthApp } from './synth';

describe('the shared assembly of the default app', () => {
  const shared = synthApp();

  it('holds the templates the default app synthesizes from its construct tree', () => {
    // GIVEN the templates read from the run's shared assembly, WHEN the same app is built and synthesized here
    const fresh = (stage: string, id: string) => Template.fromStack(shared.stage(stage).stacks.find((s) => s.node.id === id)!).toJSON();
    // THEN they are the same, so tests reading the shared assembly test the app
    expect(shared.pipelineTemplate.toJSON()).toEqual(Template.fromStack(shared.pipelineStack).toJSON());
    for (const stage of shared.config.stages) {
      for (const stack of shared.stage(stage.name).stacks) expect(shared.template(stage.name, stack.node.id).toJSON()).toEqual(fresh(stage.name, stack.node.id));
    }
  });

  it('names the stack it does not hold', () => {
    expect(() => assemblyTemplate(readSharedAssembly(), 'PipelineStack/Nowhere/Stateful')).toThrow(/has no stack PipelineStack\/Nowhere\/Stateful/);
    expect(() => shared.template('qa', 'Stateful')).toThrow(/no stage named qa/);
  });

  it('fails with its reason when the global setup did not run', () => {
    const dir = process.env[SHARED_ASSEMBLY_ENV];
    delete process.env[SHARED_ASSEMBLY_ENV];
    try {
      expect(() => readSharedAssembly()).toThrow(`${SHARED_ASSEMBLY_ENV} is not set`);
    } finally {
      process.env[SHARED_ASSEMBLY_ENV] = dir;
    }
  });
});
