import { platformStages } from '../../support/platform-stages';

/** CloudFormation JSON as a template holds it (untyped by nature). */
type Cfn = any;

/**
 * The acceptance journey expects refusals (401 from the authorizer, 404 for another user's project) and stops
 * the workflow runs of its project before deleting it. None of that may fire the stage-unhealthy alarm, whose
 * firing rolls a stage back: these tests fail when an alarm starts counting what the journey causes on purpose.
 */
const app = platformStages({ 'staging.journey.enabled': true, 'staging.monitoring': 'full' });
const alarms = Object.values(app.template('staging', 'Service').findResources('AWS::CloudWatch::Alarm'));

/** Every metric name an alarm reads, from a plain metric or a metric math expression. */
function metricNames(alarm: Record<string, Cfn>): string[] {
  const props = alarm.Properties;
  return [
    ...(props.MetricName ? [props.MetricName] : []),
    ...(props.Metrics ?? []).flatMap((m: Cfn) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])),
  ];
}

describe("The stage's alarms and the acceptance journey", () => {
  it('watch the API by its 5XX faults, never its 4XX answers (the journey expects 401 and 404)', () => {
    const apiMetrics = alarms
      .filter((a) => JSON.stringify(a.Properties).includes('AWS/ApiGateway'))
      .flatMap(metricNames);
    expect(apiMetrics).toContain('5XXError');
    expect(apiMetrics).not.toContain('4XXError');
    expect(alarms.flatMap(metricNames)).not.toContain('4XXError');
  });

  it('count failed workflow runs, not runs the journey stopped (ExecutionsAborted)', () => {
    const names = alarms.flatMap(metricNames);
    expect(names).toContain('ExecutionsFailed');
    expect(names).not.toContain('ExecutionsAborted');
  });
});
