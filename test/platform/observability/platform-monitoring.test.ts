import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AlarmThresholds, MonitoringLevel } from '../../../lib/config';
import { OUTPUTS } from '../../../contracts/output-names';
import { resourceNames } from '../../../contracts/resource-names';
import { PlatformMonitoring } from '../../../lib/platform/observability/platform-monitoring';

const THRESHOLDS: AlarmThresholds = {
  api5xxPercent: 5,
  apiLatencyP99Ms: 3000,
  lambdaErrors: 4,
  dynamoThrottles: 10,
  workflowFailures: 2,
};

interface Fixture {
  readonly stack: Stack;
  readonly monitoring: PlatformMonitoring;
  readonly template: Template;
}

/** A small stack with two tables, two functions, an API and a state machine, monitored at `level`. */
function fixture(level: MonitoringLevel, withServiceLayer = true): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Fixture', { env: { account: '111111111111', region: 'eu-west-2' } });
  const table = (id: string) =>
    new dynamodb.Table(stack, id, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
  const api = new apigateway.RestApi(stack, 'Api');
  api.root.addMethod('GET', new apigateway.MockIntegration());
  const stateMachine = new sfn.StateMachine(stack, 'Workflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')),
  });
  const monitoring = new PlatformMonitoring(stack, 'Monitoring', {
    stageName: 'staging',
    level,
    thresholds: THRESHOLDS,
    alertEmails: ['alerts@example.com', 'oncall@example.com'],
    tables: [table('Users'), table('Projects')],
    ...(withServiceLayer && { functions: [fn('Health'), fn('CreateProject')], api, stateMachine }),
  });
  return { stack, monitoring, template: Template.fromStack(stack) };
}

const names = resourceNames('staging');

describe('PlatformMonitoring at full level', () => {
  const { monitoring, template } = fixture('full');

  it('creates one dashboard named after the stage', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: names.dashboard });
  });

  it('shows tables, API, functions, workflow and the business metrics namespace on the dashboard', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
    );
    for (const needle of [
      'ReadThrottleEvents',
      'ConsumedReadCapacityUnits',
      'SuccessfulRequestLatency',
      '5XXError',
      '4XXError',
      'Latency',
      'Throttles',
      'Duration',
      'ConcurrentExecutions',
      'ExecutionsFailed',
      'UKHomeImprovement/Business',
      'UserRegistrations',
      'ProjectsCreated',
      'AiAgentLatencyMs',
    ]) {
      expect(body).toContain(needle);
    }
  });

  it('creates two topics encrypted with their own key, with every alert e-mail subscribed to each', () => {
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringTopicsKey'), 'Arn'] },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 4);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it("lets CloudWatch alarms of the stack's account, and no other service, use the topic key", () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const services = key.Properties.KeyPolicy.Statement.filter(
      (s: { Effect: string; Principal?: { Service?: string } }) => s.Effect === 'Allow' && s.Principal?.Service,
    );
    expect(services).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    ]);
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('takes every threshold from config and alarms at or above it', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);
    const thresholdOf = (nameEnd: string) => {
      const found = alarms.filter((a) => (a.AlarmName as string).endsWith(nameEnd));
      expect(found.length).toBeGreaterThan(0);
      found.forEach((a) => expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold'));
      return [...new Set(found.map((a) => a.Threshold))];
    };
    expect(thresholdOf('Fault-Count-Critical')).toEqual([THRESHOLDS.lambdaErrors]);
    expect(thresholdOf('Workflow-Failure-Count-Critical')).toEqual([THRESHOLDS.workflowFailures]);
    expect(thresholdOf('Api-Latency-P99-Warning')).toEqual([THRESHOLDS.apiLatencyP99Ms]);
    expect(thresholdOf('Read-Throttled-Events-Warning')).toEqual([THRESHOLDS.dynamoThrottles]);
    // the 5xx rate is the average of 5XXError: a fraction, not a percent
    expect(thresholdOf('Api-Fault-Rate-Critical')).toEqual([THRESHOLDS.api5xxPercent / 100]);
  });

  it('routes critical alarms to the critical topic and warnings to the warning topic', () => {
    const criticalRef = { Ref: Match.stringLikeRegexp('MonitoringTopicsCritical') };
    const warningRef = { Ref: Match.stringLikeRegexp('MonitoringTopicsWarning') };
    // 2 function error alarms + API 5xx + workflow failures
    expect(monitoring.criticalAlarms).toHaveLength(4);
    // API p99 + 2 function throttles + 2 tables x (read + write throttles)
    expect(monitoring.warningAlarms).toHaveLength(7);
    expect(
      Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmActions: [criticalRef] } })),
    ).toHaveLength(4);
    expect(
      Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmActions: [warningRef] } })),
    ).toHaveLength(7);
  });

  it('creates the stage-unhealthy composite alarm over every critical alarm and no warning', () => {
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const composite = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))[0].Properties;
    expect(composite.AlarmName).toBe(names.stageUnhealthyAlarm);
    const rule = JSON.stringify(composite.AlarmRule);
    expect(rule.match(/ALARM\(/g)).toHaveLength(4);
    expect(rule).not.toMatch(/Throttle/);
  });

  it('publishes the dashboard URL, both topic ARNs and the composite alarm name under the contract keys', () => {
    template.hasOutput(OUTPUTS.monitoringDashboardUrl, {
      Value: `https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#dashboards:name=${names.dashboard}`,
    });
    template.hasOutput(OUTPUTS.criticalAlertsTopicArn, {
      Value: { Ref: Match.stringLikeRegexp('MonitoringTopicsCritical') },
    });
    template.hasOutput(OUTPUTS.warningAlertsTopicArn, {
      Value: { Ref: Match.stringLikeRegexp('MonitoringTopicsWarning') },
    });
    template.hasOutput(OUTPUTS.stageUnhealthyAlarmName, { Value: names.stageUnhealthyAlarm });
  });
});

