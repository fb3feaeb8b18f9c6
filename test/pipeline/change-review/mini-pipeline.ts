import type { App } from 'aws-cdk-lib';
import { RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as path from 'path';
import { CodePipeline, CodePipelineSource, ManualApprovalStep, ShellStep } from 'aws-cdk-lib/pipelines';
import { applyPipelineCompliance } from '../../../lib/pipeline/apply-pipeline-compliance';
import { pipelineCodeBuildDefaults } from '../../../lib/pipeline/codebuild-defaults';
import { ChangeReview, reviewBeforeApproval } from '../../../lib/pipeline/change-review/change-review-step';
import { ExecutionNotifier } from '../../../lib/pipeline/execution-notifier';
import { restrictKmsGrantsToAwsServices } from '../../../lib/compliance/restrict-kms-grants';
import type { DeliveredStage } from '../../../lib/pipeline/delivered-stage';
import { stageStackTags } from '../../../contracts/stage-stacks';

export const PIPELINE_ACCOUNT = '222222222222';
export const STAGE_ACCOUNT = '111111111111';

/** A stage with the parts of a DeliveredStage the review reads: its config and stacks. */
class FakePlatformStage extends Stage {
  readonly stacks: Stack[];
  constructor(
    scope: App | Stack,
    id: string,
    readonly config: { name: string; account: string; region: string },
  ) {
    super(scope, id, { env: { account: config.account, region: config.region } });
    const stack = new Stack(this, 'Stateful', { stackName: `${id}-Stateful`, tags: stageStackTags(config.name) });
    new sqs.Queue(stack, 'Queue', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
    // A file asset, as the platform's Lambda code is: the pipeline then has its Assets stage.
    new s3assets.Asset(stack, 'Code', { path: path.join(__dirname, 'mini-pipeline.ts') });
    this.stacks = [stack];
  }
  get stackNames(): string[] {
    return this.stacks.map((s) => s.stackName);
  }
  get stackRegions(): Record<string, string> {
    return {};
  }
  /** The stage may also have stacks in the DR region (none today): the review searches it for stacks it left. */
  get regions(): string[] {
    return [this.config.region, 'eu-west-1'];
  }
}

/**
 * A small CDK Pipelines pipeline wired the way PipelineStack will be: a Prod stage whose `pre` runs
 * the change review, then the approval whose review URL is the report; and the execution notifier.
 */
export function miniPipeline(app: App) {
  const stack = new Stack(app, 'PipelineStack', { env: { account: PIPELINE_ACCOUNT, region: 'eu-west-2' } });
  const source = CodePipelineSource.connection('example/repo', 'main', {
    connectionArn: `arn:aws:codeconnections:eu-west-2:${PIPELINE_ACCOUNT}:connection/00000000-0000-0000-0000-000000000000`,
  });
  const synth = new ShellStep('Synth', { input: source, commands: ['npx cdk synth'] });
  const pipeline = new CodePipeline(stack, 'Pipeline', {
    synth,
    crossAccountKeys: true,
    enableKeyRotation: true,
    useChangeSets: false,
    // The pipeline's own CodeBuild defaults (one kept log group), as PipelineStack has them.
    codeBuildDefaults: pipelineCodeBuildDefaults(stack, { logRetentionDays: 365 }),
  });
  const key = new kms.Key(stack, 'NotificationsKey', { enableKeyRotation: true });
  restrictKmsGrantsToAwsServices(key);
  const topic = new sns.Topic(stack, 'ApprovalTopic', { masterKey: key, enforceSSL: true });
  const stage = new FakePlatformStage(stack, 'Prod', { name: 'prod', account: STAGE_ACCOUNT, region: 'eu-west-2' });
  const review = ChangeReview.of(stack);
  const platformStage = stage as unknown as DeliveredStage;
  const step = review.stepFor(platformStage, {
    policy: { allowReplace: [], failOnDrift: true },
    assembly: synth,
    topic,
    commitId: source.sourceAttribute('CommitId'),
    pipelineStage: 'Prod',
  });
  const approval = new ManualApprovalStep('ApproveToProd', { reviewUrl: review.reportUrl(platformStage) });
  pipeline.addStage(stage, { pre: reviewBeforeApproval(step, approval) });
  pipeline.buildPipeline();
  review.acknowledgePipelineGrants(pipeline);
  const notifier = new ExecutionNotifier(stack, 'ExecutionNotifier', {
    pipeline: pipeline.pipeline,
    topic,
    failureDetails: review.reports,
  });
  applyPipelineCompliance(pipeline);
  return { stack, pipeline, review, notifier, topic };
}
