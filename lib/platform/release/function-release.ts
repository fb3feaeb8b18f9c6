import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Props of {@link FunctionRelease}. */
export interface FunctionReleaseProps {
  /** The stage's CodeDeploy application. */
  readonly application: codedeploy.ILambdaApplication;
  /** Role CodeDeploy assumes to shift the alias (shared by the stage's deployment groups). */
  readonly role: iam.IRole;
  /** Topic the release alarms notify (a rollback is worth a look, not a page). */
  readonly alarmTopic: sns.ITopic;
  /** The function's `live` alias, shifted from version to version. */
  readonly alias: lambda.Alias;
  /** How traffic moves to the new version. */
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  /** Errors through the alias in one minute that fire the error alarm. */
  readonly maxErrors: number;
  /** p99 duration through the alias over one minute, in milliseconds, that fires the latency alarm. */
  readonly latencyP99Ms: number;
  /** Prefix of the alarm names (`uk-home-improvement-dev-ProjectsApi`). */
  readonly alarmNamePrefix: string;
  /**
   * Function CodeDeploy runs before any traffic moves; it must report Succeeded or the deployment stops.
   * @default - no pre-traffic hook
   */
  readonly preTrafficHook?: lambda.IFunction;
}

/**
 * Releases one function through CodeDeploy: a deployment group that shifts the `live` alias by the
 * stage's deployment config and rolls it back when the deployment fails, is stopped, or when the
 * function's error or p99 latency alarm (one-minute periods, so a canary interval sees several)
 * fires while it runs. A rollback fails the alias update, so the CloudFormation deploy of the stage fails too.
 */
export class FunctionRelease extends Construct {
  /** The deployment group. */
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  /** The alarms CodeDeploy watches: errors and p99 latency through the alias. */
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: FunctionReleaseProps) {
    super(scope, id);
    for (const [key, value] of [
      ['maxErrors', props.maxErrors],
      ['latencyP99Ms', props.latencyP99Ms],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`${id}: ${key} must be a whole number >= 1, got ${value}`);
    }
    const period = Duration.minutes(1);
    const common = {
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    const errors = new cloudwatch.Alarm(this, 'Errors', {
      ...common,
      alarmName: `${props.alarmNamePrefix}-release-errors`,
      alarmDescription: `Errors through the ${props.alias.aliasName} alias during a release; CodeDeploy rolls the alias back.`,
      metric: props.alias.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
      threshold: props.maxErrors,
    });
    const latency = new cloudwatch.Alarm(this, 'Latency', {
      ...common,
      alarmName: `${props.alarmNamePrefix}-release-latency`,
      alarmDescription: `p99 duration through the ${props.alias.aliasName} alias during a release; CodeDeploy rolls the alias back.`,
      metric: props.alias.metricDuration({ period, statistic: cloudwatch.Stats.p(99) }),
      threshold: props.latencyP99Ms,
    });
    this.alarms = [errors, latency];
    for (const alarm of this.alarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'DeploymentGroup', {
      application: props.application,
      role: props.role,
      alias: props.alias,
      deploymentConfig: props.deploymentConfig,
      alarms: [errors, latency],
      preHook: props.preTrafficHook,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    // The alias's update policy names the hook, which gives CloudFormation no order: DependsOn makes the hook
    // (and the new target version its environment names) update before the alias update starts CodeDeploy,
    // which then invokes the new hook, not the previous one.
    if (props.preTrafficHook) props.alias.node.addDependency(props.preTrafficHook);
  }
}
