import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { OUTPUTS } from '../../../contracts/output-names';
import { BackupStack } from '../../../lib/platform/backup-stack';
import { IsolatedBackupVault } from '../../../lib/platform/backup/isolated-backup-vault';
import { DrVaultStack } from '../../../lib/platform/dr-vault-stack';
import { PipelineStack } from '../../../lib/pipeline/pipeline-stack';
import { createPlatformStage, PlatformStage } from '../../../stages/platform-stage';
import { NO_BUNDLING } from '../../../support/shared-assembly';
import { parseCheckParameters } from '../../../lambda/pipeline/private/user-parameters';
import { stageNamed } from '../../support/pipeline-shape';
import { fixtureConfig, fixtureContext, REASON } from '../../config/fixtures/production-context';

/*
 * The committed fixture (test/config/fixtures/production-context.ts), not cdk.json: `live` is a production stage
 * that keeps every guard (compliance-mode Vault Lock, an isolated copy); `test` here also has backup, with its
 * vaults in governance mode, as Staging has.
 */
const STAGING_LIKE = { 'test.backup.enabled': true, 'test.backup.vaultLock': 'governance' };
const ISOLATED_VAULT_NAME = 'uk-home-improvement-live-isolated-vault';

/** The fixture's stages with `overrides`, each built on first use as the pipeline builds it (explicit props, no pipeline). */
function fixtureStages(overrides: Record<string, unknown>) {
  const config = fixtureConfig(overrides);
  const app = new App({ context: { ...fixtureContext(overrides), ...NO_BUNDLING } });
  const host = new Stack(app, 'PipelineStack', {
    env: { account: config.pipeline.account, region: config.pipeline.region },
  });
  const built = new Map<string, PlatformStage>();
  const stage = (name: string) => {
    if (!built.has(name)) {
      const stageConfig = config.stages.find((s) => s.name === name)!;
      built.set(
        name,
        new PlatformStage(host, stageConfig.displayName, {
          config: stageConfig,
          pipelineAccount: config.pipeline.account,
        }),
      );
    }
    return built.get(name)!;
  };
  const templates = new Map<string, Template>();
  const template = (name: string, stackId: string) => {
    const key = `${name}/${stackId}`;
    if (!templates.has(key))
      templates.set(key, Template.fromStack(stage(name).stacks.find((s) => s.node.id === stackId)!));
    return templates.get(key)!;
  };
  return { stage, template };
}

