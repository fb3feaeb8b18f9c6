import type { CfnElement } from 'aws-cdk-lib';
import { Duration, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { CodePipeline, IFileSetProducer, Step } from 'aws-cdk-lib/pipelines';
import { CodeBuildStep } from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import * as path from 'path';
import type { ChangeReviewParameters } from '../../../contracts/change-review-parameters';
import type { ChangeReviewPolicy } from '../../../contracts/change-review-policy';
import { reportKey, s3ConsoleUrl } from '../../../contracts/report-location';
import { CHANGE_REVIEW_ENV } from '../../../contracts/env-names';
import { acknowledge } from '../../compliance/acknowledge';
import type { DeliveredStage } from '../delivered-stage';
import { breakGlassInUse } from '../../config/production-guards';
import { bootstrapQualifier, bootstrapRoleArns, lookupRoleArns, partitionOf } from '../bootstrap-roles';
import { stageStackTags, type StageStackIdentity } from '../../../contracts/stage-stacks';
import type { ChangeReviewReportsProps } from './change-review-reports';
import { ChangeReviewReports } from './change-review-reports';
import { lambdaEntry } from '../../lambda-entry';

/** The repository root, which the Build action's commands run in. */
const REPO_ROOT = path.join(__dirname, '..', '..', '..');

/** Id of the step, and so the CodePipeline action name. */
export const CHANGE_REVIEW_STEP_ID = 'ChangeReview';
/** Folder of the cloud assembly (cdk.out) that holds the bundled review script and the diff engine's resource database. */
export const CHANGE_REVIEW_BUNDLE_DIR = 'change-review';

/**
 * Commands the synth step runs after `cdk synth` (buildspec/synth.yml lists them; a test checks): bundle the review script into the cloud assembly, with the CloudFormation
 * resource database that @aws-cdk/cloudformation-diff loads from `<script dir>/../db.json.gz`.
 * The step then needs no `npm ci`: it runs `node` on the bundle.
 *
 * @param outDir the cloud assembly directory.
 */
export function changeReviewBundleCommands(outDir = 'cdk.out'): string[] {
  const dir = `${outDir}/${CHANGE_REVIEW_BUNDLE_DIR}`;
  return [
    `npx esbuild ${path.relative(REPO_ROOT, lambdaEntry('pipeline', 'change-review')).split(path.sep).join('/')} --bundle --platform=node --target=node22 --log-level=warning --outfile=${dir}/lib/review.js`,
    `cp node_modules/@aws-cdk/aws-service-spec/db.json.gz ${dir}/db.json.gz`,
  ];
}

/** {@link changeReviewBundleCommands} for `cdk.out`. */
export const CHANGE_REVIEW_BUNDLE_COMMANDS: readonly string[] = changeReviewBundleCommands();

/** Options of {@link changeReviewParametersFor}. */
export interface ChangeReviewParametersOptions {
  /**
   * The pipeline account, which assumes the stage's CDK bootstrap lookup role of every region the stage
   * uses (each region's `cdk-<qualifier>-lookup-role-<account>-<region>`).
   * @default no role: the review runs with the caller's credentials (the operator's CLI)
   */
  readonly pipelineAccount?: string;
}

/**
 * How the stage's deployed stacks are recognised (name prefix and stack tags) and where they may be (every region
 * of the stage), for the change review and `npm run cleanup`.
 * @throws Error naming a stack of the stage that lacks the prefix or the tags: it could not be told from another
 *   app's, so a stack removed from the stage later would go unnoticed.
 */
export function stageStackIdentity(stage: DeliveredStage): StageStackIdentity {
  const namePrefix = `${stage.stageName}-`;
  const tags = stageStackTags(stage.config.name);
  for (const stack of stage.stacks) {
    const own = stack.tags.tagValues();
    const missing = Object.entries(tags).filter(([k, v]) => own[k] !== v);
    if (!stack.stackName.startsWith(namePrefix) || missing.length)
      throw new Error(
        `${stack.node.path}: the change review and npm run cleanup recognise the stage's stacks by the name prefix ${namePrefix} and the stack tags ${JSON.stringify(tags)}, but this stack is named ${stack.stackName} with tags ${JSON.stringify(own)}; give every stack of the stage both (StackProps.tags)`,
      );
  }
  return { namePrefix, tags, regions: [...stage.regions] };
}

/**
 * The CDK bootstrap's lookup role of every region the review reads: those the stage's stacks live in (as each
 * stack's synthesizer names it) and the other regions of the stage, searched for stacks it no longer contains.
 */
export function stageLookupRoleArns(stage: DeliveredStage): Record<string, string> {
  const roles = lookupRoleArns(stage.stacks);
  for (const region of stage.regions)
    roles[region] ??= bootstrapRoleArns(
      { account: stage.config.account, region, partition: partitionOf(region) },
      bootstrapQualifier(stage),
    ).lookup;
  return roles;
}

/**
 * The review's parameters for `stage`: the same Stage class and config the pipeline deploys.
 *
 * The pipeline's review reads the stage through the CDK bootstrap's lookup role (ReadOnlyAccess, kms:Decrypt
 * denied), which `cdk bootstrap --trust <pipeline account>` creates in every bootstrapped region before any
 * stage exists, and which `cdk diff` itself uses: nothing the pipeline deploys later is needed to review.
 */
export function changeReviewParametersFor(
  stage: DeliveredStage,
  policy: ChangeReviewPolicy,
  options: ChangeReviewParametersOptions = {},
): ChangeReviewParameters {
  const { config } = stage;
  const { stackRegions } = stage;
  const breakGlass = breakGlassInUse(config);
  return {
    stage: config.name,
    account: config.account,
    region: config.region,
    stackNames: stage.stackNames,
    ...(Object.keys(stackRegions).length ? { stackRegions } : {}),
    stageStacks: stageStackIdentity(stage),
    ...(options.pipelineAccount
      ? { roleArns: stageLookupRoleArns(stage), pipelineAccount: options.pipelineAccount }
      : {}),
    policy,
    ...(breakGlass.length ? { breakGlass } : {}),
  };
}

/** Options of one stage's change review step. */
export interface ChangeReviewStepOptions {
  /** The stage's data-loss exceptions and drift rule (from its `changeReview.*` config keys). */
  readonly policy: ChangeReviewPolicy;
  /** The synth step: its primary output is this execution's cloud assembly, with the bundled script in it. */
  readonly assembly: IFileSetProducer;
  /** The approval's notification topic: the summary goes there before the approval starts. */
  readonly topic: sns.ITopic;
  /**
   * The source commit, as a pipeline variable (`source.sourceAttribute('CommitId')`).
   * @default the report names no commit
   */
  readonly commitId?: string;
  /** Name of the pipeline stage the step runs in (`ApproveProd`): the execution notifier finds the step's failure details under it. */
  readonly pipelineStage: string;
}

/**
 * The change review of the pipeline stack: one reports bucket and one CodeBuild role shared by every
 * stage's review step. The role may assume exactly the stages' CDK bootstrap lookup roles it reads through.
 */
export class ChangeReview extends Construct {
  /** Returns the stack's change review, creating it on first use. */
  static of(stack: Stack, props?: ChangeReviewReportsProps): ChangeReview {
    return (
      (stack.node.tryFindChild('ChangeReview') as ChangeReview | undefined) ??
      new ChangeReview(stack, 'ChangeReview', props)
    );
  }

  readonly reports: ChangeReviewReports;
  /** Role of the review's CodeBuild project. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props?: ChangeReviewReportsProps) {
    super(scope, id);
    this.reports = new ChangeReviewReports(this, 'Reports', props);
    this.role = new iam.Role(this, 'Role', {
      description: "Runs the pipeline change review; may assume the stages' CDK bootstrap lookup roles (read-only)",
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    });
    this.reports.grantWrite(this.role);
    const bucketId = Stack.of(this).getLogicalId(this.reports.bucket.node.defaultChild as CfnElement);
    acknowledge(this.role, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The policy belongs to the change review role alone (assume the stages' lookup roles, write reports, publish the summary); a managed policy would be shareable and no narrower.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/change-review/*]`,
        reason: 'Reports of any stage and execution; their keys carry the execution id, known only at run time.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/failure-details/*]`,
        reason: 'Failure details of any execution; their keys carry the execution id, known only at run time.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "CDK grants on the reports key and the approval topic's key only, to write encrypted reports and publish the summary.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason:
          'CDK grant on the pipeline artifact key only (CDK Pipelines gives every CodeBuild step read/write on its artifacts).',
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*'].map((a) => ({
        id: `AwsSolutions-IAM5[Action::${a}]`,
        reason: `CDK Pipelines grant on the pipeline's own artifact bucket, to read this execution's cloud assembly; ${a} is limited to that bucket.`,
      })),
    ]);
  }

  /**
   * Acknowledges the grants CDK Pipelines gives the review's CodeBuild projects when it builds the
   * pipeline (artifact objects, the projects' own log groups and report groups). Call after `buildPipeline()`.
   */
  acknowledgePipelineGrants(pipeline: CodePipeline): void {
    const stack = Stack.of(this);
    const bucket = pipeline.pipeline.artifactBucket.node.defaultChild as CfnElement;
    const findings = [
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket)}.Arn>/*]`,
        reason:
          'Objects of the pipeline artifact bucket; artifact keys are generated per execution, so they cannot be listed in advance.',
      },
    ];
    for (const project of pipeline.node
      .findAll()
      .filter((c): c is codebuild.Project => c instanceof codebuild.Project && c.role === this.role)) {
      const ref = stack.getLogicalId(project.node.defaultChild as CfnElement);
      findings.push(
        {
          id: `AwsSolutions-IAM5[Resource::arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/codebuild/<${ref}>:*]`,
          reason: "Log streams of this CodeBuild project's own log group; stream names are generated per build.",
        },
        {
          id: `AwsSolutions-IAM5[Resource::arn:aws:codebuild:${stack.region}:${stack.account}:report-group/<${ref}>-*]`,
          reason: 'Test report groups of this CodeBuild project only (name prefixed with the project name).',
        },
      );
    }
    acknowledge(this.role, findings);
  }

  /** Console link to the full report of `stage` for the running execution: the approval's review URL. */
  reportUrl(stage: DeliveredStage): string {
    const region = Stack.of(this).region;
    return s3ConsoleUrl(
      this.reports.bucket.bucketName,
      reportKey(stage.config.name, '#{codepipeline.PipelineExecutionId}'),
      region,
    );
  }

  /** The review step of `stage`; put it in the stage's `pre` before the approval (see {@link reviewBeforeApproval}). */
  stepFor(stage: DeliveredStage, options: ChangeReviewStepOptions): CodeBuildStep {
    const params = changeReviewParametersFor(stage, options.policy, { pipelineAccount: Stack.of(this).account });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: Object.values(params.roleArns ?? {}) }),
    );
    options.topic.grantPublish(this.role);
    return new CodeBuildStep(CHANGE_REVIEW_STEP_ID, {
      input: options.assembly,
      commands: [`node ${CHANGE_REVIEW_BUNDLE_DIR}/lib/review.js`],
      role: this.role,
      timeout: Duration.minutes(20),
      buildEnvironment: {
        buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: codebuild.ComputeType.SMALL,
      },
      partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: 22 } } } }),
      env: {
        [CHANGE_REVIEW_ENV.parameters]: JSON.stringify(params),
        [CHANGE_REVIEW_ENV.reportBucket]: this.reports.bucket.bucketName,
        [CHANGE_REVIEW_ENV.topicArn]: options.topic.topicArn,
        [CHANGE_REVIEW_ENV.pipelineStage]: options.pipelineStage,
        [CHANGE_REVIEW_ENV.actionName]: CHANGE_REVIEW_STEP_ID,
        [CHANGE_REVIEW_ENV.executionId]: '#{codepipeline.PipelineExecutionId}',
        ...(options.commitId ? { [CHANGE_REVIEW_ENV.commitId]: options.commitId } : {}),
      },
    });
  }
}

/** The stage's change review step (creates the shared bucket and role on first use). */
export function createChangeReviewStep(
  scope: Stack,
  stage: DeliveredStage,
  options: ChangeReviewStepOptions,
): CodeBuildStep {
  return ChangeReview.of(scope).stepFor(stage, options);
}

/** `pre` steps that run the review first and start the approval only when it passed. */
export function reviewBeforeApproval(review: Step, approval: Step): Step[] {
  approval.addStepDependency(review);
  return [review, approval];
}
