import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  DefaultDashboardFactory,
  LatencyType,
  MetricStatistic,
  MonitoringFacade,
  SnsAlarmActionStrategy,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import type { AlarmThresholds, MonitoringLevel, StageName } from '../../config';
import { OUTPUTS } from '../../../contracts/output-names';
import { PLATFORM_PREFIX, resourceNames } from '../../../contracts/resource-names';
import { AlertTopics } from './alert-topics';
import { BUSINESS_METRICS } from './business-metrics';

/** Disambiguator of alarms routed to the critical topic; the stage-unhealthy alarm watches these. */
export const CRITICAL = 'Critical';
/** Disambiguator of alarms routed to the warning topic. */
export const WARNING = 'Warning';

/** Props of {@link PlatformMonitoring}. */
export interface PlatformMonitoringProps {
  /** Stage name; sets the dashboard, alarm and composite alarm names. */
  readonly stageName: StageName;
  /** `basic`: critical alarms only; `full`: critical and warning alarms. */
  readonly level: MonitoringLevel;
  /** Alarm thresholds of the stage. */
  readonly thresholds: AlarmThresholds;
  /**
   * E-mail addresses subscribed to the critical and warning topics.
   * @default - no subscriptions
   */
  readonly alertEmails?: readonly string[];
  /** Tables to watch (throttles, latency, consumed capacity). */
  readonly tables: readonly dynamodb.ITable[];
  /**
   * Functions to watch (errors, throttles, duration, concurrency).
   * @default - no function widgets or alarms
   */
  readonly functions?: readonly lambda.IFunction[];
  /**
   * REST API to watch (requests, 4xx, 5xx, latency).
   * @default - no API widgets or alarms
   */
  readonly api?: apigateway.IRestApi;
  /**
   * Stage of `api` whose metrics are read.
   * @default - the API's deployment stage
   */
  readonly apiStageName?: string;
  /**
   * AI workflow state machine to watch (failed executions).
   * @default - no workflow widgets or alarms
   */
  readonly stateMachine?: sfn.IStateMachine;
  /**
   * Billing mode of the tables, which decides the capacity widgets.
   * @default dynamodb.BillingMode.PAY_PER_REQUEST
   */
  readonly tableBillingMode?: dynamodb.BillingMode;
  /**
   * Critical alarms made elsewhere (the synthetic traffic canary's): routed to the critical topic and part of
   * the stage-unhealthy alarm.
   * @default - none
   */
  readonly additionalCriticalAlarms?: readonly cloudwatch.Alarm[];
}

/**
 * The stage's dashboard, alert topics, alarms and the "stage unhealthy" composite alarm.
 *
 * Built on cdk-monitoring-constructs: it renders the standard widgets per service and creates
 * alarms with consistent names and actions from one threshold record, so this construct only
 * says what to watch and at which threshold.
 *
 * Every threshold alarms at or above the configured value over one 5-minute period. Critical
 * alarms (function errors, API 5xx rate, workflow failures) exist at every level; warning alarms
 * (API p99 latency, table throttles, function throttles) only at `full`.
 */
export class PlatformMonitoring extends Construct {
  /** Critical and warning alert topics. */
  readonly topics: AlertTopics;
  /** The stage dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  /** Composite alarm in ALARM whenever any critical alarm is; the pipeline's bake time watches it. */
  readonly stageUnhealthyAlarm: cloudwatch.CompositeAlarm;
  /** Alarms routed to the critical topic. */
  readonly criticalAlarms: readonly cloudwatch.Alarm[];
  /** Alarms routed to the warning topic (none at `basic`). */
  readonly warningAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    if (props.tables.length === 0) {
      throw new Error(`${id}: tables is empty; pass the stage's tables so the dashboard and alarms cover them.`);
    }
    const names = resourceNames(props.stageName);
    const t = props.thresholds;
    const full = props.level === 'full';
    const atOrAbove = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const noDataIsOk = cloudwatch.TreatMissingData.NOT_BREACHING;

    this.topics = new AlertTopics(this, 'Topics', {
      emails: props.alertEmails,
      displayNamePrefix: `UK Home Improvement ${props.stageName}`,
    });

    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: names.dashboard,
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    const facade = new MonitoringFacade(this, 'Facade', {
      dashboardFactory: dashboards,
      alarmFactoryDefaults: {
        alarmNamePrefix: `${PLATFORM_PREFIX}-${props.stageName}`,
        actionsEnabled: true,
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
        disambiguatorAction: {
          [CRITICAL]: new SnsAlarmActionStrategy({ onAlarmTopic: this.topics.critical }),
          [WARNING]: new SnsAlarmActionStrategy({ onAlarmTopic: this.topics.warning }),
        },
      },
      metricFactoryDefaults: { period: Duration.minutes(5) },
    });

    facade.addLargeHeader(`UK Home Improvement ${props.stageName}`);

    if (props.api) {
      facade.monitorApiGateway({
        api: props.api,
        apiStage: props.apiStageName,
        alarmFriendlyName: 'Api',
        humanReadableName: 'API Gateway',
        add5XXFaultRateAlarm: {
          [CRITICAL]: {
            maxErrorRate: t.api5xxPercent / 100,
            comparisonOperatorOverride: atOrAbove,
            treatMissingDataOverride: noDataIsOk,
          },
        },
        ...(full && {
          addLatencyP99Alarm: {
            [WARNING]: {
              maxLatency: Duration.millis(t.apiLatencyP99Ms),
              comparisonOperatorOverride: atOrAbove,
              treatMissingDataOverride: noDataIsOk,
            },
          },
        }),
      });
    }

