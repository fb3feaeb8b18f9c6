import { ConfigError, loadConfig } from '../../lib/config';
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

describe('loadConfig: rules of one stage across its keys', () => {
  it('refuses a canary on a stage with basic monitoring, naming both keys and the two ways out', () => {
    expect(fixtureProblems({ 'test.synthetics.enabled': true })).toEqual([
      'test.synthetics.enabled = true is not valid: test.monitoring is "basic", and the canary\'s alarm feeds the stage-unhealthy alarm ' +
        'only with the whole alarm set; expected test.monitoring = "full" or test.synthetics.enabled = false.',
    ]);
  });

  it('lets a stage without a bake run its canary at any schedule', () => {
    const synthetics = {
      'test.monitoring': 'full',
      'test.synthetics.enabled': true,
      'test.synthetics.scheduleMinutes': 60,
    };
    expect(fixtureProblems(synthetics)).toEqual([]);
    expect(fixtureProblems({ ...synthetics, 'test.delivery.bakeTimeMinutes': 59 })).toEqual([
      expect.stringMatching(
        /^test\.synthetics\.scheduleMinutes = 60 is not valid: .*expected at most 59 \(or a longer bake\)\.$/,
      ),
    ]);
  });

  it('refuses an SES sender outside the verified domain, naming the address, the domain and what to set', () => {
    expect(
      fixtureProblems({
        'live.email.ses.verifiedDomain': 'example.com',
        'live.email.ses.fromAddress': 'no-reply@mail.example.com',
      }),
    ).toEqual([
      'live.email.ses.fromAddress = "no-reply@mail.example.com" is not valid: it is not an address of live.email.ses.verifiedDomain ("example.com"), ' +
        'and SES sends only from addresses its verified identity covers; expected an address @example.com, ' +
        'or live.email.ses.verifiedDomain = "off" with the address itself verified.',
    ]);
  });

  it('accepts a sender of the verified domain in any case, and any sender once the address itself is the identity', () => {
    expect(
      fixtureProblems({
        'live.email.ses.verifiedDomain': 'example.com',
        'live.email.ses.fromAddress': 'No-Reply@EXAMPLE.com',
      }),
    ).toEqual([]);
    expect(
      fixtureProblems({
        'live.email.ses.verifiedDomain': 'off',
        'live.email.ses.fromAddress': 'no-reply@mail.example.com',
      }),
    ).toEqual([]);
  });

  it('reports an invalid SES sender once, without comparing it with the verified domain', () => {
    expect(
      fixtureProblems({ 'live.email.ses.verifiedDomain': 'example.com', 'live.email.ses.fromAddress': 'no-reply' }),
    ).toEqual([
      'live.email.ses.fromAddress = "no-reply" is not valid: expected an e-mail address such as no-reply@example.com.',
    ]);
  });

  it("compares a custom domain's certificate with the stage account only when the account is set", () => {
    const domain = {
      'live.frontend.customDomain.enabled': true,
      'live.frontend.customDomain.domainName': 'app.example.com',
      'live.frontend.customDomain.certificateArn':
        'arn:aws:acm:us-east-1:444444444444:certificate/00000000-0000-4000-8000-000000000000',
    };
    expect(fixtureProblems({ ...domain, 'live.account': undefined })).toEqual([
      'live.account is missing: expected a 12-digit AWS account id.',
    ]);
    expect(fixtureProblems({ ...domain, 'live.account': '444444444444' })).toEqual([]);
  });

  it('holds weekly retention to cold storage plus 90 days exactly, and not at all without cold storage', () => {
    // GIVEN live's isolated copy bounds (30 to 365 days) that every retention below stays within
    expect(
      fixtureProblems({ 'live.backup.weeklyColdStorageAfterDays': 30, 'live.backup.weeklyRetentionDays': 120 }),
    ).toEqual([]);
    expect(
      fixtureProblems({ 'live.backup.weeklyColdStorageAfterDays': 30, 'live.backup.weeklyRetentionDays': 119 }),
    ).toEqual([
      'live.backup.weeklyRetentionDays = 119 is not valid: AWS Backup keeps a cold recovery point at least 90 days, ' +
        'so with live.backup.weeklyColdStorageAfterDays = 30 it must be at least 120.',
    ]);
    expect(
      fixtureProblems({ 'live.backup.weeklyColdStorageAfterDays': 0, 'live.backup.weeklyRetentionDays': 30 }),
    ).toEqual([]);
  });

  it('takes a recovery-point age of exactly the daily interval plus its start window (25 hours), not one hour less', () => {
    expect(fixtureProblems({ 'live.backup.dr.recoveryPointMaxAgeHours': 25 })).toEqual([]);
    expect(fixtureProblems({ 'live.backup.dr.recoveryPointMaxAgeHours': 24 })).toEqual([
      'live.backup.dr.recoveryPointMaxAgeHours = 24 is not valid: the daily backup runs every 24 hours within a 1-hour start window, ' +
        'so the newest recovery point can be 25 hours old on a healthy stage; expected at least 25.',
    ]);
  });

  it('refuses a restore-job age requirement without restore testing, and accepts each of the two alone', () => {
    expect(fixtureProblems({ 'live.backup.restoreTesting': false, 'live.backup.dr.restoreJobMaxAgeDays': 35 })).toEqual(
      [
        'live.backup.dr.restoreJobMaxAgeDays = 35 can never pass: live.backup.restoreTesting is false, so no restore job runs; ' +
          'set it to "off" or turn restore testing on.',
      ],
    );
    expect(fixtureProblems({ 'live.backup.restoreTesting': false })).toEqual([]);
    expect(fixtureProblems({ 'live.backup.dr.restoreJobMaxAgeDays': 35 })).toEqual([]);
  });
});

