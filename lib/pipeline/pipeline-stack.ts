import type { StackProps } from 'aws-cdk-lib';
import { Annotations, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { CodePipeline, CodePipelineSource } from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { AppConfig, StageConfig } from '../config';
import { breakGlassInUse, breakGlassWarning } from '../config';
import { PIPELINE_ROLE_NAME, PLATFORM_PREFIX, TOOLING_TRAIL_KEY_ALIAS } from '../../contracts/resource-names';
import { AuditTrail } from '../platform/audit/audit-trail';
import { restrictKmsGrantsToAwsServices } from '../compliance/restrict-kms-grants';
import { applyPipelineCompliance } from './apply-pipeline-compliance';
import { approvalStageName, approvalStageSteps, reviewStageName } from './approval-step';
import { ApproversPolicy } from './approvers-policy';
import { ChangeReview } from './change-review/change-review-step';
import { changeReviewPolicyOf } from './change-review/change-review-policy-of';
import { ExecutionNotifier } from './execution-notifier';
import { lockedCdkAssetsVersion, lockedCdkCliVersion } from './locked-version';
import { pipelineCodeBuildDefaults } from './codebuild-defaults';
import { checkPipelineLimits, checkStageCount } from './pipeline-limits';
import { applyStageConditions } from './stage-conditions';
import { grantConnectionUse } from './grant-connection-use';
import { scopeAssetBuilds } from './scope-asset-builds';
import { createSynthStep } from './synth-step';
import { PostDeployChecks } from './checks/post-deploy-checks';
import type { DeliveredStage, DeliveredStageFactory } from './delivered-stage';
import { productionGateSpec } from './self-mutation/production-gate-spec';
import {
  bundleSelfMutationGuard,
  pipelineStackLocation,
  SelfMutationGuardCheck,
  selfMutationGuardDefaults,
} from './self-mutation/self-mutation-guard';

/** Props of {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  /** Validated app configuration. */
  readonly config: AppConfig;
  /** Creates each stage the pipeline delivers (bin/app.ts passes the platform's, `createPlatformStage`). */
  readonly stageFactory: DeliveredStageFactory;
}

/**
 * The self-mutating delivery pipeline: Source, Build, UpdatePipeline, Assets, then one
 * CodePipeline stage per platform stage in promotion order, each followed by its checks; a stage
 * that needs manual approval is preceded by an approval stage of its own (`Approve<Stage>`). The tooling account's
 * own CloudTrail trail (`ToolingAudit`) lives here too.
 */
