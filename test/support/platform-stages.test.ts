import { platformStages } from './platform-stages';
import { synthApp } from './synth';

describe('platform stages built on their own', () => {
  const bare = platformStages();
  const inPipeline = synthApp();

  it('have the stack names and templates the pipeline deploys, so stack tests on them test the deployed stacks', () => {
    for (const stage of bare.config.stages) {
      expect(bare.stage(stage.name).stackNames).toEqual(inPipeline.stage(stage.name).stackNames);
      for (const stack of bare.stage(stage.name).stacks) {
        expect(bare.template(stage.name, stack.node.id).toJSON()).toEqual(inPipeline.template(stage.name, stack.node.id).toJSON());
      }
    }
  });

  it('name the stage or stack they do not have', () => {
    expect(() => bare.stage('qa')).toThrow(/no stage named qa; the config has dev, staging, prod/);
    expect(() => bare.template('dev', 'Audit')).toThrow(/stage dev has no stack Audit/);
  });
});
