import { Stack, StackProps } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { CodePipeline, CodePipelineSource } from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { AppConfig, PLATFORM_PREFIX, StageConfig } from '../config';
import { PlatformStage } from '../../stages/platform-stage';
import { restrictKmsGrantsToAwsServices } from '../compliance/restrict-kms-grants';
import { applyPipelineCompliance } from './apply-pipeline-compliance';
import { createApprovalStep } from './approval-step';
import { lockedCdkAssetsVersion, lockedCdkCliVersion } from './locked-version';
import { pipelineCodeBuildDefaults } from './codebuild-defaults';
import { PipelineNotifications } from './pipeline-notifications';
import { applyStageConditions } from './stage-conditions';
import { createSynthStep } from './synth-step';
import { PostDeployChecks } from './checks/post-deploy-checks';

/** Props of {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  /** Validated app configuration. */
  readonly config: AppConfig;
}

/**
 * The self-mutating delivery pipeline: Source, Build, UpdatePipeline, Assets, then one
 * CodePipeline stage per platform stage in promotion order, each followed by its checks.
 */
export class PipelineStack extends Stack {
  /** The CDK Pipelines construct; `pipeline.pipeline` is the built CodePipeline. */
  readonly pipeline: CodePipeline;
  /** The platform stages in promotion order. */
  readonly stages: readonly PlatformStage[];
  /** KMS-encrypted topic of the pipeline: approval requests and pipeline events (failed, succeeded, superseded). */
  readonly approvalTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, {
      ...props,
      env: props.env ?? { account: props.config.pipeline.account, region: props.config.pipeline.region },
    });
    const { pipeline: cfg } = props.config;

    const source = CodePipelineSource.connection(cfg.repository, cfg.branch, {
      connectionArn: cfg.connectionArn,
      triggerOnPush: true,
    });
    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: `${PLATFORM_PREFIX}-delivery`,
      pipelineType: codepipeline.PipelineType.V2,
      synth: createSynthStep(source),
      selfMutation: true,
      cliVersion: lockedCdkCliVersion(),
      cdkAssetsCliVersion: lockedCdkAssetsVersion(),
      codeBuildDefaults: pipelineCodeBuildDefaults(this, { logRetentionDays: cfg.logRetentionDays }),
      crossAccountKeys: true,
      enableKeyRotation: true,
      publishAssetsInParallel: false,
      // One CloudFormation action per stack instead of create + execute change set: halves the
      // deploy actions on the critical path. Changes are reviewed as diffs in the pull request.
      useChangeSets: false,
      dockerEnabledForSynth: false,
      dockerEnabledForSelfMutation: false,
    });

    const notificationsKey = new kms.Key(this, 'NotificationsKey', {
      description: 'Encrypts the delivery pipeline notification topics',
      enableKeyRotation: true,
    });
    restrictKmsGrantsToAwsServices(notificationsKey);
    this.approvalTopic = new sns.Topic(this, 'ApprovalTopic', {
      displayName: 'UK Home Improvement delivery pipeline',
      masterKey: notificationsKey,
      enforceSSL: true,
    });
    for (const email of cfg.notificationEmails) this.approvalTopic.addSubscription(new subscriptions.EmailSubscription(email));

    const stages: PlatformStage[] = [];
    let previous: StageConfig | undefined;
    for (const stageConfig of props.config.stages) {
      const stage = new PlatformStage(this, stageConfig.displayName, { config: stageConfig, pipelineAccount: cfg.account });
      this.pipeline.addStage(stage, {
        // The approver is pointed at the stage before this one; checks: health always, DR where the stage has backup.
        pre: stageConfig.delivery.manualApproval ? [createApprovalStep(stageConfig, previous, this.approvalTopic)] : [],
        post: PostDeployChecks.of(this).stepsFor(stage),
      });
      stages.push(stage);
      previous = stageConfig;
    }
    this.stages = stages;

    // Conditions and notifications need the built CodePipeline, so build it now rather than at synth.
    this.pipeline.buildPipeline();
    applyStageConditions(this.pipeline.pipeline, props.config);
    new PipelineNotifications(this, 'PipelineNotifications', { pipeline: this.pipeline.pipeline, topic: this.approvalTopic });
    applyPipelineCompliance(this.pipeline);
  }
}