describe('PlatformMonitoring at basic level', () => {
  const { monitoring, template } = fixture('basic');

  it('creates the critical alarms only', () => {
    expect(monitoring.criticalAlarms).toHaveLength(4);
    expect(monitoring.warningAlarms).toHaveLength(0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ReadThrottleEvents' } }),
    ).toEqual({});
  });

  it('still has the dashboard, both topics and the composite alarm', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
  });
});

describe('PlatformMonitoring before the service layer exists', () => {
  const { template } = fixture('basic', false);

  it('keeps a stage-unhealthy alarm that never fires, so the name the pipeline watches exists', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: names.stageUnhealthyAlarm,
      AlarmRule: 'FALSE',
    });
  });
});

describe('PlatformMonitoring with functions that share a construct id', () => {
  it('names their alarms after their parents so the names stay unique', () => {
    const stack = new Stack(new App(), 'Shared');
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const handler = (parent: string) =>
      new lambda.Function(new Construct(stack, parent), 'Handler', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      });
    const monitoring = new PlatformMonitoring(stack, 'Monitoring', {
      stageName: 'dev',
      level: 'basic',
      thresholds: THRESHOLDS,
      tables: [table],
      functions: [handler('Health'), handler('Quotes')],
    });
    const names = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
      (r) => r.Properties.AlarmName,
    );
    expect(monitoring.criticalAlarms).toHaveLength(2);
    expect(names.sort()).toEqual([
      'uk-home-improvement-dev-HealthHandler-Fault-Count-Critical',
      'uk-home-improvement-dev-QuotesHandler-Fault-Count-Critical',
    ]);
  });
});

describe('PlatformMonitoring with bad input', () => {
  it('refuses an empty table list, naming the construct', () => {
    const stack = new Stack(new App(), 'Bad');
    expect(
      () =>
        new PlatformMonitoring(stack, 'Monitoring', {
          stageName: 'dev',
          level: 'basic',
          thresholds: THRESHOLDS,
          tables: [],
        }),
    ).toThrow(/^Monitoring: tables is empty/);
  });
});
