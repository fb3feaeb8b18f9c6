import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { OUTPUTS } from '../../contracts/output-names';
import { resourceNames } from '../../contracts/resource-names';
import { BackupStack } from '../../lib/platform/backup-stack';
import { DrVaultStack } from '../../lib/platform/dr-vault-stack';
import { configWith, contextWith } from '../support/context';
import { platformStages } from '../support/platform-stages';

const app = platformStages();
const DAY_RULE = (props: Record<string, unknown>) => Match.objectLike(props);

describe('Dev (PITR only)', () => {
  it('has no Backup or DrVault stack', () => {
    const ids = app.stage('dev').stacks.map((s) => s.node.id);
    expect(ids).not.toContain('Backup');
    expect(ids).not.toContain('DrVault');
  });

  it('still has point-in-time recovery on every table', () => {
    app.template('dev', 'Stateful').allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe.each(['staging', 'prod'])('%s backup and DR', (stageName) => {
  const stage = app.stage(stageName);
  const config = stage.config;
  const policy = config.backup!;
  const names = resourceNames(config.name);
  const template = app.template(stageName, 'Backup');
  const drTemplate = app.template(stageName, 'DrVault');

  it('puts the DR vault stack in the DR region and the Backup stack in the primary region', () => {
    const dr = stage.stacks.find((s) => s.node.id === 'DrVault')!;
    const primary = stage.stacks.find((s) => s.node.id === 'Backup')!;
    expect(dr.region).toBe(config.drRegion);
    expect(dr.region).not.toBe(config.region);
    expect(primary.region).toBe(config.region);
  });

  it('makes Backup depend on Stateful and DrVault, which depend on nothing', () => {
    const deps = (id: string) =>
      stage.stacks
        .find((s) => s.node.id === id)!
        .dependencies.map((s) => s.node.id)
        .sort();
    expect(deps('Backup')).toEqual(['DrVault', 'Stateful']);
    expect(deps('DrVault')).toEqual([]);
  });

  it('encrypts the primary vault with its own rotating key, retained with the data', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: names.backupVault,
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultKey'), 'Arn'] },
    });
    template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it('creates the DR vault with its own key and publishes its ARN', () => {
    drTemplate.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: names.drBackupVault,
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultKey'), 'Arn'] },
    });
    drTemplate.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    drTemplate.hasOutput(OUTPUTS.drBackupVaultArn, {});
  });

  it('keeps daily recovery points warm for dailyRetentionDays and copies them to the DR vault', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: Match.arrayWith([
          DAY_RULE({
            RuleName: 'Daily',
            ScheduleExpression: 'cron(0 3 * * ? *)',
            Lifecycle: { DeleteAfterDays: policy.dailyRetentionDays },
            CopyActions: Match.arrayWith([
              {
                DestinationBackupVaultArn: Match.anyValue(),
                Lifecycle: { DeleteAfterDays: policy.dailyRetentionDays },
              },
            ]),
          }),
        ]),
      },
    });
  });

  it('keeps weekly recovery points weeklyRetentionDays, cold after weeklyColdStorageAfterDays, and copies them too', () => {
    const lifecycle = {
      DeleteAfterDays: policy.weeklyRetentionDays,
      MoveToColdStorageAfterDays: policy.weeklyColdStorageAfterDays,
    };
    expect(lifecycle).toEqual({ DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: Match.arrayWith([
          DAY_RULE({
            RuleName: 'Weekly',
            ScheduleExpression: 'cron(0 4 ? * SUN *)',
            Lifecycle: lifecycle,
            CopyActions: Match.arrayWith([{ DestinationBackupVaultArn: Match.anyValue(), Lifecycle: lifecycle }]),
          }),
        ]),
      },
    });
  });

  it('copies every rule to the vaults in the DR region, not the primary one: the DR vault and, where configured, the isolated vault', () => {
    const dr = stage.stacks.find((s) => s.node.id === 'DrVault')!;
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan;
    expect(plan.BackupPlanRule).toHaveLength(2);
    // a cross-region reference: each vault's ARN is read from the DrVault stack's output in the DR region
    const fromDrStack = (vault: RegExp) => ({
      'Fn::GetStackOutput': {
        StackName: dr.stackName,
        Region: config.drRegion,
        OutputName: expect.stringMatching(vault),
      },
    });
    for (const rule of plan.BackupPlanRule) {
      expect(rule.CopyActions.map((c: { DestinationBackupVaultArn: unknown }) => c.DestinationBackupVaultArn)).toEqual([
        fromDrStack(/^PublishOutputFnGetAttVault23237E5B/),
        ...(policy.isolatedCopy ? [fromDrStack(/^PublishOutputFnGetAttIsolatedVault2DB0AC77/)] : []),
      ]);
    }
  });

  it('selects all four tables and the file bucket', () => {
    const selections = Object.values(template.findResources('AWS::Backup::BackupSelection')).map(
      (r) => r.Properties.BackupSelection,
    );
    const tables = selections.find((s) => s.SelectionName === 'Tables');
    const files = selections.find((s) => s.SelectionName === 'FileBucket');
    expect(tables.Resources).toHaveLength(4);
    expect(files.Resources).toHaveLength(1);
    expect(JSON.stringify(files.Resources)).toMatch(/FileStorage/);
  });

  it('pins the logical IDs of the vaults and their keys, so a refactor cannot replace them', () => {
    for (const t of [template, drTemplate]) {
      expect(Object.keys(t.findResources('AWS::Backup::BackupVault'))).toEqual(['Vault23237E5B']);
      expect(Object.keys(t.findResources('AWS::KMS::Key'))).toEqual(['VaultKey6B75F33E']);
    }
    expect(Object.keys(drTemplate.findResources('AWS::Backup::LogicallyAirGappedBackupVault'))).toEqual(
      policy.isolatedCopy ? ['IsolatedVault2DB0AC77'] : [],
    );
  });

  it('publishes the vault name and plan id', () => {
    template.hasOutput(OUTPUTS.backupVaultName, {});
    template.hasOutput(OUTPUTS.backupPlanId, {});
  });

  it('restores the latest DynamoDB recovery point of every table monthly', () => {
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(0 5 1 * ? *)',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        RecoveryPointTypes: ['SNAPSHOT'],
        IncludeVaults: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Vault'), 'BackupVaultArn'] }],
      },
    });
    template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'DynamoDB',
    });
    const selection = Object.values(template.findResources('AWS::Backup::RestoreTestingSelection'))[0].Properties;
    expect(selection.ProtectedResourceArns).toHaveLength(4);
    template.hasOutput(OUTPUTS.restoreTestingPlanName, { Value: `uk_home_improvement_${stageName}_tables` });
  });

  it('validates each completed restore with an arm64 Node.js 22 function started by the restore job event', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ STAGE_NAME: stageName }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        detail: { status: ['COMPLETED'], resourceType: ['DynamoDB'] },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'] }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: config.logRetentionDays });
  });
});

