import { synthApp } from '../support/synth';

const app = synthApp();

type Resource = {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

function resourcesOf(stageName: string, type: string): [string, Resource][] {
  return app
    .stage(stageName)
    .stacks.flatMap((stack) =>
      Object.entries(app.template(stageName, stack.node.id).findResources(type) as Record<string, Resource>).map(
        ([id, r]) => [`${stack.node.id}/${id}`, r] as [string, Resource],
      ),
    );
}

describe.each(app.config.stages.map((s) => [s.name, s] as const))('Log groups of the %s stage', (name, stage) => {
  const groups = resourcesOf(name, 'AWS::Logs::LogGroup');

  it("all keep events for the stage's logRetentionDays", () => {
    expect(groups.length).toBeGreaterThanOrEqual(7);
    expect(
      groups.filter(([, g]) => g.Properties?.RetentionInDays !== stage.logRetentionDays).map(([id]) => id),
    ).toEqual([]);
  });

  it(`are ${stage.retainData ? 'retained' : 'deleted'} with their stack, as retainData says`, () => {
    const policy = stage.retainData ? 'Retain' : 'Delete';
    const off = groups
      .filter(([, g]) => (g.DeletionPolicy ?? 'Delete') !== policy || (g.UpdateReplacePolicy ?? 'Delete') !== policy)
      .map(([id]) => id);
    expect(off).toEqual([]);
  });

  it('include the API Gateway execution log group, created before the API stage can log', () => {
    const [[restApiId]] = resourcesOf(name, 'AWS::ApiGateway::RestApi');
    const apiId = restApiId.split('/')[1];
    const execution = groups.filter(([, g]) =>
      JSON.stringify(g.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
    );
    expect(execution).toHaveLength(1);
    expect(execution[0][1].Properties!.LogGroupName).toEqual({
      'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, `/${name}`]],
    });
    const [[, apiStage]] = resourcesOf(name, 'AWS::ApiGateway::Stage');
    expect((apiStage as Resource & { DependsOn?: string[] }).DependsOn).toContain(execution[0][0].split('/')[1]);
  });

  it(`log the AI workflow as ${stage.workflowLogging} says`, () => {
    const [[, machine]] = resourcesOf(name, 'AWS::StepFunctions::StateMachine');
    expect(machine.Properties!.LoggingConfiguration).toMatchObject(
      stage.workflowLogging === 'all-with-data'
        ? { Level: 'ALL', IncludeExecutionData: true }
        : { Level: 'ERROR', IncludeExecutionData: false },
    );
  });
});

describe('The config these tests build from', () => {
  it('has stages of both workflow logging levels and both retention policies, so both branches above are tested', () => {
    expect(new Set(app.config.stages.map((s) => s.workflowLogging))).toEqual(new Set(['all-with-data', 'errors']));
    expect(new Set(app.config.stages.map((s) => s.retainData))).toEqual(new Set([true, false]));
  });
});

describe('Log groups of the pipeline account', () => {
  it('all have a retention', () => {
    const groups = Object.entries(app.pipelineTemplate.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    expect(groups.filter(([, g]) => typeof g.Properties?.RetentionInDays !== 'number').map(([id]) => id)).toEqual([]);
  });
});
