import { CfnResource, Stack } from 'aws-cdk-lib';
import { dataSafetyFindings, STATEFUL_RESOURCE_TYPES } from '../support/data-safety';
import { synthApp } from '../support/synth';

const app = synthApp();

describe.each(app.pipelineStack.stages.map((s) => [s.config.name, s] as const))('Data safety of the %s stage', (_name, stage) => {
  const { retainData, delivery: { terminationProtection } } = stage.config;

  it.each(stage.stacks.map((s) => [s.node.id, s] as const))('%s stack: stateful resources and termination protection follow the stage config', (_id, stack) => {
    const findings = dataSafetyFindings({
      stackName: stack.stackName,
      template: app.template(stage.config.name, stack.node.id).toJSON(),
      retainData,
      requireTerminationProtection: terminationProtection,
      terminationProtection: stack.terminationProtection,
    });
    expect(findings).toEqual([]);
  });
});

describe('The data-safety policy itself', () => {
  it('retains data and protects prod from deletion; retains data in staging', () => {
    expect(app.stage('prod').config).toMatchObject({ retainData: true, delivery: expect.objectContaining({ terminationProtection: true }) });
    expect(app.stage('staging').config).toMatchObject({ retainData: true });
  });

  it('reports a bucket that staging would delete, and a prod stack without termination protection', () => {
    const findings = dataSafetyFindings({
      stackName: 'Prod-Stateful',
      template: { Resources: { Files: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' } } },
      retainData: true,
      requireTerminationProtection: true,
      terminationProtection: false,
    });
    expect(findings).toEqual([
      'Prod-Stateful: termination protection is off.',
      'Prod-Stateful/Files (AWS::S3::Bucket): DeletionPolicy Retain, UpdateReplacePolicy Delete; both must be Retain.',
    ]);
  });
});

// Renaming a construct changes its logical id, and CloudFormation then replaces the resource: a new
// empty table, bucket or key. This list makes such a change a deliberate edit.
describe('Logical ids of stateful resources', () => {
  const PINNED = [
    'ClaudeSecretFBDF3C8A',
    'DataKey17AFBB84',
    'DocuSignSecretFE6B5763',
    'FileStorageAccessLogsD14DFE42',
    'FileStorageB30DC344',
    'StripeSecret80A38A68',
    'TablesContractsD4F623D2',
    'TablesProjectsD51E92A2',
    'TablesQuotesA38F5242',
    'TablesUsersBA34CAA2',
    'UserPool6BA7E5F2',
  ];

  it.each(['dev', 'staging', 'prod'])('are unchanged in the %s Stateful stack', (stageName) => {
    const stack = app.stage(stageName).stacks.find((s) => s.node.id === 'Stateful')!;
    const ids = stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && STATEFUL_RESOURCE_TYPES.includes(c.cfnResourceType))
      .map((c) => Stack.of(c).resolve(c.logicalId) as string)
      .sort();
    expect(ids).toEqual(PINNED);
  });
});
