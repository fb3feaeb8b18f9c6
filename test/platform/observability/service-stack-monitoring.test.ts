import { Match } from 'aws-cdk-lib/assertions';
import { OUTPUTS } from '../../../contracts/output-names';
import { resourceNames } from '../../../contracts/resource-names';
import { platformStages } from '../../support/platform-stages';

const app = platformStages();

describe.each(['dev', 'staging', 'prod'])('%s Service stack monitoring', (stageName) => {
  const template = app.template(stageName, 'Service');
  const names = resourceNames(stageName);

  it('has the stage dashboard and the stage-unhealthy alarm the pipeline watches', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: names.dashboard });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: names.stageUnhealthyAlarm });
    template.hasOutput(OUTPUTS.stageUnhealthyAlarmName, { Value: names.stageUnhealthyAlarm });
    template.hasOutput(OUTPUTS.monitoringDashboardUrl, {
      Value: `https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#dashboards:name=${names.dashboard}`,
    });
  });

  it('subscribes the stage alert e-mails to both topics, encrypted with their own key, not the data key', () => {
    const emails = app.stage(stageName).config.alertEmails;
    template.resourceCountIs('AWS::SNS::Subscription', 2 * emails.length);
    for (const email of emails)
      template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: email, Protocol: 'email' });
    template.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringTopicsKey'), 'Arn'] },
    });
    const dataKeyPolicy = JSON.stringify(app.template(stageName, 'Stateful').findResources('AWS::KMS::Key'));
    expect(dataKeyPolicy).not.toContain('cloudwatch.amazonaws.com');
  });
});

describe('monitoring level per stage', () => {
  it('gives dev no warning alarms (basic) and staging and prod table throttle warnings (full)', () => {
    const throttleWarnings = (stage: string) =>
      Object.values(app.template(stage, 'Service').findResources('AWS::CloudWatch::Alarm')).filter((r) =>
        /Throttled-Events-Warning$/.test(r.Properties.AlarmName),
      ).length;
    expect(throttleWarnings('dev')).toBe(0);
    expect(throttleWarnings('staging')).toBe(8);
    expect(throttleWarnings('prod')).toBe(8);
  });
});