    const functions = props.functions ?? [];
    // Alarm names use the construct id; when two functions share one (`Handler`), add the parent's id.
    const functionName = (fn: lambda.IFunction) =>
      functions.filter((other) => other.node.id === fn.node.id).length > 1 && fn.node.scope
        ? `${fn.node.scope.node.id}${fn.node.id}`
        : fn.node.id;
    for (const fn of functions) {
      const name = functionName(fn);
      facade.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: name,
        humanReadableName: `Function ${name}`,
        addFaultCountAlarm: {
          [CRITICAL]: {
            maxErrorCount: t.lambdaErrors,
            comparisonOperatorOverride: atOrAbove,
            treatMissingDataOverride: noDataIsOk,
          },
        },
        ...(full && {
          addThrottlesCountAlarm: {
            [WARNING]: {
              maxErrorCount: 1,
              comparisonOperatorOverride: atOrAbove,
              treatMissingDataOverride: noDataIsOk,
            },
          },
        }),
      });
    }

    if (props.stateMachine) {
      facade.monitorStepFunction({
        stateMachine: props.stateMachine,
        alarmFriendlyName: 'Workflow',
        humanReadableName: 'AI workflow',
        addFailedExecutionCountAlarm: {
          [CRITICAL]: {
            maxErrorCount: t.workflowFailures,
            comparisonOperatorOverride: atOrAbove,
            treatMissingDataOverride: noDataIsOk,
          },
        },
      });
    }

    for (const table of props.tables) {
      const throttles = {
        [WARNING]: {
          maxThrottledEventsThreshold: t.dynamoThrottles,
          comparisonOperatorOverride: atOrAbove,
          treatMissingDataOverride: noDataIsOk,
        },
      };
      facade.monitorDynamoTable({
        table,
        billingMode: props.tableBillingMode ?? dynamodb.BillingMode.PAY_PER_REQUEST,
        alarmFriendlyName: `Table${table.node.id}`,
        humanReadableName: `Table ${table.node.id}`,
        ...(full && { addReadThrottledEventsCountAlarm: throttles, addWriteThrottledEventsCountAlarm: throttles }),
      });
    }

    const business = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: BUSINESS_METRICS.namespace,
        metricName,
        statistic,
        label,
        period: Duration.minutes(5),
      });
    facade.monitorCustom({
      alarmFriendlyName: 'Business',
      humanReadableName: 'Business metrics',
      metricGroups: [
        {
          title: 'Registrations and projects created',
          metrics: [
            business(BUSINESS_METRICS.registrations, MetricStatistic.SUM, 'Registrations'),
            business(BUSINESS_METRICS.projectsCreated, MetricStatistic.SUM, 'Projects created'),
          ],
        },
        {
          title: 'AI agent latency (ms)',
          metrics: [
            business(BUSINESS_METRICS.aiAgentLatency, LatencyType.P50, 'p50'),
            business(BUSINESS_METRICS.aiAgentLatency, LatencyType.P99, 'p99'),
          ],
        },
      ],
    });

    const dashboard = facade.createdDashboard();
    if (!dashboard) throw new Error(`${id}: cdk-monitoring-constructs created no dashboard.`);
    this.dashboard = dashboard;
    const additional = props.additionalCriticalAlarms ?? [];
    for (const alarm of additional) alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topics.critical));
    this.criticalAlarms = [
      ...facade.createdAlarmsWithDisambiguator(CRITICAL).map((a) => a.alarm as cloudwatch.Alarm),
      ...additional,
    ];
    this.warningAlarms = facade.createdAlarmsWithDisambiguator(WARNING).map((a) => a.alarm as cloudwatch.Alarm);

    this.stageUnhealthyAlarm = new cloudwatch.CompositeAlarm(this, 'StageUnhealthy', {
      compositeAlarmName: names.stageUnhealthyAlarm,
      alarmDescription:
        this.criticalAlarms.length > 0
          ? `Stage ${props.stageName} is unhealthy: at least one critical alarm is in ALARM.`
          : `Stage ${props.stageName} has no critical alarm yet (no function, API or workflow is monitored); this alarm never fires.`,
      // A composite alarm needs a rule; with no critical alarm the rule is FALSE so the name the pipeline watches still exists.
      alarmRule:
        this.criticalAlarms.length > 0
          ? cloudwatch.AlarmRule.anyOf(
              ...this.criticalAlarms.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM)),
            )
          : cloudwatch.AlarmRule.fromBoolean(false),
    });

    const region = Stack.of(this).region;
    const output = (key: string, value: string, description: string) =>
      new CfnOutput(this, key, { value, description }).overrideLogicalId(key);
    output(
      OUTPUTS.monitoringDashboardUrl,
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${names.dashboard}`,
      'CloudWatch dashboard of the stage',
    );
    output(OUTPUTS.criticalAlertsTopicArn, this.topics.critical.topicArn, 'SNS topic of critical alerts');
    output(OUTPUTS.warningAlertsTopicArn, this.topics.warning.topicArn, 'SNS topic of warning alerts');
    output(
      OUTPUTS.stageUnhealthyAlarmName,
      names.stageUnhealthyAlarm,
      'Composite alarm the pipeline bake time watches',
    );
  }
}
