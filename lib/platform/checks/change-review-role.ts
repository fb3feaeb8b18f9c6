import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/** Props of {@link ChangeReviewRole}. */
export interface ChangeReviewRoleProps {
  /** Physical role name; the pipeline's change review step assumes it by name (`changeReviewRoleName(stage)`). */
  readonly roleName: string;
  /** Account that hosts the pipeline. */
  readonly pipelineAccount: string;
  /** Name of the change review step's role in the pipeline account: the only principal trusted. */
  readonly trustedRoleName: string;
}

/** CloudFormation read calls the change review makes (templates, stack status, drift). */
export const CHANGE_REVIEW_STACK_ACTIONS: readonly string[] = [
  'cloudformation:DescribeStacks',
  'cloudformation:GetTemplate',
  'cloudformation:DescribeStackResources',
  'cloudformation:DetectStackDrift',
  'cloudformation:DetectStackResourceDrift',
  'cloudformation:DescribeStackResourceDrifts',
];

/**
 * Role in a stage account that the pipeline's change review assumes: it reads the stage's
 * CloudFormation stacks (templates, status) and runs drift detection, and changes nothing.
 *
 * Drift detection reads each resource's live configuration with the caller's credentials, so the
 * role also carries the AWS managed SecurityAudit policy: configuration metadata only, no data
 * (no s3:GetObject, dynamodb:GetItem/Query/Scan, secretsmanager:GetSecretValue, kms:Decrypt).
 * A resource type it cannot read makes drift detection fail, and with it the review (never a pass).
 */
export class ChangeReviewRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ChangeReviewRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Read-only CloudFormation and drift detection role assumed by the delivery pipeline change review',
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount).withConditions({
        ArnEquals: {
          'aws:PrincipalArn': `arn:${stack.partition}:iam::${props.pipelineAccount}:role/${props.trustedRoleName}`,
        },
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit')],
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadStageStacks',
        actions: [...CHANGE_REVIEW_STACK_ACTIONS],
        resources: [`arn:${stack.partition}:cloudformation:*:${stack.account}:stack/*`],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DriftStatusAndStackList',
        actions: ['cloudformation:DescribeStackDriftDetectionStatus', 'cloudformation:ListStacks'],
        resources: ['*'],
      }),
    );
    // cdk-nag names a finding by the resource as written, with unresolved tokens shown as <AWS::...>.
    const shownPartition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const shownAccount = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledge(this.role, [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/SecurityAudit]',
        reason:
          "Drift detection reads every resource of the stacks with the caller's credentials; SecurityAudit reads configuration metadata only (no object, item or secret values) and follows new resource types.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudformation:DescribeStackDriftDetectionStatus and ListStacks take no resource ARN; both are read-only.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${shownPartition}:cloudformation:*:${shownAccount}:stack/*]`,
        reason:
          'Read-only calls on the stacks of the stage account, which holds only this stage, in every region it uses (primary, us-east-1 edge, DR).',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'The CloudFormation read policy belongs to this role alone; a managed policy would be shareable and no narrower.',
      },
    ]);
  }
}
