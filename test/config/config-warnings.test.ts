import { loadConfig } from '../../lib/config';
import { fixtureConfig, fixtureContext } from './fixtures/production-context';

describe('configWarnings', () => {
  it('names every stage that waits for an approval nobody is e-mailed, in promotion order', () => {
    const warnings = fixtureConfig({
      'pipeline.notificationEmails': [],
      'test.delivery.manualApproval': true,
    }).warnings;
    expect(warnings).toContainEqual(
      'pipeline.notificationEmails = [] while test, live wait for a manual approval: nobody is e-mailed the approval request, ' +
        'the change review summary or a failure; add the approvers.',
    );
  });

  it('gives no approval warning when no stage waits for one, even with nobody to e-mail', () => {
    const warnings = fixtureConfig({
      'pipeline.notificationEmails': [],
      'live.delivery.manualApproval': false,
      'live.breakGlass.manualApproval': 'CHG-9: approvals move to the release calendar this quarter',
    }).warnings;
    expect(warnings.filter((w) => w.startsWith('pipeline.notificationEmails'))).toEqual([]);
  });

  it('warns only for production stages whose alarms reach nobody', () => {
    const warnings = fixtureConfig({ 'test.alertEmails': [], 'live.alertEmails': [] }).warnings;
    expect(warnings.filter((w) => w.includes('.alertEmails = []'))).toEqual([
      'live.alertEmails = [] on production stage live: its critical alarms notify a topic nobody is subscribed to; add the on-call address.',
    ]);
  });

  it('reads a null pipeline.region as unset, and is quiet when a stage deploys in the default region', () => {
    const elsewhere = fixtureContext({
      'pipeline.region': null,
      'test.region': 'eu-central-1',
      'live.region': 'eu-central-1',
    });
    elsewhere['pipeline.connectionArn'] = String(elsewhere['pipeline.connectionArn']).replace(
      'eu-west-2',
      'eu-central-1',
    );
    expect(loadConfig(elsewhere).warnings).toContainEqual(
      expect.stringMatching(
        /^pipeline\.region is not set, so the pipeline runs in the default "eu-west-2", where no stage deploys \(eu-central-1\); set pipeline\.region explicitly/,
      ),
    );
    const warnings = fixtureConfig({
      'pipeline.region': null,
      'pipeline.notificationEmails': ['a@example.com'],
    }).warnings;
    expect(warnings.filter((w) => w.startsWith('pipeline.region'))).toEqual([]);
  });
});
