import { pipelineShape } from '../../bench/pipeline-shape';

const type = (Category: string, Provider: string) => ({ Category, Owner: 'AWS', Provider, Version: '1' });

describe('The pipeline shape read from a template', () => {
  // GIVEN a pipeline with a source, a build, a Dev stage with a check, and a Prod stage behind an approval
  const template = {
    Resources: {
      Synth: { Type: 'AWS::CodeBuild::Project' },
      Assets: { Type: 'AWS::CodeBuild::Project' },
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: {
          Stages: [
            {
              Name: 'Source',
              Actions: [{ Name: 'Git', ActionTypeId: type('Source', 'CodeStarSourceConnection'), RunOrder: 1 }],
            },
            { Name: 'Build', Actions: [{ Name: 'Synth', ActionTypeId: type('Build', 'CodeBuild'), RunOrder: 1 }] },
            {
              Name: 'Dev',
              Actions: [
                { Name: 'Deploy', ActionTypeId: type('Deploy', 'CloudFormation'), RunOrder: 1 },
                { Name: 'Health', ActionTypeId: type('Invoke', 'Lambda'), RunOrder: 2 },
              ],
            },
            {
              Name: 'Prod',
              OnFailure: { Result: 'ROLLBACK' },
              Actions: [
                { Name: 'Approve', ActionTypeId: type('Approval', 'Manual'), RunOrder: 1 },
                { Name: 'Deploy', ActionTypeId: type('Deploy', 'CloudFormation'), RunOrder: 2 },
              ],
            },
          ],
        },
      },
    },
  };
  const shape = pipelineShape(template);

  it('counts stages, actions by kind and CodeBuild projects', () => {
    expect(shape).toMatchObject({
      stages: 4,
      actions: 6,
      codeBuildActions: 1,
      codeBuildProjects: 2,
      deployActions: 2,
      lambdaActions: 1,
      approvals: 1,
      stagesWithConditions: ['Prod'],
    });
  });

  it('reports the modeled minutes from push to Dev and to Prod validated', () => {
    expect(shape.pushToDevMinutes).toBe(0.5 + 2 + 2 + 0.3);
    expect(shape.pushToProdMinutes).toBe(0.5 + 2 + 2 + 0.3 + 0 + 2);
  });

  it('rejects a template without exactly one pipeline', () => {
    expect(() => pipelineShape({ Resources: {} })).toThrow(
      'Expected exactly one AWS::CodePipeline::Pipeline in the template, found 0.',
    );
  });
});
