import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../../contracts/env-names';
import { RESTORE_TEST_TABLE_PREFIX } from '../../../contracts/resource-names';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../../compliance/acknowledge';
import { bundledFunctionProps } from '../../bundling/bundled-function-props';

/** Props of {@link RestoreTesting}. */
export interface RestoreTestingProps {
  /** Plan name: letters, digits and underscores only (AWS Backup's rule for restore testing plans). */
  readonly planName: string;
  /** Vault whose recovery points are restored. */
  readonly vault: backup.IBackupVault;
  /** Tables whose latest recovery point is restored and validated. */
  readonly tables: readonly dynamodb.ITable[];
  /** Role AWS Backup assumes to restore (needs restore permissions and the keys involved). */
  readonly restoreRole: iam.IRole;
  /** Keys the validation function needs to read the restored tables (the tables' key). */
  readonly readKeys: readonly kms.IKey[];
  /** Stage name, put on every log line of the validation function. */
  readonly stageName: string;
  /** Retention of the validation function's logs, in days. */
  readonly logRetentionDays: number;
  /**
   * Keep the validation function's log group when its stack is deleted or it is replaced (the stage's `retainData`).
   * @default true: the log group outlives its stack
   */
  readonly retainLogs?: boolean;
  /**
   * How far the restored table's item count may differ from the source's, in percent of the source's.
   * @default 10 - the source keeps changing after the recovery point, and its reported count is up to 6 hours old
   */
  readonly itemCountTolerancePercent?: number;
  /**
   * When the test runs (AWS Backup cron, UTC).
   * @default - monthly, 05:00 UTC on the 1st
   */
  readonly scheduleExpression?: string;
}

/**
 * The monthly automated DR test: an AWS Backup restore testing plan that restores the
 * latest recovery point of each table, and a function, started by the restore job's completion
 * event, that checks the restored table and reports with PutRestoreValidationResult.
 * AWS Backup deletes the restored tables after the validation window.
 */
