import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props of {@link ValidationRole}. */
export interface ValidationRoleProps {
  /** Physical role name; the pipeline's check functions assume it by name. */
  readonly roleName: string;
  /** Account that hosts the pipeline. Only its check function roles may assume this role. */
  readonly pipelineAccount: string;
  /** Names of the check function roles in the pipeline account. */
  readonly trustedRoleNames: readonly string[];
}

/**
 * Read-only role the pipeline's post-deploy checks assume in the stage account.
 * It trusts only the named check function roles of the pipeline account.
 */
export class ValidationRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ValidationRoleProps) {
    super(scope, id);
    const trusted = props.trustedRoleNames.map((name) => `arn:aws:iam::${props.pipelineAccount}:role/${name}`);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Read-only role assumed by the delivery pipeline post-deploy checks',
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount).withConditions({
        ArnEquals: { 'aws:PrincipalArn': trusted },
      }),
      maxSessionDuration: undefined,
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadStageStacks',
      actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
      resources: [Stack.of(this).formatArn({ service: 'cloudformation', resource: 'stack', resourceName: '*' })],
    }));
  }
}
