import { fixtureProblems, liveStage, REASON } from './fixtures/production-context';

/*
 * The committed fixture (test/config/fixtures/production-context.ts), not cdk.json: `live` is a production stage with
 * compliance-mode Vault Lock and an isolated copy, daily rule kept 30 days and weekly 365 (the defaults).
 */
describe('Config of the vault locks and the isolated copy', () => {
  it('reads the isolated copy of a production stage with its defaults', () => {
    expect(liveStage().backup).toMatchObject({
      vaultLock: 'compliance',
      isolatedCopy: { minRetentionDays: 30, maxRetentionDays: 365, copyDelayHours: 12 },
    });
    expect(
      liveStage({ 'live.backup.isolatedCopy.enabled': undefined, 'live.breakGlass.isolatedCopy': REASON }).backup,
    ).toMatchObject({ isolatedCopy: undefined });
  });

  it('refuses governance-mode Vault Lock on a production stage without its break-glass key, naming key, value and why', () => {
    expect(fixtureProblems({ 'live.backup.vaultLock': 'governance' })).toEqual([
      expect.stringMatching(
        /^live\.backup\.vaultLock = "governance" is refused: live is a production stage.*compliance mode.*an administrator of the account can remove the lock.*set live\.breakGlass\.vaultLock /,
      ),
    ]);
    expect(fixtureProblems({ 'live.backup.vaultLock': 'governance', 'live.breakGlass.vaultLock': REASON })).toEqual([]);
  });

  it('refuses a production stage without the isolated copy unless its break-glass key says why', () => {
    expect(fixtureProblems({ 'live.backup.isolatedCopy.enabled': false })).toEqual([
      expect.stringMatching(
        /^live\.backup\.isolatedCopy\.enabled = false is refused: .*logically air-gapped vault.*set live\.breakGlass\.isolatedCopy /,
      ),
    ]);
    expect(
      fixtureProblems({ 'live.backup.isolatedCopy.enabled': false, 'live.breakGlass.isolatedCopy': REASON }),
    ).toEqual([]);
  });

  it("refuses retention bounds that would make the isolated vault refuse a rule's copies", () => {
    expect(fixtureProblems({ 'live.backup.isolatedCopy.minRetentionDays': 31 })).toEqual([
      expect.stringMatching(
        /^live\.backup\.isolatedCopy\.minRetentionDays = 31 is not valid: the isolated vault would refuse the copies of a rule kept 30 days .*expected at most 30\.$/,
      ),
    ]);
    expect(fixtureProblems({ 'live.backup.isolatedCopy.maxRetentionDays': 364 })).toEqual([
      expect.stringMatching(
        /^live\.backup\.isolatedCopy\.maxRetentionDays = 364 is not valid: the isolated vault would refuse the copies of a rule kept 365 days .*expected at least 365\.$/,
      ),
    ]);
    // a rule's retention changed without the vault's bounds is refused as well
    expect(fixtureProblems({ 'live.backup.dailyRetentionDays': 14 })).toEqual([
      expect.stringMatching(/^live\.backup\.isolatedCopy\.minRetentionDays = 30 is not valid: .*kept 14 days/),
    ]);
  });

  it("refuses a minimum retention below AWS Backup's 7 days for an air-gapped vault, naming the key and what it accepts", () => {
    expect(fixtureProblems({ 'live.backup.isolatedCopy.minRetentionDays': 6 })).toEqual([
      expect.stringMatching(/live\.backup\.isolatedCopy\.minRetentionDays.*6.*from 7 to 36500/),
    ]);
  });
});