export class PipelineStack extends Stack {
  /** The CDK Pipelines construct; `pipeline.pipeline` is the built CodePipeline. */
  readonly pipeline: CodePipeline;
  /** The platform stages in promotion order. */
  readonly stages: readonly DeliveredStage[];
  /** KMS-encrypted topic of the pipeline: approval requests, change review summaries, and one message per execution that ends. */
  readonly approvalTopic: sns.Topic;
  /** The tooling account's multi-region trail, delivering to a COMPLIANCE-mode Object Lock bucket. */
  readonly trail: AuditTrail;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, {
      ...props,
      env: props.env ?? { account: props.config.pipeline.account, region: props.config.pipeline.region },
    });
    const { pipeline: cfg } = props.config;
    checkStageCount(cfg.stages);

    const source = CodePipelineSource.connection(cfg.repository, cfg.branch, {
      connectionArn: cfg.connectionArn,
      triggerOnPush: true,
    });
    const pipelineName = `${PLATFORM_PREFIX}-delivery`;
    const synth = createSynthStep(source);
    // The self-mutation step runs the guard before it deploys the next pipeline: the guard and the
    // production gates it holds that pipeline to are part of this (deployed) definition.
    const guardSpec = productionGateSpec(props.config, pipelineName, pipelineStackLocation(this));
    const guardScript = bundleSelfMutationGuard();
    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName,
      pipelineType: codepipeline.PipelineType.V2,
      synth,
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
      selfMutationCodeBuildDefaults: selfMutationGuardDefaults(this, guardSpec, guardScript),
    });
    // Synth fails when the guard this stack deploys would refuse this very stack.
    Validations.of(this).addPlugins(new SelfMutationGuardCheck(this.node.path, guardSpec, guardScript));

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
    for (const email of cfg.notificationEmails)
      this.approvalTopic.addSubscription(new subscriptions.EmailSubscription(email));

    const stages: DeliveredStage[] = [];
    let previous: StageConfig | undefined;
    for (const stageConfig of props.config.stages) {
      const stage = props.stageFactory(this, stageConfig.displayName, {
        config: stageConfig,
        pipelineAccount: cfg.account,
      });
      const breakGlass = breakGlassInUse(stageConfig);
      for (const use of breakGlass) {
        Annotations.of(this).addWarningV2(
          `${PLATFORM_PREFIX}:break-glass:${use.key}`,
          breakGlassWarning(stageConfig, use),
        );
      }
      // The change review of the stage (diff against what is deployed, refusal of lost retained data, drift)
      // runs before every stage that has an approval, and before a production stage that has none.
      const review = (pipelineStage: string) => {
        const changeReview = ChangeReview.of(this);
        const step = changeReview.stepFor(stage, {
          policy: changeReviewPolicyOf(stageConfig),
          assembly: synth,
          topic: this.approvalTopic,
          commitId: source.sourceAttribute('CommitId'),
          pipelineStage,
        });
        return { step, reportUrl: changeReview.reportUrl(stage) };
      };
      if (stageConfig.delivery.manualApproval) {
        // The approval is a pipeline stage of its own before the stage: a rejection fails only that
        // stage (which has no rollback), and the stage's deployment window, its entry condition, is
        // evaluated after the approval, so nothing deploys outside the window. The review runs first;
        // the approval starts only when it passed, and its review link opens the report.
        const name = approvalStageName(stageConfig);
        this.pipeline.addWave(name, {
          pre: approvalStageSteps(
            stageConfig,
            previous,
            this.approvalTopic,
            { name: pipelineName, region: this.region },
            review(name),
            breakGlass,
          ),
        });
      } else if (stageConfig.production) {
        // No approval (under break-glass): the review still runs, in a stage of its own for the same reasons
        // as the approval's. A failed review fails only that stage: no rollback of the production stage
        // starts, and nothing is deployed.
        const name = reviewStageName(stageConfig);
        this.pipeline.addWave(name, { pre: [review(name).step] });
      }
      // Checks: health always, DR where the stage has backup, termination protection first where the stage asks for it,
      // and the bake after the health check where the stage has a bake time.
      this.pipeline.addStage(stage, { post: PostDeployChecks.of(this).stepsFor(stage) });
      stages.push(stage);
      previous = stageConfig;
    }
    // What the config allows but probably did not mean (lib/config/config-warnings.ts), once per synth.
    props.config.warnings.forEach((warning, i) =>
      Annotations.of(this).addWarningV2(`${PLATFORM_PREFIX}:config-warning:${i + 1}`, warning),
    );
    const noProduction = props.config.pipeline.breakGlass.noProductionStage;
    if (noProduction !== undefined) {
      Annotations.of(this).addWarningV2(
        `${PLATFORM_PREFIX}:break-glass:pipeline.breakGlass.noProductionStage`,
        `BREAK-GLASS pipeline.breakGlass.noProductionStage: no stage is production, so no production guard applies. Reason: ${noProduction}`,
      );
    }
    this.stages = stages;

    // Conditions and notifications need the built CodePipeline, so build it now rather than at synth.
    this.pipeline.buildPipeline();
    // A fixed name: the pipeline role's ARN is known without a reference to this stack.
    (this.pipeline.pipeline.role.node.defaultChild as iam.CfnRole).roleName = PIPELINE_ROLE_NAME;
    checkPipelineLimits(this.pipeline.pipeline);
    applyStageConditions(this.pipeline.pipeline, props.config);
    grantConnectionUse(this.pipeline.pipeline, cfg.connectionArn);
    scopeAssetBuilds(this.pipeline);
    // One message per execution that ends: its stage, cause (a failed action's own reason, the change
    // review's from its report bucket; a condition rule's alarm or window) and what happens next.
    const review = this.node.tryFindChild('ChangeReview') as ChangeReview | undefined;
    new ExecutionNotifier(this, 'ExecutionNotifier', {
      pipeline: this.pipeline.pipeline,
      topic: this.approvalTopic,
      failureDetails: review?.reports,
    });
    review?.acknowledgePipelineGrants(this.pipeline);
    new ApproversPolicy(this, 'Approvers', { pipeline: this.pipeline.pipeline, reports: review?.reports });
    applyPipelineCompliance(this.pipeline);
    // The tooling account's own trail: who changed the pipeline, its roles or its keys is recorded in a bucket
    // whose log files nobody in this account, root included, can delete before they expire.
    this.trail = new AuditTrail(this, 'ToolingAudit', {
      retentionDays: cfg.auditLogRetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
      keyAliasName: TOOLING_TRAIL_KEY_ALIAS,
      objectLockMode: 'COMPLIANCE',
    });
  }
}
