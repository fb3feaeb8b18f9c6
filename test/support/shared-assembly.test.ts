import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  assemblyTemplate,
  readSharedAssembly,
  SHARED_ASSEMBLY_DONE_FILE,
  SHARED_ASSEMBLY_ENV,
} from '../../support/shared-assembly';
import { platformStages } from './platform-stages';
import { synthApp } from './synth';

// What lets the other tests read templates from the shared assembly and build stages on their own:
// both give exactly what the whole app, built and synthesized here, deploys.
describe("the shared assembly of the tests' app, and stages built on their own", () => {
  const shared = synthApp();
  // GIVEN the whole app built here (its pipeline synthesizes every stage as it adds it)
  const tree = shared.pipelineStack;
  // AND each stage built on its own in a bare app, synthesized here
  const bare = platformStages({}, { synthesize: true });

  it('the pipeline template is the one the app synthesizes from its construct tree', () => {
    expect(shared.pipelineTemplate.toJSON()).toEqual(Template.fromStack(tree).toJSON());
  });

  it('every stack of every stage has the template the app synthesizes, in the shared assembly and built on its own', () => {
    expect(tree.stages.map((s) => s.config.name)).toEqual(shared.config.stages.map((s) => s.name));
    for (const stage of tree.stages) {
      const name = stage.config.name;
      expect(bare.stage(name).stackNames).toEqual(stage.stackNames);
      expect(shared.stage(name).stackNames).toEqual(stage.stackNames);
      for (const stack of stage.stacks) {
        const fresh = Template.fromStack(stack).toJSON();
        expect(shared.template(name, stack.node.id).toJSON()).toEqual(fresh);
        expect(bare.template(name, stack.node.id).toJSON()).toEqual(fresh);
      }
    }
  });

  it('names the stage or stack it does not have', () => {
    expect(() => assemblyTemplate(readSharedAssembly(), 'PipelineStack/Nowhere/Stateful')).toThrow(
      /has no stack PipelineStack\/Nowhere\/Stateful/,
    );
    expect(() => shared.template('qa', 'Stateful')).toThrow(/no stage named qa; the config has dev, staging, prod/);
    expect(() => shared.template('dev', 'Audit')).toThrow(/stage dev has no stack Audit/);
    expect(() => bare.stage('qa')).toThrow(/no stage named qa; the config has dev, staging, prod/);
    expect(() => bare.template('dev', 'Audit')).toThrow(/stage dev has no stack Audit/);
  });

  it("fails with the synthesis's own error, or when it does not finish in time", () => {
    const dir = process.env[SHARED_ASSEMBLY_ENV];
    const failed = mkdtempSync(path.join(tmpdir(), 'shared-failed-'));
    writeFileSync(
      path.join(failed, SHARED_ASSEMBLY_DONE_FILE),
      JSON.stringify({ ok: false, error: 'ConfigError: prod.account = "1" is not valid' }),
    );
    const unfinished = mkdtempSync(path.join(tmpdir(), 'shared-unfinished-'));
    try {
      process.env[SHARED_ASSEMBLY_ENV] = failed;
      expect(() => readSharedAssembly()).toThrow(
        'the shared assembly of the tests\' app could not be synthesized: ConfigError: prod.account = "1" is not valid',
      );
      process.env[SHARED_ASSEMBLY_ENV] = unfinished;
      expect(() => readSharedAssembly(100)).toThrow(
        `the shared assembly in ${unfinished} was not synthesized within 0.1 s`,
      );
    } finally {
      process.env[SHARED_ASSEMBLY_ENV] = dir;
    }
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
