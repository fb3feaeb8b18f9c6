import { ConfigError, loadConfig } from '../../lib/config';
import { ADOPTER_CONFIG_FIXTURE, BASE_CONFIG_FIXTURE, cdkOwnContext, configFixture } from '../../support/test-config';
import { configWith, contextWith, realContext } from '../support/context';

/** The message loadConfig throws for the default context with `overrides`, or '' when it accepts it. */
function problemsWith(overrides: Record<string, unknown>): string {
  const ctx = contextWith(overrides);
  try {
    loadConfig(ctx);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe('loadConfig', () => {
  it('accepts the base config fixture (cdk.json as the repository ships it), with three stages in promotion order', () => {
    const config = configWith();
    expect(config.stages.map((s) => s.name)).toEqual(['dev', 'staging', 'prod']);
    expect(config.stages.map((s) => s.displayName)).toEqual(['Dev', 'Staging', 'Prod']);
  });

  it("reads the seed's feature matrix: no WAF, CloudTrail or backup in dev; all of them in staging and prod", () => {
    const [dev, staging, prod] = configWith().stages;
    expect(dev).toMatchObject({
      waf: undefined,
      cloudTrail: false,
      backup: undefined,
      retainData: false,
      monitoring: 'basic',
    });
    for (const s of [staging, prod]) {
      expect(s).toMatchObject({ waf: { rateLimit: 2000 }, cloudTrail: true, retainData: true, monitoring: 'full' });
      expect(s.backup).toBeDefined();
    }
    expect(prod.delivery).toMatchObject({ terminationProtection: true, manualApproval: true, rollbackOnFailure: true });
  });

  it('takes -c overrides, which arrive as strings', () => {
    const config = configWith({
      'dev.account': '123456789012',
      'dev.waf.enabled': 'true',
      'dev.provisionedConcurrency': '3',
      'dev.alertEmails': 'a@example.com, b@example.org',
    });
    expect(config.stages[0]).toMatchObject({
      account: '123456789012',
      alertEmails: ['a@example.com', 'b@example.org'],
      waf: { rateLimit: 2000 },
      provisionedConcurrency: 3,
    });
  });

  it('turns the prod deployment window off with prod.delivery.window.enabled=false and its break-glass key', () => {
    const prod = (c: ReturnType<typeof configWith>) => c.stages.find((s) => s.name === 'prod')!;
    const off = configWith({
      'prod.delivery.window.enabled': 'false',
      'prod.breakGlass.deploymentWindow': 'CHG-42: emergency fix, approved by the release manager',
    });
    expect(prod(off).delivery.window).toBeUndefined();
    expect(prod(configWith()).delivery.window).toEqual({ cron: '* * 9-15 ? * MON-THU', timeZone: 'Europe/London' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an account that is not 12 digits',
      { 'prod.account': '12345' },
      'prod.account = "12345" is not valid: expected a 12-digit AWS account id',
    ],
    [
      'an account with letters',
      { 'pipeline.account': '12345678901x' },
      'pipeline.account = "12345678901x" is not valid: expected a 12-digit AWS account id',
    ],
    [
      'an unknown region',
      { 'staging.region': 'eu-middle-9' },
      'staging.region = "eu-middle-9" is not valid: expected a known AWS region',
    ],
    [
      'an unknown DR region',
      { 'dev.drRegion': 'mars-1' },
      'dev.drRegion = "mars-1" is not valid: expected a known AWS region',
    ],
    [
      'a DR region equal to the primary',
      { 'prod.drRegion': 'eu-west-2' },
      'prod.drRegion = "eu-west-2" is not valid: expected a region other than prod.region ("eu-west-2")',
    ],
    [
      'a malformed connection ARN',
      { 'pipeline.connectionArn': 'arn:aws:s3:::bucket' },
      'pipeline.connectionArn = "arn:aws:s3:::bucket" is not valid: expected arn:aws:codeconnections:',
    ],
    [
      'a malformed e-mail',
      { 'staging.alertEmails': ['ops@example.com', 'not-an-email'] },
      'staging.alertEmails = ["ops@example.com","not-an-email"] is not valid: expected a list of e-mail addresses',
    ],
    [
      'a malformed notification e-mail',
      { 'pipeline.notificationEmails': 'team@' },
      'pipeline.notificationEmails = "team@" is not valid: expected a list of e-mail addresses',
    ],
    [
      'a repository not in owner/name form',
      { 'pipeline.repository': 'just-a-name' },
      'pipeline.repository = "just-a-name" is not valid: expected a Git repository in owner/name form',
    ],
    [
      'a missing key',
      { 'staging.account': undefined },
      'staging.account is missing: expected a 12-digit AWS account id',
    ],
    [
      'two stages on one account and region',
      { 'staging.account': '111111111111' },
      'staging.account = "111111111111" is not valid: dev already deploys to account 111111111111 in eu-west-2',
    ],
    [
      'a boolean that is not true or false',
      { 'prod.waf.enabled': 'yes' },
      'prod.waf.enabled = "yes" is not valid: expected true or false',
    ],
    [
      'a monitoring level that does not exist',
      { 'dev.monitoring': 'verbose' },
      'dev.monitoring = "verbose" is not valid: expected basic or full',
    ],
    [
      'a log retention CloudWatch does not offer',
      { 'dev.logRetentionDays': 10 },
      'dev.logRetentionDays = 10 is not valid: expected one of 1, 3, 5, 7, 14',
    ],
    [
      'a bake time above two hours',
      { 'prod.delivery.bakeTimeMinutes': '500' },
      'prod.delivery.bakeTimeMinutes = "500" is not valid: expected a whole number of minutes from 0 (off) to 120',
    ],
    [
      'a cold-storage rule AWS Backup rejects',
      { 'prod.backup.weeklyRetentionDays': 60 },
      'prod.backup.weeklyRetentionDays = 60 is not valid: AWS Backup keeps a cold recovery point at least 90 days, so with prod.backup.weeklyColdStorageAfterDays = 7 it must be at least 97',
    ],
    [
      'a deployment window that is not a cron',
      { 'prod.delivery.window.cron': 'weekdays' },
      'prod.delivery.window.cron = "weekdays" is not valid: it has 1 field; a DeploymentWindow cron has 6 or 7',
    ],
    [
      'an unknown time zone',
      { 'prod.delivery.window.timeZone': 'Europe/Atlantis' },
      'prod.delivery.window.timeZone = "Europe/Atlantis" is not valid: expected an IANA time zone',
    ],
    [
      'a restore job age beyond a year',
      { 'prod.backup.dr.restoreJobMaxAgeDays': 400 },
      'prod.backup.dr.restoreJobMaxAgeDays = 400 is not valid: expected "off" (not required) or a whole number of days from 1 to 365',
    ],
    [
      'a branch name git rejects',
      { 'pipeline.branch': 'feature..x' },
      'pipeline.branch = "feature..x" is not valid: expected a Git branch name',
    ],
  ])('rejects %s with a message naming the key, the value and what is accepted', (_case, overrides, message) => {
    expect(problemsWith(overrides)).toContain(message);
  });

  it('lists every problem at once, one per line, and says how to fix them', () => {
    const message = problemsWith({ 'dev.account': 'x', 'prod.region': 'y' });
    expect(message).toMatch(/^Invalid configuration \(2 problems\):/);
    expect(message.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(2);
    expect(message).toContain('-c <key>=<value>');
  });
});

describe('loadConfig: nothing unknown passes silently', () => {
  it('stops at a misspelled stage key, naming the nearest known key', () => {
    expect(problemsWith({ 'prod.delivery.bakeTimeMinutez': 30 })).toContain(
      'prod.delivery.bakeTimeMinutez is not a known key: did you mean prod.delivery.bakeTimeMinutes?',
    );
  });

  it('stops at a misspelled pipeline key', () => {
    expect(problemsWith({ 'pipeline.branchh': 'main' })).toContain(
      'pipeline.branchh is not a known key: did you mean pipeline.branch?',
    );
  });

  it('stops at a stage that is not in pipeline.stages, naming the stages and the nearest key', () => {
    const message = problemsWith({ 'prd.account': '444444444444' });
    expect(message).toContain(
      'prd.account is not a known key: "prd" is not a stage of pipeline.stages (dev, staging, prod)',
    );
    expect(message).toContain('did you mean prod.account?');
  });

  it("leaves CDK's own context alone (feature flags, lookups, CLI settings)", () => {
    expect(
      problemsWith({
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'availability-zones:account=1:region=x': ['a'],
        'cli-telemetry': false,
      }),
    ).toBe('');
  });
});

describe('loadConfig: values given with -c', () => {
  it('accepts a list as a JSON array string, as comma-separated text and as a JSON array', () => {
    for (const value of [
      '["a@example.com","b@example.org"]',
      'a@example.com,b@example.org',
      ['a@example.com', 'b@example.org'],
    ]) {
      expect(configWith({ 'pipeline.notificationEmails': value }).pipeline.notificationEmails).toEqual([
        'a@example.com',
        'b@example.org',
      ]);
    }
  });

  it('says plainly when a JSON list is malformed', () => {
    expect(problemsWith({ 'pipeline.notificationEmails': '["a@example.com",' })).toContain(
      'pipeline.notificationEmails = "[\\"a@example.com\\"," is not valid: expected a list of e-mail addresses: a JSON array, or comma-separated',
    );
  });

  it('takes the declared default for a key that is not set', () => {
    const ctx = contextWith();
    delete ctx['dev.api.throttleRateLimit'];
    delete ctx['pipeline.branch'];
    const config = loadConfig(ctx);
    expect(config.stages[0].api.throttleRateLimit).toBe(100);
    expect(config.pipeline.branch).toBe('main');
  });
});

describe('loadConfig: coherence across keys', () => {
  it("refuses a stage in the pipeline's own account", () => {
    expect(problemsWith({ 'dev.account': '999999999999' })).toContain(
      'dev.account = "999999999999" is not valid: it is the pipeline\'s own account (pipeline.account)',
    );
  });

  it('refuses two stages in one account unless pipeline.allowSharedStageAccounts is true', () => {
    const shared = {
      'staging.account': '111111111111',
      'staging.region': 'eu-west-1',
      'staging.drRegion': 'eu-west-2',
    };
    expect(problemsWith(shared)).toContain(
      'staging.account = "111111111111" is not valid: dev already deploys to account 111111111111; expected each stage in its own account, or set pipeline.allowSharedStageAccounts to true',
    );
    expect(problemsWith({ ...shared, 'pipeline.allowSharedStageAccounts': true })).toBe('');
  });

  it('reads the acceptance journey per stage: off unless asked, with a time limit and a read-only switch', () => {
    const [dev, staging, prod] = configWith({
      'dev.journey.enabled': false,
      'staging.journey.enabled': true,
      'staging.journey.timeoutMinutes': '15',
      'prod.journey.enabled': 'true',
      'prod.journey.readOnly': true,
    }).stages;
    expect(dev.journey).toBeUndefined();
    expect(staging.journey).toEqual({ timeoutMinutes: 15, readOnly: false });
    expect(prod.journey).toEqual({ timeoutMinutes: 10, readOnly: true });
  });

  it('refuses the full journey on a production stage unless a break-glass key says why', () => {
    const full = { 'prod.journey.enabled': true, 'prod.journey.readOnly': false };
    expect(problemsWith(full)).toContain('prod.journey.readOnly = false');
    expect(problemsWith(full)).toContain('prod.breakGlass.journeyReadOnly');
    expect(problemsWith({ ...full, 'prod.journey.readOnly': true })).toBe('');
    expect(
      problemsWith({
        ...full,
        'prod.breakGlass.journeyReadOnly': 'Synthetic orders agreed with support, ticket OPS-123, until June',
      }),
    ).toBe('');
    // A stage that is not production runs the full journey without any key.
    expect(problemsWith({ 'staging.journey.enabled': true, 'staging.journey.readOnly': false })).toBe('');
  });

  it('refuses a journey time limit outside 1 to 60 minutes, naming the key', () => {
    expect(problemsWith({ 'staging.journey.enabled': true, 'staging.journey.timeoutMinutes': 90 })).toContain(
      'staging.journey.timeoutMinutes = 90 is not valid: expected a whole number of minutes from 1 to 60.',
    );
  });

  it('refuses a recovery-point age the daily schedule can never meet', () => {
    expect(problemsWith({ 'prod.backup.dr.recoveryPointMaxAgeHours': 1 })).toContain(
      'prod.backup.dr.recoveryPointMaxAgeHours = 1 is not valid: the daily backup runs every 24 hours within a 1-hour start window',
    );
    expect(problemsWith({ 'prod.backup.dr.recoveryPointMaxAgeHours': 25 })).toBe('');
  });

  it('refuses a restore-job age requirement when restore testing is off', () => {
    expect(problemsWith({ 'prod.backup.restoreTesting': false })).toContain(
      'prod.backup.dr.restoreJobMaxAgeDays = 35 can never pass: prod.backup.restoreTesting is false',
    );
  });

  it('names the field of a deployment window that is wrong', () => {
    expect(problemsWith({ 'prod.delivery.window.cron': '* * 25-30 ? * FUNDAY' })).toContain(
      'prod.delivery.window.cron = "* * 25-30 ? * FUNDAY" is not valid: hours field: "25" is not an hour (0-23)',
    );
  });

  it('requires a cron once a window is switched on', () => {
    expect(problemsWith({ 'staging.delivery.window.enabled': true })).toContain(
      'staging.delivery.window.cron is missing',
    );
  });
});

describe('loadConfig: stages come from config', () => {
  it('adds a fourth stage with a config change only, in the order given', () => {
    const config = configWith({ 'pipeline.stages': 'dev,qa,staging,prod', 'qa.account': '444444444444' });
    expect(config.stages.map((s) => s.name)).toEqual(['dev', 'qa', 'staging', 'prod']);
    expect(config.stages[1]).toMatchObject({
      displayName: 'Qa',
      account: '444444444444',
      region: 'eu-west-2',
      backup: undefined,
      retainData: true,
    });
  });

  it('refuses a stage name that cannot be used in resource names, and a repeated stage', () => {
    expect(problemsWith({ 'pipeline.stages': ['dev', 'Prod_EU'] })).toContain(
      'pipeline.stages = ["dev","Prod_EU"] is not valid',
    );
    expect(problemsWith({ 'pipeline.stages': ['dev', 'dev'] })).toContain(
      'pipeline.stages = ["dev","dev"] is not valid: expected a non-empty list of distinct stage names',
    );
  });

  it('names the missing account of a stage added to pipeline.stages', () => {
    expect(problemsWith({ 'pipeline.stages': 'dev,qa,staging,prod' })).toContain(
      'qa.account is missing: expected a 12-digit AWS account id',
    );
  });
});

describe.each<[string, Record<string, unknown>]>([
  ['cdk.json', realContext()],
  ...[BASE_CONFIG_FIXTURE, ADOPTER_CONFIG_FIXTURE].map((file): [string, Record<string, unknown>] => [
    file,
    { ...cdkOwnContext(), ...configFixture(file) },
  ]),
])('%s', (_, ctx) => {
  it('carries no dead settings: no key of a switched-off group', () => {
    // A key is dead when a group above it (`<stage>.backup` for `<stage>.backup.dr.newStageGraceHours`) has enabled = false.
    const dead = Object.keys(ctx).filter((key) => {
      const parts = key.split('.');
      return parts.slice(2).some((_, i) => {
        const switchKey = `${parts.slice(0, i + 2).join('.')}.enabled`;
        return switchKey !== key && ctx[switchKey] === false;
      });
    });
    expect(dead).toEqual([]);
  });

  it('gives every stage an explicit account', () => {
    for (const stage of loadConfig(ctx).stages) expect(ctx[`${stage.name}.account`]).toMatch(/^\d{12}$/);
  });
});