/** The copy actions of each rule of a Backup stack's plan, by rule name. */
function copyActionsByRule(backupTemplate: Template): Record<string, Array<Record<string, any>>> {
  const plan = Object.values(backupTemplate.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan;
  return Object.fromEntries(plan.BackupPlanRule.map((r: any) => [r.RuleName, r.CopyActions]));
}

/** The check role's policy statements in a Service stack. */
function checkRoleStatements(serviceTemplate: Template): Array<{ Action: string | string[]; Resource: unknown }> {
  return Object.values(serviceTemplate.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('PipelineCheck'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const stages = fixtureStages(STAGING_LIKE);

describe('A production stage (the fixture: compliance Vault Lock, isolated copy kept)', () => {
  const dr = stages.template('live', 'DrVault');
  const backupTemplate = stages.template('live', 'Backup');

  it('keeps a logically air-gapped vault in the DR region, retained, encrypted with an AWS-owned key', () => {
    const drStack = stages.stage('live').stacks.find((s) => s.node.id === 'DrVault')!;
    expect(drStack.region).toBe('eu-west-1');
    dr.resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 1);
    dr.hasResource('AWS::Backup::LogicallyAirGappedBackupVault', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BackupVaultName: ISOLATED_VAULT_NAME,
        MinRetentionDays: 30,
        MaxRetentionDays: 365,
        // no customer key: AWS Backup encrypts the vault with an AWS-owned key
        EncryptionKeyArn: Match.absent(),
      },
    });
    dr.hasOutput(OUTPUTS.isolatedBackupVaultArn, {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IsolatedVault'), 'BackupVaultArn'] },
    });
  });

  it("copies every rule also to the isolated vault, kept for the rule's retention and never moved to cold storage", () => {
    const isolatedRef = {
      'Fn::GetStackOutput': {
        StackName: 'Live-DrVault',
        Region: 'eu-west-1',
        OutputName: expect.stringMatching(/^PublishOutputFnGetAttIsolatedVault/),
      },
    };
    const byRule = copyActionsByRule(backupTemplate);
    expect(Object.keys(byRule).sort()).toEqual(['Daily', 'Weekly']);
    expect(
      byRule.Daily.filter((c) => c.DestinationBackupVaultArn['Fn::GetStackOutput'].OutputName.includes('Isolated')),
    ).toEqual([{ DestinationBackupVaultArn: isolatedRef, Lifecycle: { DeleteAfterDays: 30 } }]);
    expect(
      byRule.Weekly.filter((c) => c.DestinationBackupVaultArn['Fn::GetStackOutput'].OutputName.includes('Isolated')),
    ).toEqual([{ DestinationBackupVaultArn: isolatedRef, Lifecycle: { DeleteAfterDays: 365 } }]);
    // the DR copy of the weekly rule still goes cold, as the rule does
    expect(byRule.Weekly).toContainEqual(
      expect.objectContaining({ Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 7 } }),
    );
  });

  it('locks its primary and DR vaults in compliance mode: immutable after the 3-day grace period', () => {
    const lock = { MinRetentionDays: 30, MaxRetentionDays: 365, ChangeableForDays: 3 };
    for (const id of ['Backup', 'DrVault'])
      stages.template('live', id).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: lock });
  });

  it('lets the DR check list the recovery points of the isolated vault, and of no other vault', () => {
    const listing = checkRoleStatements(stages.template('live', 'Service')).filter((s) =>
      [s.Action].flat().includes('backup:ListRecoveryPointsByBackupVault'),
    );
    expect(listing).toEqual([
      expect.objectContaining({
        Action: 'backup:ListRecoveryPointsByBackupVault',
        Resource: `arn:aws:backup:eu-west-1:333333333333:backup-vault:${ISOLATED_VAULT_NAME}`,
      }),
    ]);
  });
});

describe('A stage that is not production, with governance-mode Vault Lock (as Staging)', () => {
  it('locks its primary and DR vaults in governance mode: no lock date, removable by a principal allowed to', () => {
    for (const id of ['Backup', 'DrVault'])
      stages.template('test', id).hasResourceProperties('AWS::Backup::BackupVault', {
        LockConfiguration: { MinRetentionDays: 30, MaxRetentionDays: 365, ChangeableForDays: Match.absent() },
      });
  });

  it('has no isolated vault, copies each rule to the DR vault only, and its check role lists no vault', () => {
    stages.template('test', 'DrVault').resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 0);
    expect(stages.template('test', 'DrVault').findOutputs(OUTPUTS.isolatedBackupVaultArn)).toEqual({});
    for (const copies of Object.values(copyActionsByRule(stages.template('test', 'Backup'))))
      expect(copies).toHaveLength(1);
    expect(JSON.stringify(checkRoleStatements(stages.template('test', 'Service')))).not.toContain(
      'ListRecoveryPointsByBackupVault',
    );
  });
});

