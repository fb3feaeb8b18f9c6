import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { OUTPUTS } from '../../contracts/output-names';
import { REPORT_PREFIX } from '../../contracts/report-location';
import { APPROVERS_POLICY_NAME } from '../../contracts/resource-names';
import { acknowledge } from '../compliance/acknowledge';

/** Props of {@link ApproversPolicy}. */
export interface ApproversPolicyProps {
  /** The built pipeline: its approval actions are the only ones the policy may answer. */
  readonly pipeline: codepipeline.Pipeline;
  /** Bucket and key of the change reports that the approval's review link opens; absent when no stage has a review. */
  readonly reports?: { readonly bucket: s3.IBucket; readonly key: kms.IKey };
  /**
   * Name of the managed policy.
   * @default APPROVERS_POLICY_NAME, which a permission set can reference by name
   */
  readonly managedPolicyName?: string;
}

/**
 * The customer managed policy of the people who approve deploys, in the pipeline account: answer the
 * pipeline's manual approval actions and nothing else of it (PutApprovalResult on each approval action's
 * ARN, as in https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-iam-permissions.html),
 * see the pipeline and its executions in the console, and open the change report of the review link
 * (read its objects, decrypt through S3 with its key). Attach it to the approvers' group or IAM Identity
 * Center permission set; its ARN is the stack output `ApproversPolicyArn`.
 *
 * A policy rather than a role: people sign in through the organisation's identity source, which this
 * stack does not know; a role would need a trust policy naming them.
 */
export class ApproversPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;
  /** ARNs of the approval actions the policy answers, `<pipeline ARN>/<stage>/<action>`. */
  readonly approvalActionArns: readonly string[];

  constructor(scope: Construct, id: string, props: ApproversPolicyProps) {
    super(scope, id);
    const { pipeline } = props;
    this.approvalActionArns = pipeline.stages.flatMap((stage) =>
      stage.actions
        .filter((a) => a.actionProperties.category === codepipeline.ActionCategory.APPROVAL)
        .map((a) => `${pipeline.pipelineArn}/${stage.stageName}/${a.actionProperties.actionName}`),
    );
    const statements = [
      new iam.PolicyStatement({
        sid: 'SeeThePipeline',
        actions: [
          'codepipeline:GetPipeline',
          'codepipeline:GetPipelineState',
          'codepipeline:GetPipelineExecution',
          'codepipeline:ListPipelineExecutions',
          'codepipeline:ListActionExecutions',
          'codepipeline:ListRuleExecutions',
        ],
        resources: [pipeline.pipelineArn],
      }),
      // The console's pipeline list; the action has no resource of its own.
      new iam.PolicyStatement({ sid: 'ListPipelines', actions: ['codepipeline:ListPipelines'], resources: ['*'] }),
    ];
    if (this.approvalActionArns.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'AnswerApprovals',
          actions: ['codepipeline:PutApprovalResult'],
          resources: [...this.approvalActionArns],
        }),
      );
    }
    if (props.reports) {
      const { bucket, key } = props.reports;
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadChangeReports',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [bucket.arnForObjects(`${REPORT_PREFIX}/*`)],
        }),
        new iam.PolicyStatement({
          sid: 'ListChangeReports',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${REPORT_PREFIX}/*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'DecryptChangeReports',
          actions: ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.managedPolicyName ?? APPROVERS_POLICY_NAME,
      description: 'Approve or reject the delivery pipeline manual approvals and read the change reports',
      statements,
    });
    acknowledge(this.policy, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'codepipeline:ListPipelines only, which has no resource type: the console lists the pipelines before the approver opens this one.',
      },
      ...(props.reports
        ? [
            {
              id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.reports.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${REPORT_PREFIX}/*]`,
              reason:
                'The change reports, one object per stage and execution under change-review/; the review link opens the one of the running execution.',
            },
          ]
        : []),
    ]);
    new CfnOutput(Stack.of(this), OUTPUTS.approversPolicyArn, {
      value: this.policy.managedPolicyArn,
      description: 'Attach to the approvers group or permission set: answer the approvals, read the change reports',
    });
  }
}
