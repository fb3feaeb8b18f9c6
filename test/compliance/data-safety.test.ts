import { dataSafetyFindings, STATEFUL_RESOURCE_TYPES } from '../support/data-safety';
import { synthApp } from '../support/synth';
import { ISOLATED_COPY_RETAINED_RESOURCES, RETAINED_RESOURCES } from './retained-resources';

const app = synthApp();

describe.each(app.config.stages.map((c) => [c.name, app.stage(c.name)] as const))(
  'Data safety of the %s stage',
  (_name, stage) => {
    const {
      retainData,
      delivery: { terminationProtection },
    } = stage.config;

    it.each(stage.stacks.map((s) => [s.node.id, s] as const))(
      '%s stack: stateful resources and termination protection follow the stage config',
      (_id, stack) => {
        const findings = dataSafetyFindings({
          stackName: stack.stackName,
          template: app.template(stage.config.name, stack.node.id).toJSON(),
          retainData,
          requireTerminationProtection: terminationProtection,
          terminationProtection: stack.terminationProtection,
        });
        expect(findings).toEqual([]);
      },
    );
  },
);

describe('The data-safety policy itself', () => {
  it('retains data and protects prod from deletion; retains data in staging', () => {
    expect(app.stage('prod').config).toMatchObject({
      retainData: true,
      delivery: expect.objectContaining({ terminationProtection: true }),
    });
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
// empty table, bucket or key. RETAINED_RESOURCES makes such a change a deliberate edit.
describe('Logical ids of retained resources', () => {
  /** `Stack/LogicalId (Type)` of every resource of the stage that is retained or of a stateful type. */
  const retainedOf = (stageName: string) =>
    app
      .stage(stageName)
      .stacks.flatMap((stack) =>
        Object.entries(
          app.template(stageName, stack.node.id).toJSON().Resources as Record<
            string,
            { Type: string; DeletionPolicy?: string }
          >,
        )
          .filter(([, r]) => r.DeletionPolicy === 'Retain' || STATEFUL_RESOURCE_TYPES.includes(r.Type))
          .map(([id, r]) => `${stack.node.id}/${id} (${r.Type})`),
      )
      .sort();

  it.each(['staging', 'prod'])(
    'in %s are exactly the pinned list: an added, removed or renamed retained resource fails',
    (stageName) => {
      const isolated = app.stage(stageName).config.backup?.isolatedCopy ? ISOLATED_COPY_RETAINED_RESOURCES : [];
      expect(retainedOf(stageName)).toEqual([...RETAINED_RESOURCES, ...isolated].sort());
    },
  );

  it('in dev (nothing retained) are still pinned for every stateful resource', () => {
    const unpinned = retainedOf('dev').filter((r) => !RETAINED_RESOURCES.includes(r));
    expect(unpinned).toEqual([]);
  });

  it('covers buckets, tables, keys, user pools, secrets, vaults and retained log groups', () => {
    const types = new Set(RETAINED_RESOURCES.map((r) => /\((.+)\)$/.exec(r)![1]));
    expect([...types].sort()).toEqual([
      'AWS::Backup::BackupVault',
      'AWS::Cognito::UserPool',
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::Logs::LogGroup',
      'AWS::S3::Bucket',
      'AWS::SecretsManager::Secret',
    ]);
  });
});
