import { loadConfig } from '../../lib/config';
import { fixtureConfig, fixtureContext, fixtureProblems } from './fixtures/production-context';

// GIVEN the committed two-stage fixture (test, live) in pipeline account 999999999999, every region left at its default
const CONNECTION = (region: string, account: string) =>
  `arn:aws:codeconnections:${region}:${account}:connection/00000000-0000-4000-8000-000000000000`;

describe('loadConfig: pipeline.connectionArn against the pipeline', () => {
  it("refuses a connection of another account, naming the key, the value and the pipeline's account", () => {
    const arn = CONNECTION('eu-west-2', '111111111111');
    expect(fixtureProblems({ 'pipeline.connectionArn': arn })).toContainEqual(
      `pipeline.connectionArn = "${arn}" is not valid: it is a connection of account 111111111111; ` +
        "expected a connection created in the pipeline's account 999999999999 (pipeline.account), which the pipeline can use.",
    );
  });

  it('accepts a connection created in another region of the pipeline account, with a warning (connections are global)', () => {
    const arn = CONNECTION('us-east-1', '999999999999');
    const config = fixtureConfig({ 'pipeline.connectionArn': arn });
    expect(config.warnings).toContainEqual(
      expect.stringMatching(
        /^pipeline\.connectionArn = ".*" was created in us-east-1, not in the pipeline's region eu-west-2/,
      ),
    );
  });

  it('gives no warning for a connection of the pipeline account and region', () => {
    expect(fixtureConfig().warnings.filter((w) => w.startsWith('pipeline.connectionArn'))).toEqual([]);
  });
});

describe('loadConfig: a stage that inherits a default region while others set theirs', () => {
  it('refuses a stage added without a region when the others deploy elsewhere, naming both and what to set', () => {
    const problems = fixtureProblems({
      'pipeline.region': 'eu-central-1',
      'pipeline.connectionArn': CONNECTION('eu-central-1', '999999999999'),
      'live.region': 'eu-central-1',
    });
    expect(problems).toEqual([
      'test.region is not set, so test deploys to the default "eu-west-2", while live.region = "eu-central-1"; ' +
        'set test.region explicitly ("eu-central-1" to join them, or "eu-west-2" to keep the default).',
    ]);
  });

  it('refuses an inherited DR region when another stage copies its backups elsewhere', () => {
    const problems = fixtureProblems({ 'test.drRegion': 'eu-west-3' });
    expect(problems).toEqual([
      'live.drRegion is not set, so live copies its backups to the default "eu-west-1", while test.drRegion = "eu-west-3"; ' +
        'set live.drRegion explicitly ("eu-west-3" to join them, or "eu-west-1" to keep the default).',
    ]);
  });

  it('accepts an inherited region that equals the one the others set', () => {
    expect(fixtureProblems({ 'live.region': 'eu-west-2' })).toEqual([]);
  });
});

describe('loadConfig: a canary that a bake cannot wait for', () => {
  it('refuses a canary schedule longer than the bake, naming both keys', () => {
    const problems = fixtureProblems({ 'live.synthetics.enabled': true, 'live.synthetics.scheduleMinutes': 30 });
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^live\.synthetics\.scheduleMinutes = 30 is not valid: live\.delivery\.bakeTimeMinutes is 15, .* expected at most 15/,
      ),
    );
  });

  it('accepts a canary that runs at least once in the bake', () => {
    expect(fixtureProblems({ 'live.synthetics.enabled': true, 'live.synthetics.scheduleMinutes': 15 })).toEqual([]);
  });
});

describe('configWarnings: what synth accepts but prints', () => {
  it('warns when the pipeline region is left at its default while every stage deploys elsewhere', () => {
    const context = fixtureContext({
      'pipeline.connectionArn': CONNECTION('eu-central-1', '999999999999'),
      'test.region': 'eu-central-1',
      'live.region': 'eu-central-1',
    });
    delete context['pipeline.region'];
    expect(loadConfig(context).warnings).toContainEqual(
      expect.stringMatching(
        /^pipeline\.region is not set, so the pipeline runs in the default "eu-west-2", where no stage deploys \(eu-central-1\)/,
      ),
    );
  });

  it('warns when a stage waits for an approval that nobody is e-mailed, and when production alarms reach nobody', () => {
    const warnings = fixtureConfig({ 'pipeline.notificationEmails': [] }).warnings;
    expect(warnings).toContainEqual(
      expect.stringMatching(/^pipeline\.notificationEmails = \[\] while live waits for a manual approval/),
    );
    expect(warnings).toContainEqual(expect.stringMatching(/^live\.alertEmails = \[\] on production stage live/));
  });

  it('is quiet once the approvers and the on-call address are set', () => {
    const warnings = fixtureConfig({
      'pipeline.notificationEmails': ['approvers@example.com'],
      'live.alertEmails': ['on-call@example.com'],
    }).warnings;
    expect(warnings).toEqual([]);
  });
});
