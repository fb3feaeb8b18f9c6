import type { Stack, StageProps } from 'aws-cdk-lib';
import { Stage } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../lib/config';
import { journeyRunsReadOnly } from '../lib/config';
import {
  JOURNEY_FUNCTION_ROLE_NAME,
  resourceNames,
  TERMINATION_PROTECTION_FUNCTION_ROLE_NAME,
} from '../contracts/resource-names';
import { JourneyRole } from '../lib/platform/checks/journey-role';
import { stageStackTags } from '../contracts/stage-stacks';
import { applyPlatformCompliance } from '../lib/platform/apply-platform-compliance';
import { AuditStack } from '../lib/platform/audit-stack';
import { BackupStack } from '../lib/platform/backup-stack';
import { DrVaultStack } from '../lib/platform/dr-vault-stack';
import { EdgeSecurityStack } from '../lib/platform/edge-security-stack';
import { ServiceStack } from '../lib/platform/service-stack';
import { TerminationProtectionRole } from '../lib/platform/checks/termination-protection-role';
import type { DeliveredStage, DeliveredStageProps, StageJourney } from '../lib/pipeline/delivered-stage';
import { StatefulStack } from '../lib/platform/stateful-stack';

/** The region of CloudFront-scope resources: AWS accepts a CloudFront WebACL only in us-east-1. */
const EDGE_REGION = 'us-east-1';

/** Props of {@link PlatformStage}. */
export interface PlatformStageProps extends StageProps {
  /** Validated config of this stage. */
  readonly config: StageConfig;
  /** Account of the pipeline (trusted by the stage's check role). */
  readonly pipelineAccount: string;
}

/**
 * The whole platform in one environment. Dev, Staging and Prod are instances of this class
 * with their own config; nothing in here switches on the stage's name.
 *
 * Stacks form a graph of up to three levels: stateful stacks first, then the stacks that use them, then the Audit
 * stack, which alarms to the Service stack's critical topic.
 */
export class PlatformStage extends Stage implements DeliveredStage {
  /** Validated config of this stage. */
  readonly config: StageConfig;
  /** Every stack of the stage, in creation order. */
  readonly stacks: readonly Stack[];
  /** ARN of the read-only role the pipeline's checks assume in the stage account. */
  readonly checkRoleArn: string;
  /** ARN of the role through which the pipeline turns on termination protection; only when the stage's config asks for it. */
  readonly terminationProtectionRoleArn?: string;
  /**
   * The acceptance journey of the stage, where its config turns it on: the role it assumes, the stacks whose
   * outputs it reads, and whether it runs only its read-only part.
   */
  readonly journey?: StageJourney;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const config = props.config;
    this.config = config;
    const common = {
      env: { account: config.account, region: config.region },
      terminationProtection: config.delivery.terminationProtection,
      crossRegionReferences: true,
      // Stack tags (cdk.json sets @aws-cdk/core:explicitStackTags): how the change review and `npm run cleanup`
      // tell this stage's stacks from another app's or another stage's.
      tags: stageStackTags(config.name),
    };

    // Level 0: stacks that depend on nothing, deployed in parallel.
    const stateful = new StatefulStack(this, 'Stateful', { ...common, stage: config });
    // CloudFront-scope WebACLs exist only in us-east-1; the Service stack reads the ARN through
    // a cross-region reference (crossRegionReferences in `common`).
    const edgeSecurity = config.waf
      ? new EdgeSecurityStack(this, 'EdgeSecurity', {
          ...common,
          env: { account: config.account, region: EDGE_REGION },
          rateLimit: config.waf.rateLimit,
          logGroupName: resourceNames(config.name).wafLogs.edge,
          logRetentionDays: config.logRetentionDays,
          retainLogs: config.retainData,
        })
      : undefined;
    const drVault = config.backup
      ? new DrVaultStack(this, 'DrVault', {
          ...common,
          env: { account: config.account, region: config.drRegion },
          stage: config,
        })
      : undefined;

    // Level 1: stacks that use level 0, deployed in parallel.
    const service = new ServiceStack(this, 'Service', {
      ...common,
      stage: config,
      pipelineAccount: props.pipelineAccount,
      stateful,
      cloudFrontWebAclArn: edgeSecurity?.webAclArn,
    });
    service.addStackDependency(stateful, 'Service code uses the stateful resources');
    if (edgeSecurity) service.addStackDependency(edgeSecurity, 'The distribution uses the CloudFront WebACL');

