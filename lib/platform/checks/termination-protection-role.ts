import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/** A stack of the stage, by name and region. */
export interface ProtectedStack {
  readonly stackName: string;
  readonly region: string;
}

/** Props of {@link TerminationProtectionRole}. */
export interface TerminationProtectionRoleProps {
  /** Physical role name; the pipeline's termination protection function assumes it by name. */
  readonly roleName: string;
  /** Account that hosts the pipeline. */
  readonly pipelineAccount: string;
  /** Name of the role of the pipeline's termination protection function, the only principal trusted. */
  readonly trustedRoleName: string;
  /** The stage's stacks; the role may protect these and no other. */
  readonly stacks: readonly ProtectedStack[];
}

/**
 * The role in a stage account through which the pipeline turns on termination protection after each
 * deploy (CDK Pipelines' deploy actions do not, aws/aws-cdk#17871). It may only call
 * `cloudformation:UpdateTerminationProtection` and `DescribeStacks` on the stage's own stacks, and
 * trusts only the termination protection function's role of the pipeline account.
 */
export class TerminationProtectionRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TerminationProtectionRoleProps) {
    super(scope, id);
    if (props.stacks.length === 0)
      throw new Error(`${id}: stacks is empty; name at least one stack of the stage to protect.`);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: "Lets the delivery pipeline turn on termination protection of this stage's stacks, and nothing else",
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount).withConditions({
        ArnEquals: {
          'aws:PrincipalArn': `arn:${stack.partition}:iam::${props.pipelineAccount}:role/${props.trustedRoleName}`,
        },
      }),
    });
    // Stack ARNs end in a generated id, so each stack is matched by name with a trailing wildcard.
    const arns = props.stacks.map(
      (s) => `arn:${stack.partition}:cloudformation:${s.region}:${stack.account}:stack/${s.stackName}/*`,
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ProtectStageStacks',
        actions: ['cloudformation:UpdateTerminationProtection', 'cloudformation:DescribeStacks'],
        resources: arns,
      }),
    );
    // cdk-nag names a finding by the resource as written, with unresolved tokens shown as <AWS::...>.
    const shownPartition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const shownAccount = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledge(this.role, [
      ...props.stacks.map((s) => ({
        id: `AwsSolutions-IAM5[Resource::arn:${shownPartition}:cloudformation:${s.region}:${shownAccount}:stack/${s.stackName}/*]`,
        reason: 'One stack of this stage by name; the trailing wildcard is the stack id CloudFormation generates.',
      })),
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'The role has one policy of its own, scoped to that role alone; a managed policy would be shareable and no narrower.',
      },
    ]);
  }
}
