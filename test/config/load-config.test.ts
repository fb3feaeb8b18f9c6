import { ConfigError, loadConfig } from '../../lib/config';
import { configWith, contextWith } from '../support/context';

/** The message loadConfig throws for the default context with `overrides`, or '' when it accepts it. */
function problemsWith(overrides: Record<string, unknown>): string {
  const ctx = contextWith(overrides);
  try {
    loadConfig((key) => ctx[key]);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe('loadConfig', () => {
  it('accepts the defaults in cdk.json, with three stages in promotion order', () => {
    const config = configWith();
    expect(config.stages.map((s) => s.name)).toEqual(['dev', 'staging', 'prod']);
    expect(config.stages.map((s) => s.displayName)).toEqual(['Dev', 'Staging', 'Prod']);
  });

  it('reads the seed\'s feature matrix: no WAF, CloudTrail or backup in dev; all of them in staging and prod', () => {
    const [dev, staging, prod] = configWith().stages;
    expect(dev.features).toMatchObject({ waf: false, cloudTrail: false, backup: undefined, retainData: false, monitoring: 'basic' });
    for (const s of [staging, prod]) {
      expect(s.features).toMatchObject({ waf: true, cloudTrail: true, retainData: true, monitoring: 'full' });
      expect(s.features.backup).toBeDefined();
    }
    expect(prod.features.terminationProtection).toBe(true);
    expect(prod.manualApproval).toBe(true);
  });

  it('takes -c overrides, which arrive as strings', () => {
    const config = configWith({ 'dev.account': '123456789012', 'dev.waf': 'true', 'dev.provisionedConcurrency': '3', 'dev.alertEmails': 'a@example.com, b@example.org' });
    expect(config.stages[0]).toMatchObject({
      account: '123456789012',
      alertEmails: ['a@example.com', 'b@example.org'],
      features: expect.objectContaining({ waf: true, provisionedConcurrency: 3 }),
    });
  });

  it('turns the prod deployment window off with "off"', () => {
    expect(configWith({ 'pipeline.prodDeploymentWindow': 'off' }).pipeline.prodDeploymentWindow).toBeUndefined();
    expect(configWith().pipeline.prodDeploymentWindow).toEqual({ cron: '* * 9-15 ? * MON-THU', timeZone: 'Europe/London' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an account that is not 12 digits', { 'prod.account': '12345' }, 'prod.account = "12345" is not valid: expected a 12-digit AWS account id'],
    ['an account with letters', { 'pipeline.account': '12345678901x' }, 'pipeline.account = "12345678901x" is not valid: expected a 12-digit AWS account id'],
    ['an unknown region', { 'staging.region': 'eu-middle-9' }, 'staging.region = "eu-middle-9" is not valid: expected a known AWS region'],
    ['an unknown DR region', { 'dev.drRegion': 'mars-1' }, 'dev.drRegion = "mars-1" is not valid: expected a known AWS region'],
    ['a DR region equal to the primary', { 'prod.drRegion': 'eu-west-2' }, 'prod.drRegion = "eu-west-2" is not valid: expected a region other than prod.region ("eu-west-2")'],
    ['a malformed connection ARN', { 'pipeline.connectionArn': 'arn:aws:s3:::bucket' }, 'pipeline.connectionArn = "arn:aws:s3:::bucket" is not valid: expected arn:aws:codeconnections:'],
    ['a malformed e-mail', { 'staging.alertEmails': ['ops@example.com', 'not-an-email'] }, 'staging.alertEmails = ["ops@example.com","not-an-email"] is not valid: expected a list of e-mail addresses'],
    ['a malformed notification e-mail', { 'pipeline.notificationEmails': 'team@' }, 'pipeline.notificationEmails = "team@" is not valid: expected a list of e-mail addresses'],
    ['a repository not in owner/name form', { 'pipeline.repository': 'just-a-name' }, 'pipeline.repository = "just-a-name" is not valid: expected a Git repository in owner/name form'],
    ['a missing key', { 'staging.account': undefined }, 'staging.account is missing: expected a 12-digit AWS account id'],
    ['two stages on one account and region', { 'staging.account': '111111111111' }, 'staging.account = "111111111111" is not valid: dev already deploys to account 111111111111 in eu-west-2'],
    ['a boolean that is not true or false', { 'prod.waf': 'yes' }, 'prod.waf = "yes" is not valid: expected true or false'],
    ['a monitoring level that does not exist', { 'dev.monitoring': 'verbose' }, 'dev.monitoring = "verbose" is not valid: expected basic or full'],
    ['a log retention CloudWatch does not offer', { 'dev.logRetentionDays': 10 }, 'dev.logRetentionDays = 10 is not valid: expected one of 1, 3, 5, 7, 14'],
    ['a bake time above two hours', { 'prod.bakeTimeMinutes': '500' }, 'prod.bakeTimeMinutes = "500" is not valid: expected a whole number of minutes from 0 (off) to 120'],
    ['a cold-storage rule AWS Backup rejects', { 'prod.backup.weeklyRetentionDays': 60 }, 'prod.backup.weeklyRetentionDays = 60 is not valid: AWS Backup keeps a cold recovery point at least 90 days, so with prod.backup.weeklyColdStorageAfterDays = 7 it must be at least 97'],
    ['a deployment window that is not a cron', { 'pipeline.prodDeploymentWindow': 'weekdays' }, 'pipeline.prodDeploymentWindow = "weekdays" is not valid: expected "off" or a CodePipeline cron'],
    ['an unknown time zone', { 'pipeline.prodDeploymentWindowTimeZone': 'Europe/Atlantis' }, 'pipeline.prodDeploymentWindowTimeZone = "Europe/Atlantis" is not valid: expected an IANA time zone'],
    ['a restore job age beyond a year', { 'prod.backup.restoreJobMaxAgeDays': 400 }, 'prod.backup.restoreJobMaxAgeDays = 400 is not valid: expected a whole number of days from 0 (not required) to 365'],
    ['a branch name git rejects', { 'pipeline.branch': 'feature..x' }, 'pipeline.branch = "feature..x" is not valid: expected a Git branch name'],
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