    let backup: BackupStack | undefined;
    if (drVault) {
      backup = new BackupStack(this, 'Backup', {
        ...common,
        stage: config,
        tables: Object.values(stateful.tables),
        fileBucket: stateful.fileBucket,
        dataKey: stateful.dataKey,
        drVault: drVault.vault,
        drVaultKey: drVault.key,
        isolatedVault: drVault.isolatedVault?.vault,
      });
      backup.addStackDependency(stateful, 'Backup selects the stateful tables and bucket');
      backup.addStackDependency(drVault, 'Backup rules copy to the DR vault');
    }

    // Level 2: the trail reads the file bucket's ARN from the Stateful stack and alarms to the Service stack's
    // critical topic; both must exist first.
    const audit = config.cloudTrail
      ? new AuditStack(this, 'Audit', {
          ...common,
          stage: config,
          personalDataBuckets: [stateful.fileBucket],
          criticalTopic: service.monitoring.topics.critical,
        })
      : undefined;
    audit?.addStackDependency(stateful, 'The trail records the writes of the file bucket');
    audit?.addStackDependency(service, "The trail's alarms notify the critical alert topic");

    applyPlatformCompliance({ stateful, service, retainData: config.retainData });

    const all: (Stack | undefined)[] = [stateful, audit, edgeSecurity, drVault, service, backup];
    this.stacks = all.filter((s): s is Stack => s !== undefined);
    this.checkRoleArn = `arn:aws:iam::${config.account}:role/${resourceNames(config.name).checkRole}`;
    if (config.journey) {
      // In the Service stack, so the role exists before the Journey action first runs.
      const roleName = resourceNames(config.name).journeyRole;
      const readOnly = journeyRunsReadOnly(config);
      const stackNames = [stateful.stackName, service.stackName];
      new JourneyRole(service, 'PipelineJourney', {
        roleName,
        pipelineAccount: props.pipelineAccount,
        trustedRoleName: JOURNEY_FUNCTION_ROLE_NAME,
        stackNames,
        resources: readOnly
          ? undefined
          : {
              userPool: stateful.userPool,
              tables: [stateful.tables.projects, stateful.tables.quotes],
              dataKey: stateful.dataKey,
              stateMachine: service.stateMachine,
            },
      });
      this.journey = {
        roleArn: `arn:aws:iam::${config.account}:role/${roleName}`,
        stackNames,
        readOnly,
        timeoutMinutes: config.journey.timeoutMinutes,
      };
    }
    if (config.delivery.terminationProtection) {
      // Beside the check role, in the Service stack; created once every stack of the stage is known.
      const roleName = resourceNames(config.name).terminationProtectionRole;
      new TerminationProtectionRole(service, 'PipelineTerminationProtection', {
        roleName,
        pipelineAccount: props.pipelineAccount,
        trustedRoleName: TERMINATION_PROTECTION_FUNCTION_ROLE_NAME,
        stacks: this.stacks.map((s) => ({ stackName: s.stackName, region: s.region })),
      });
      this.terminationProtectionRoleArn = `arn:aws:iam::${config.account}:role/${roleName}`;
    }
  }

  /** CloudFormation stack names of the stage, for the post-deploy checks. */
  get stackNames(): string[] {
    return this.stacks.map((s) => s.stackName);
  }

  /**
   * Every region a stack of the stage can live in: the primary region, the DR region (DrVault, with backup on) and
   * us-east-1 (EdgeSecurity, with WAF on), whatever the config turns on today.
   */
  get regions(): string[] {
    return [...new Set([this.config.region, this.config.drRegion, EDGE_REGION])];
  }

  /** Region of each stack that is not in the stage's primary region (EdgeSecurity in us-east-1, DrVault), by stack name. */
  get stackRegions(): Record<string, string> {
    return Object.fromEntries(
      this.stacks.filter((s) => s.region !== this.config.region).map((s) => [s.stackName, s.region]),
    );
  }
}

/** The pipeline's {@link DeliveredStageFactory} of the platform: one {@link PlatformStage} per stage. */
export function createPlatformStage(scope: Construct, id: string, props: DeliveredStageProps): PlatformStage {
  return new PlatformStage(scope, id, props);
}
