import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CHECK_ROLE_NAMES } from '../../../contracts/resource-names';
import { acknowledge } from '../../compliance/acknowledge';

/** What the pipeline runs against a stage after its deploy, which decides whose roles the check role trusts. */
export interface StageChecks {
  /** The stage has a backup policy, so the pipeline runs its DR check. */
  readonly dr: boolean;
  /** The stage has a bake time, so the pipeline runs its bake. */
  readonly bake: boolean;
}

/**
 * Names of the pipeline's check function roles that run against a stage: the health check always, the DR
 * check and the bake only where the stage has them, so that a role which never runs against the stage
 * cannot assume its check role.
 */
export function checkRoleNamesFor(checks: StageChecks): string[] {
  return [
    CHECK_ROLE_NAMES.health,
    ...(checks.dr ? [CHECK_ROLE_NAMES.dr] : []),
    ...(checks.bake ? [CHECK_ROLE_NAMES.bake] : []),
  ];
}

/** Props of {@link CheckRole}. */
export interface CheckRoleProps {
  /** Physical role name; the pipeline's check functions assume it by name. */
  readonly roleName: string;
  /** Account that hosts the pipeline. Only the named roles of that account may assume this role. */
  readonly pipelineAccount: string;
  /** Names of the roles in the pipeline account that may assume this role: the check and bake functions'. */
  readonly trustedRoleNames: readonly string[];
  /**
   * The isolated (logically air-gapped) vault whose recovery points the DR check lists, by region and name.
   * @default no isolated vault: the role may list no vault's recovery points
   */
  readonly isolatedVault?: { readonly region: string; readonly vaultName: string };
}

/**
 * The check role: the read-only role the pipeline's post-deploy checks assume in the stage account.
 * It trusts only the named check function roles of the pipeline account, and allows exactly
 * the read calls the stage health, DR and bake functions make (lambda/pipeline/private), in any region of the
 * stage account (stacks live in the primary region, us-east-1 and the DR region).
 */
export class CheckRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CheckRoleProps) {
    super(scope, id);
    if (props.trustedRoleNames.length === 0)
      throw new Error(`${id}: trustedRoleNames is empty; name at least one pipeline check role.`);
    const stack = Stack.of(this);
    const trusted = props.trustedRoleNames.map(
      (name) => `arn:${stack.partition}:iam::${props.pipelineAccount}:role/${name}`,
    );
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Read-only role assumed by the delivery pipeline post-deploy checks and its bake',
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount).withConditions({
        ArnEquals: { 'aws:PrincipalArn': trusted },
      }),
    });
    // cdk-nag names a finding by the resource as written, with unresolved tokens shown as <AWS::...>.
    const shownPartition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const shownAccount = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const scoped: string[] = [];
    const inAccount = (service: string, resource: string) => {
      scoped.push(`arn:${shownPartition}:${service}:*:${shownAccount}:${resource}`);
      return `arn:${stack.partition}:${service}:*:${stack.account}:${resource}`;
    };
    const allow = (sid: string, actions: string[], resources: string[]) =>
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources }));

    allow('ReadStageStacks', ['cloudformation:DescribeStacks'], [inAccount('cloudformation', 'stack/*')]);
    allow(
      'ReadTables',
      ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups'],
      [inAccount('dynamodb', 'table/*')],
    );
    allow('ReadUserPool', ['cognito-idp:DescribeUserPool'], [inAccount('cognito-idp', 'userpool/*')]);
    allow('ReadStateMachine', ['states:DescribeStateMachine'], [inAccount('states', 'stateMachine:*')]);
    allow('ReadSecretMetadata', ['secretsmanager:DescribeSecret'], [inAccount('secretsmanager', 'secret:*')]);
    // CloudWatch returns composite alarms (the stage-unhealthy alarm) and their history only to a caller
    // whose DescribeAlarms and DescribeAlarmHistory are granted on *, not on alarm ARNs
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
    allow('ReadAlarms', ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], ['*']);
    allow('ReadKeyStateAndRotation', ['kms:DescribeKey', 'kms:GetKeyRotationStatus'], [inAccount('kms', 'key/*')]);
    allow('ReadBucketVersioning', ['s3:GetBucketVersioning'], [`arn:${stack.partition}:s3:::*`]);
    scoped.push(`arn:${shownPartition}:s3:::*`);
    allow(
      'ReadBackup',
      [
        'backup:DescribeBackupVault',
        'backup:GetBackupPlan',
        'backup:ListBackupSelections',
        'backup:GetBackupSelection',
        'backup:ListRecoveryPointsByResource',
        'backup:GetRestoreTestingPlan',
        'backup:ListRestoreJobs',
        'backup:ListCopyJobs',
        'backup:DescribeRegionSettings',
      ],
      ['*'],
    );

    if (props.isolatedVault) {
      // ListRecoveryPointsByBackupVault takes the vault as its resource
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html), so only this vault.
      const { region, vaultName } = props.isolatedVault;
      allow(
        'ListIsolatedVaultRecoveryPoints',
        ['backup:ListRecoveryPointsByBackupVault'],
        [`arn:${stack.partition}:backup:${region}:${stack.account}:backup-vault:${vaultName}`],
      );
    }

    // Through acknowledge(), which adds the plugin prefix the CDK matches findings by.
    acknowledge(this.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Read-only calls: the AWS Backup reads (ListRecoveryPointsByResource, ListRestoreJobs, plan and selection reads) take no resource-level ARN the check knows before reading the plan, and CloudWatch returns composite alarms and their history only when DescribeAlarms and DescribeAlarmHistory are granted on *.',
      },
      ...scoped.map((resource) => ({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'Read-only describe calls scoped to the stage account, which holds only this stage; the checks discover resource names from stack outputs at run time.',
      })),
    ]);
  }
}