describe.each(['staging', 'prod'])('%s backup vaults', (stageName) => {
  it("are locked as the stage's vaultLock says, with the shortest and longest rule retention", () => {
    const policy = app.stage(stageName).config.backup!;
    const lock = {
      MinRetentionDays: Math.min(policy.dailyRetentionDays, policy.weeklyRetentionDays),
      MaxRetentionDays: Math.max(policy.dailyRetentionDays, policy.weeklyRetentionDays),
      ...(policy.vaultLock === 'compliance' ? { ChangeableForDays: 3 } : {}),
    };
    for (const id of ['Backup', 'DrVault']) {
      const vaults = Object.values(app.template(stageName, id).findResources('AWS::Backup::BackupVault'));
      expect(vaults.map((v) => v.Properties.LockConfiguration)).toEqual([
        policy.vaultLock === 'off' ? undefined : lock,
      ]);
    }
  });
});

describe('BackupStack on its own', () => {
  /** A fixture app with the given overrides of the staging config. */
  function fixture(overrides: Record<string, unknown> = {}) {
    const config = configWith(overrides).stages.find((s) => s.name === 'staging')!;
    const fixtureApp = new App({ context: contextWith(overrides) });
    const env = { account: config.account, region: config.region };
    const stateful = new Stack(fixtureApp, 'Data', { env });
    const table = new dynamodb.Table(stateful, 'Users', {
      partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
    });
    const bucket = new s3.Bucket(stateful, 'Files', { versioned: true });
    const key = new kms.Key(stateful, 'DataKey');
    const dr = new DrVaultStack(fixtureApp, 'Dr', {
      env: { ...env, region: config.drRegion },
      crossRegionReferences: true,
      stage: config,
    });
    const create = () =>
      new BackupStack(fixtureApp, 'Backup', {
        env,
        crossRegionReferences: true,
        stage: config,
        tables: [table],
        fileBucket: bucket,
        dataKey: key,
        drVault: dr.vault,
        drVaultKey: dr.key,
      });
    return { config, create, dr };
  }

  it('destroys vaults with the stack when data is not retained', () => {
    const { create, dr } = fixture({ 'staging.retainData': false });
    Template.fromStack(create()).hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Delete' });
    Template.fromStack(dr).hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Delete' });
  });

  it('keeps weekly recovery points warm when cold storage is off', () => {
    const { create } = fixture({ 'staging.backup.weeklyColdStorageAfterDays': 0 });
    const plan = Object.values(Template.fromStack(create()).findResources('AWS::Backup::BackupPlan'))[0].Properties
      .BackupPlan;
    const weekly = plan.BackupPlanRule.find((r: any) => r.RuleName === 'Weekly');
    expect(weekly.Lifecycle).toEqual({ DeleteAfterDays: 365 });
  });

  it('has no restore testing when the policy turns it off', () => {
    const { create } = fixture({ 'staging.backup.restoreTesting': false });
    const template = Template.fromStack(create());
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(template.findOutputs(OUTPUTS.restoreTestingPlanName)).toEqual({});
  });

  it("locks both vaults in compliance mode when configured, immutable after 3 days, with the rules' retention", () => {
    const { create, dr } = fixture({
      'staging.backup.vaultLock': 'compliance',
      'staging.backup.dailyRetentionDays': 35,
      'staging.backup.weeklyRetentionDays': 400,
    });
    const lock = { MinRetentionDays: 35, MaxRetentionDays: 400, ChangeableForDays: 3 };
    Template.fromStack(create()).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: lock });
    Template.fromStack(dr).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: lock });
  });

  it('does not lock the vaults when vaultLock is off', () => {
    const { create, dr } = fixture({ 'staging.backup.vaultLock': 'off' });
    Template.fromStack(create()).hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: Match.absent(),
    });
    Template.fromStack(dr).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.absent() });
  });

  it('refuses a stage without a backup policy, naming the stack', () => {
    const { create } = fixture({ 'staging.backup.enabled': false });
    expect(create).toThrow(/^Backup: staging.backup.enabled is false/);
  });

  it('refuses a DR vault stack outside the DR region', () => {
    const config = configWith().stages.find((s) => s.name === 'staging')!;
    expect(
      () =>
        new DrVaultStack(new App(), 'Dr', { env: { account: config.account, region: config.region }, stage: config }),
    ).toThrow(/^Dr: deploy this stack in staging.drRegion \(eu-west-1\)/);
  });

  it('uses a real AWS Backup vault type for the copy target', () => {
    const { dr } = fixture();
    expect(dr.vault).toBeInstanceOf(backup.BackupVault);
  });
});