export class RestoreTesting extends Construct {
  /** The restore testing plan. */
  readonly plan: backup.CfnRestoreTestingPlan;
  /** The validation function. */
  readonly validationFunction: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_]{1,50}$/.test(props.planName)) {
      throw new Error(`${id}: planName "${props.planName}" is not valid: use 1 to 50 letters, digits or underscores.`);
    }
    if (props.tables.length === 0) throw new Error(`${id}: tables is empty; pass the tables to restore.`);
    const tolerance = props.itemCountTolerancePercent ?? 10;
    if (tolerance < 0 || tolerance > 100)
      throw new Error(`${id}: itemCountTolerancePercent ${tolerance} is not valid: expected 0 to 100.`);

    this.plan = new backup.CfnRestoreTestingPlan(this, 'Plan', {
      restoreTestingPlanName: props.planName,
      scheduleExpression: props.scheduleExpression ?? 'cron(0 5 1 * ? *)',
      scheduleExpressionTimezone: 'Etc/UTC',
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vault.backupVaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });
    const selection = new backup.CfnRestoreTestingSelection(this, 'Tables', {
      restoreTestingPlanName: props.planName,
      restoreTestingSelectionName: 'DynamoDbTables',
      protectedResourceType: 'DynamoDB',
      protectedResourceArns: props.tables.map((t) => t.tableArn),
      iamRoleArn: props.restoreRole.roleArn,
      validationWindowHours: 4,
    });
    selection.node.addDependency(this.plan);

    const logGroup = new logs.LogGroup(this, 'ValidationLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retainLogs === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.validationFunction = new nodejs.NodejsFunction(this, 'Validation', {
      ...bundledFunctionProps('platform', 'restore-validation', { sourceMap: false }),
      memorySize: 256,
      timeout: Duration.minutes(10),
      logGroup,
      description: 'Validates AWS Backup restore tests of the DynamoDB tables and reports the result',
      environment: {
        [ENV_NAMES.restoreValidationStage]: props.stageName,
        [ENV_NAMES.itemCountTolerancePercent]: String(tolerance),
      },
    });
    const fnRole = this.validationFunction.role!;
    fnRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndReportRestoreJobs',
        actions: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'],
        resources: ['*'],
      }),
    );
    fnRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeSourceTables',
        actions: ['dynamodb:DescribeTable'],
        resources: props.tables.map((t) => t.tableArn),
      }),
    );
    // A restore test's table is named by AWS Backup: `awsbackup-restore-test-` and a random suffix
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html, DynamoDB
    // targetTableName), so the role reaches only tables of that name, never the stage's own tables. Scan is
    // allowed only with Select = COUNT (`dynamodb:Select`,
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html): the
    // function counts items and can read none.
    const stack = Stack.of(this);
    // cdk-nag names a finding by the resource as written, with unresolved tokens shown as <AWS::...>.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const shownRestoredTables = `arn:${shown(stack.partition, 'Partition')}:dynamodb:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}:table/${RESTORE_TEST_TABLE_PREFIX}*`;
    const restoredTables = stack.formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: `${RESTORE_TEST_TABLE_PREFIX}*`,
    });
    fnRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeRestoredTables',
        actions: ['dynamodb:DescribeTable'],
        resources: [restoredTables],
      }),
    );
    fnRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CountRestoredTables',
        actions: ['dynamodb:Scan'],
        resources: [restoredTables],
        conditions: { StringEquals: { 'dynamodb:Select': 'COUNT' } },
      }),
    );
    acknowledge(fnRole, [
      {
        id: `AwsSolutions-IAM5[Resource::${shownRestoredTables}]`,
        reason: `AWS Backup names a restore test's table ${RESTORE_TEST_TABLE_PREFIX} and a random suffix, so the role is limited to that prefix; DescribeTable, and Scan only with dynamodb:Select = COUNT.`,
      },
    ]);
    acknowledge(fnRole, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'backup:DescribeRestoreJob and backup:PutRestoreValidationResult support no resource-level permissions.',
      },
    ]);
    acknowledge(fnRole, [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'Only lets the function write its own logs.',
      },
    ]);
    acknowledge(this.validationFunction, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'The platform pins every function to Node.js 22 (lambda.Runtime.NODEJS_22_X); runtime upgrades are done across all functions at once.',
      },
    ]);
    for (const key of props.readKeys) key.grantDecrypt(this.validationFunction);
    acknowledge(this.validationFunction, [
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          "Runs once per restore job of the monthly restore test (four tables); reserved concurrency would only take from the account's unreserved pool.",
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'A failed validation is retried twice by the EventBridge target and then shows in AWS Backup as a restore test without a validation result, which the DR runbook checks.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'The platform has no VPC; the function calls only the AWS Backup and DynamoDB APIs over TLS with IAM authentication.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::lambda_inside_vpc_check`,
        reason: 'The platform has no VPC; the function calls only AWS APIs (see NIST.800.53.R5-LambdaInsideVPC).',
      },
    ]);
    acknowledge(fnRole, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The policy belongs to this function's role alone and is scoped to the tables and keys it reads; a managed policy would be shareable and no narrower.",
      },
    ]);
    acknowledge(logGroup, [
      {
        id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        reason:
          'The logs hold restore job ids, table names and item counts, no personal data; CloudWatch Logs encrypts them at rest with AWS-owned keys.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::cloudwatch_log_group_encrypted_check`,
        reason: 'No personal data in these logs (job ids, table names, counts); encrypted at rest by CloudWatch Logs.',
      },
      ...(props.logRetentionDays < 365
        ? [
            {
              id: `${CFN_GUARD_NAMESPACE}::cloudwatch_log_group_retention_period_check`,
              reason:
                "This stage keeps logs for the stage's configured log retention (<stage>.logRetentionDays); the restore test result itself is kept by AWS Backup.",
            },
          ]
        : []),
    ]);

    new events.Rule(this, 'RestoreCompleted', {
      description: 'A DynamoDB restore job completed: validate it if a restore testing plan started it',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        detail: { status: ['COMPLETED'], resourceType: ['DynamoDB'] },
      },
      targets: [new targets.LambdaFunction(this.validationFunction, { retryAttempts: 2 })],
    });
  }
}