describe('loadConfig: rules across stages and the pipeline', () => {
  it('refuses a stage in the tooling account, naming the key and the value', () => {
    expect(fixtureProblems({ 'test.account': '999999999999' })).toEqual([
      'test.account = "999999999999" is not valid: it is the pipeline\'s own account (pipeline.account); ' +
        'expected a stage account apart from the tooling account.',
    ]);
  });

  it('refuses two stages in one account and region even when stage accounts may be shared, once', () => {
    expect(fixtureProblems({ 'live.account': '111111111111', 'pipeline.allowSharedStageAccounts': true })).toEqual([
      'live.account = "111111111111" is not valid: test already deploys to account 111111111111 in eu-west-2; ' +
        'expected each stage in its own account or region.',
    ]);
  });

  it('reports only the missing key when a stage or the pipeline has no account (no rule compares an unset account)', () => {
    expect(fixtureProblems({ 'test.account': undefined })).toEqual([
      'test.account is missing: expected a 12-digit AWS account id.',
    ]);
    expect(fixtureProblems({ 'test.account': undefined, 'live.account': undefined })).toEqual([
      'test.account is missing: expected a 12-digit AWS account id.',
      'live.account is missing: expected a 12-digit AWS account id.',
    ]);
    expect(fixtureProblems({ 'pipeline.account': undefined })).toEqual([
      'pipeline.account is missing: expected a 12-digit AWS account id.',
    ]);
  });

  it('refuses "pipeline" and "gates" as stage names, which name config scopes', () => {
    expect(
      fixtureProblems({ 'pipeline.stages': ['test', 'live', 'gates'], 'gates.account': '444444444444' }),
    ).toContainEqual(
      'pipeline.stages = ["test","live","gates"] is not valid: "pipeline" and "gates" name config scopes, not stages.',
    );
    expect(fixtureProblems({ 'pipeline.stages': ['pipeline', 'test', 'live'] })).toContainEqual(
      expect.stringMatching(
        /^pipeline\.stages = \["pipeline","test","live"\] is not valid: "pipeline" and "gates" name config scopes/,
      ),
    );
  });

  it('points a misspelled key of a known scope to the reference', () => {
    expect(fixtureProblems({ 'live.retainDta': true })).toEqual([
      'live.retainDta is not a known key: did you mean live.retainData? Every key is listed in docs/configuration.md.',
    ]);
  });

  it('says how many problems there are, in the singular for one', () => {
    expect(() => fixtureConfig({ 'test.account': 'x' })).toThrow(ConfigError);
    expect(() => fixtureConfig({ 'test.account': 'x' })).toThrow(
      /^Invalid configuration \(1 problem\):\n- test\.account = "x"/,
    );
  });
});