describe('A production stage with vaultLock governance under its break-glass key', () => {
  // GIVEN live with governance-mode Vault Lock and the reason in live.breakGlass.vaultLock
  const overrides = { 'live.backup.vaultLock': 'governance', 'live.breakGlass.vaultLock': REASON };
  const app = new App({ context: { ...fixtureContext(overrides), ...NO_BUNDLING } });
  const pipeline = new PipelineStack(app, 'PipelineStack', {
    config: fixtureConfig(overrides),
    stageFactory: createPlatformStage,
  });

  it('synthesizes, with one warning naming the key, the weakening and the reason', () => {
    const warnings = Annotations.fromStack(pipeline).findWarning('*', Match.stringLikeRegexp('BREAK-GLASS'));
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining(
        `live.breakGlass.vaultLock: production stage live goes without its vaultLock guard (live.backup.vaultLock = "governance"). Reason: ${REASON}`,
      ),
    ]);
  });

  it("passes the isolated copy and the governance mode to the stage's DR check", () => {
    const drCheck = stageNamed(Template.fromStack(pipeline), 'Live').actions.find((a) => a.name === 'DrCheck')!;
    const params = parseCheckParameters(drCheck.configuration.UserParameters, { requireRole: true, requireDr: true });
    expect(params.dr).toMatchObject({
      vaultLock: 'governance',
      isolatedCopy: { minRetentionDays: 30, maxRetentionDays: 365, copyDelayHours: 12 },
    });
  });

  it('deploys its vaults in governance mode, and still copies to the isolated vault', () => {
    const live = pipeline.node
      .findAll()
      .find((c): c is PlatformStage => c instanceof PlatformStage && c.config.name === 'live')!;
    const template = (id: string) => Template.fromStack(live.stacks.find((s) => s.node.id === id)!);
    template('Backup').hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 30, MaxRetentionDays: 365, ChangeableForDays: Match.absent() },
    });
    template('DrVault').resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 1);
  });
});

describe('IsolatedBackupVault and BackupStack on their own', () => {
  const vaultIn = (props: { minRetentionDays: number; maxRetentionDays: number; vaultName?: string }) => () =>
    new IsolatedBackupVault(new Stack(new App(), 'S'), 'Isolated', { vaultName: 'isolated-vault', ...props });

  it("refuses retention bounds AWS Backup refuses, naming the construct and AWS's minimum", () => {
    expect(vaultIn({ minRetentionDays: 6, maxRetentionDays: 30 })).toThrow(
      /^Isolated: minRetentionDays 6 and maxRetentionDays 30 are not valid: .* at least 7 \(AWS Backup's minimum/,
    );
    expect(vaultIn({ minRetentionDays: 30, maxRetentionDays: 29 })).toThrow(/the minimum at most the maximum/);
    expect(vaultIn({ minRetentionDays: 7, maxRetentionDays: 7, vaultName: 'a'.repeat(51) })).toThrow(
      /^Isolated: vaultName "a{51}" is not valid: expected 2 to 50 letters/,
    );
  });

  /** A Backup stack of `stageName` in the fixture, given the DR stack's isolated vault or not. */
  function backupStack(stageName: string, withIsolatedVault: boolean) {
    const config = fixtureConfig(STAGING_LIKE).stages.find((s) => s.name === stageName)!;
    const app = new App({ context: fixtureContext(STAGING_LIKE) });
    const env = { account: config.account, region: config.region };
    const data = new Stack(app, 'Data', { env });
    const dr = new DrVaultStack(app, 'Dr', { env: { ...env, region: config.drRegion }, stage: config });
    const other = new IsolatedBackupVault(new Stack(app, 'Other', { env: { ...env, region: config.drRegion } }), 'V', {
      vaultName: 'other-isolated-vault',
      minRetentionDays: 30,
      maxRetentionDays: 365,
    });
    return () =>
      new BackupStack(app, 'Backup', {
        env,
        crossRegionReferences: true,
        stage: config,
        tables: [new dynamodb.Table(data, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } })],
        fileBucket: new s3.Bucket(data, 'B', { versioned: true }),
        dataKey: new kms.Key(data, 'K'),
        drVault: dr.vault,
        drVaultKey: dr.key,
        isolatedVault: withIsolatedVault ? (dr.isolatedVault?.vault ?? other.vault) : undefined,
      });
  }

  it('refuses a Backup stack of a stage with an isolated copy without the isolated vault, and the other way round', () => {
    expect(backupStack('live', false)).toThrow(
      /^Backup: live\.backup\.isolatedCopy\.enabled is true, so isolatedVault .* is required/,
    );
    expect(backupStack('test', true)).toThrow(
      /^Backup: isolatedVault is given, but test\.backup\.isolatedCopy\.enabled is false/,
    );
  });
});
