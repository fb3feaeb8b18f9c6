import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** One critical event kind of the trail: the CloudTrail events that make it, and the alarm that reports them. */
export interface TrailAlarmSpec {
  /** Construct id and metric name, PascalCase. */
  readonly id: string;
  /** Last part of the alarm's name, kebab-case. */
  readonly alarmSuffix: string;
  /** What the alarm tells the person on call. */
  readonly description: string;
  /** `eventSource` of the CloudTrail events. */
  readonly eventSource: string;
  /** `eventName`s of the CloudTrail events. */
  readonly eventNames: readonly string[];
  /**
   * `userIdentity.type` the event must carry.
   * @default - any identity
   */
  readonly identityType?: string;
}

/**
 * The trail's critical events (issue 28): the trail stopped, deleted or changed; a backup vault's lock or access
 * policy changed or a vault deleted; a sign-in as the account's root user. The API names are those of the CloudTrail
 * API reference (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Operations.html) and the AWS Backup
 * API reference (https://docs.aws.amazon.com/aws-backup/latest/devguide/logging-using-cloudtrail.html); sign-ins are
 * `ConsoleLogin` events of `signin.amazonaws.com`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
 */
export const TRAIL_CRITICAL_EVENTS: readonly TrailAlarmSpec[] = [
  {
    id: 'TrailChanged',
    alarmSuffix: 'audit-trail-changed',
    description: 'A CloudTrail trail of this account was stopped, deleted or changed (StopLogging, DeleteTrail, ...).',
    eventSource: 'cloudtrail.amazonaws.com',
    eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
  },
  {
    id: 'BackupVaultProtectionChanged',
    alarmSuffix: 'backup-vault-protection-changed',
    description:
      'A backup vault of this account had its Vault Lock or access policy changed or removed, or was deleted.',
    eventSource: 'backup.amazonaws.com',
    eventNames: [
      'PutBackupVaultLockConfiguration',
      'DeleteBackupVaultLockConfiguration',
      'DeleteBackupVault',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVaultAccessPolicy',
    ],
  },
  {
    id: 'RootSignIn',
    alarmSuffix: 'root-sign-in',
    description: "Someone signed in (or tried to) to the console as this account's root user.",
    eventSource: 'signin.amazonaws.com',
    eventNames: ['ConsoleLogin'],
    identityType: 'Root',
  },
];

/** Props of {@link TrailAlarms}. */
export interface TrailAlarmsProps {
  /** The log group the trail delivers to (every region's events of a multi-region trail land in it). */
  readonly logGroup: logs.ILogGroup;
  /** Topic each alarm notifies when it goes into ALARM. */
  readonly topic: sns.ITopic;
  /** Prefix of the alarm names, e.g. `uk-home-improvement-prod`. */
  readonly alarmNamePrefix: string;
  /** Namespace of the metrics the filters publish. */
  readonly metricNamespace: string;
  /**
   * The events to alarm on.
   * @default TRAIL_CRITICAL_EVENTS
   */
  readonly events?: readonly TrailAlarmSpec[];
}

/**
 * A metric filter on the trail's log group and a CloudWatch alarm for each critical event kind, in ALARM from the
 * first matching event in a 5-minute period, notifying `topic`. Metric filters on a multi-region trail's log group
 * see every region's events, global ones (sign-in) included, in one place
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
 */
export class TrailAlarms extends Construct {
  /** The alarms, by spec id. */
  readonly alarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: TrailAlarmsProps) {
    super(scope, id);
    for (const spec of props.events ?? TRAIL_CRITICAL_EVENTS) {
      if (spec.eventNames.length === 0) throw new Error(`${id}: the event kind ${spec.id} names no eventName.`);
      const filter = new logs.MetricFilter(this, `${spec.id}Filter`, {
        logGroup: props.logGroup,
        filterPattern: trailEventPattern(spec),
        metricNamespace: props.metricNamespace,
        metricName: spec.id,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${spec.id}Alarm`, {
        alarmName: `${props.alarmNamePrefix}-${spec.alarmSuffix}`,
        alarmDescription: spec.description,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No matching event publishes no data point: nothing happened.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.topic));
      this.alarms[spec.id] = alarm;
    }
  }
}

/** The CloudWatch Logs filter pattern of one event kind: its source, any of its names, and its identity type. */
export function trailEventPattern(spec: TrailAlarmSpec): logs.IFilterPattern {
  return logs.FilterPattern.all(
    logs.FilterPattern.stringValue('$.eventSource', '=', spec.eventSource),
    logs.FilterPattern.any(...spec.eventNames.map((name) => logs.FilterPattern.stringValue('$.eventName', '=', name))),
    ...(spec.identityType ? [logs.FilterPattern.stringValue('$.userIdentity.type', '=', spec.identityType)] : []),
  );
}
