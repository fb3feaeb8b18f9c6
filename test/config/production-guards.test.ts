import type { StageConfig } from '../../lib/config';
import { STAGE_KEYS } from '../../lib/config/config-keys';
import {
  breakGlassInUse,
  breakGlassWarning,
  MIN_PRODUCTION_BAKE_MINUTES,
  PRODUCTION_GUARDS,
  productionGuardProblems,
} from '../../lib/config/production-guards';
import { declaredKeys } from '../../lib/config/read-keys';
import { fixtureConfig, fixtureProblems, liveStage, REASON } from './fixtures/production-context';

// GIVEN the fixture's production stage `live`, which keeps every guard
const live = liveStage();
const withBreakGlass = (stage: StageConfig, guard: string, reason = REASON): StageConfig => ({
  ...stage,
  breakGlass: { ...stage.breakGlass, [guard]: reason },
});

/** Each guard, a stage that weakens only that guard, and the weakening as the message names it. */
const WEAKENED: ReadonlyArray<[string, StageConfig, string]> = [
  [
    'manualApproval',
    { ...live, delivery: { ...live.delivery, manualApproval: false } },
    'live.delivery.manualApproval = false',
  ],
  ['retainData', { ...live, retainData: false }, 'live.retainData = false'],
  [
    'terminationProtection',
    { ...live, delivery: { ...live.delivery, terminationProtection: false } },
    'live.delivery.terminationProtection = false',
  ],
  [
    'deploymentWindow',
    { ...live, delivery: { ...live.delivery, window: undefined } },
    'live.delivery.window.enabled = false',
  ],
  [
    'rollbackOnFailure',
    { ...live, delivery: { ...live.delivery, rollbackOnFailure: false } },
    'live.delivery.rollbackOnFailure = false',
  ],
  [
    'bake',
    { ...live, delivery: { ...live.delivery, bakeTimeMinutes: MIN_PRODUCTION_BAKE_MINUTES - 1 } },
    `live.delivery.bakeTimeMinutes = ${MIN_PRODUCTION_BAKE_MINUTES - 1}`,
  ],
  [
    'vaultLock',
    { ...live, backup: { ...live.backup!, vaultLock: 'governance' } },
    'live.backup.vaultLock = "governance"',
  ],
  [
    'isolatedCopy',
    { ...live, backup: { ...live.backup!, isolatedCopy: undefined } },
    'live.backup.isolatedCopy.enabled = false',
  ],
  ['sesEmail', { ...live, email: { ...live.email, ses: undefined } }, 'live.email.ses.enabled = false'],
  [
    'driftFailsReview',
    { ...live, changeReview: { ...live.changeReview, failOnDrift: false } },
    'live.changeReview.failOnDrift = false',
  ],
  ['journeyReadOnly', { ...live, journey: { readOnly: false, timeoutMinutes: 10 } }, 'live.journey.readOnly = false'],
];

/** The problems that name `guard`'s break-glass key. */
const about = (problems: readonly string[], guard: string) =>
  problems.filter((p) => p.includes(`live.breakGlass.${guard} `) || p.startsWith(`live.breakGlass.${guard} `));

describe('The production guards', () => {
  it('find nothing to refuse in a production stage that keeps every guard, and no break-glass in use', () => {
    expect(live.production).toBe(true);
    expect(productionGuardProblems(live)).toEqual([]);
    expect(breakGlassInUse(live)).toEqual([]);
  });

  it('are each tried below: every guard of the module has a weakened case here', () => {
    expect(PRODUCTION_GUARDS.map((g) => g.name).sort()).toEqual([...WEAKENED.map(([g]) => g), 'checks'].sort());
  });

  it('each have a declared break-glass key <stage>.breakGlass.<guard>, named in camelCase', () => {
    const declared = declaredKeys('live', STAGE_KEYS).map((k) => k.name);
    for (const guard of PRODUCTION_GUARDS) {
      expect(guard.name).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(declared).toContain(`live.breakGlass.${guard.name}`);
    }
  });

  describe.each(WEAKENED)('%s', (guard, weakened, weakening) => {
    it('refuses the weakened stage without its break-glass key, naming the key, the value, why, and the key to set', () => {
      const problems = productionGuardProblems(weakened);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${weakening.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is refused: `));
      expect(problems[0]).toContain('live is a production stage (live.production = true), which keeps ');
      expect(problems[0]).toContain(PRODUCTION_GUARDS.find((g) => g.name === guard)!.requires);
      expect(problems[0]).toContain('without it ');
      expect(problems[0]).toContain(`set live.breakGlass.${guard} to the reason`);
      expect(problems[0]).toContain('(20 to 300 characters: why, who decided, until when)');
    });

    it('counts a break-glass in use only where the guard is weakened and a reason is given', () => {
      expect(breakGlassInUse(weakened)).toEqual([]);
      expect(breakGlassInUse(withBreakGlass(live, guard))).toEqual([]);
    });

    it('accepts it with a break-glass reason, which synth prints as one warning line', () => {
      const stage = withBreakGlass(weakened, guard);
      expect(productionGuardProblems(stage)).toEqual([]);
      const uses = breakGlassInUse(stage);
      expect(uses).toEqual([{ guard, key: `live.breakGlass.${guard}`, weakened: weakening, reason: REASON }]);
      const warning = breakGlassWarning(stage, uses[0]);
      expect(warning).not.toContain('\n');
      expect(warning).toContain(`live.breakGlass.${guard}`);
      expect(warning).toContain(weakening);
      expect(warning).toContain(REASON);
    });

    it('refuses the break-glass key on a stage that keeps the guard: a stale key would pre-authorise a later weakening', () => {
      const problems = about(productionGuardProblems(withBreakGlass(live, guard)), guard);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        new RegExp(`^live\\.breakGlass\\.${guard} is set, but live keeps .* not in use; remove the key`),
      );
    });
  });

  describe('checks', () => {
    // Backup off removes the DR check, the locked vaults and the isolated copy: the three guards are weakened, and
    // all three must be broken.
    const noBackup: StageConfig = { ...live, backup: undefined };

    it('refuses backup off, naming the checks, vaultLock and isolatedCopy break-glass keys', () => {
      const problems = productionGuardProblems(noBackup);
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(
        /^live\.backup\.enabled = false is refused: .*health and DR checks.*set live\.breakGlass\.checks /,
      );
      expect(problems[1]).toMatch(
        /^live\.backup\.enabled = false is refused: .*Vault Lock in compliance mode.*set live\.breakGlass\.vaultLock /,
      );
      expect(problems[2]).toMatch(
        /^live\.backup\.enabled = false is refused: .*logically air-gapped vault.*set live\.breakGlass\.isolatedCopy /,
      );
    });

    it('accepts it only with the three break-glass keys', () => {
      expect(productionGuardProblems(withBreakGlass(noBackup, 'checks'))).toHaveLength(2);
      const all = withBreakGlass(withBreakGlass(withBreakGlass(noBackup, 'checks'), 'vaultLock'), 'isolatedCopy');
      expect(productionGuardProblems(all)).toEqual([]);
      expect(breakGlassInUse(all).map((b) => [b.guard, b.weakened])).toEqual([
        ['checks', 'live.backup.enabled = false'],
        ['vaultLock', 'live.backup.enabled = false'],
        ['isolatedCopy', 'live.backup.enabled = false'],
      ]);
    });
  });

  describe('vaultLock', () => {
    it('refuses the lock switched off as it refuses governance mode: only compliance mode is kept', () => {
      const off: StageConfig = { ...live, backup: { ...live.backup!, vaultLock: 'off' } };
      expect(productionGuardProblems(off)).toEqual([
        expect.stringMatching(/^live\.backup\.vaultLock = "off" is refused: .*set live\.breakGlass\.vaultLock /),
      ]);
    });
  });

  it(`keeps a bake of exactly ${MIN_PRODUCTION_BAKE_MINUTES} minutes`, () => {
    expect(
      productionGuardProblems({
        ...live,
        delivery: { ...live.delivery, bakeTimeMinutes: MIN_PRODUCTION_BAKE_MINUTES },
      }),
    ).toEqual([]);
  });

  it('leave a stage that is not production alone, but refuse a break-glass key set on it', () => {
    const plain: StageConfig = { ...live, production: false, retainData: false, backup: undefined };
    expect(productionGuardProblems(plain)).toEqual([]);
    expect(breakGlassInUse(withBreakGlass(plain, 'retainData'))).toEqual([]);
    expect(productionGuardProblems(withBreakGlass(plain, 'retainData'))).toEqual([
      'live.breakGlass.retainData is set, but live is not a production stage (live.production = false), so it has no guard to weaken; ' +
        'remove the key (a break-glass left set would let a later change pass without anyone deciding it).',
    ]);
  });

  it('say nothing more about a key whose value was already refused as invalid', () => {
    const weakened = WEAKENED.find(([g]) => g === 'bake')![1];
    expect(productionGuardProblems(weakened, new Set(['live.delivery.bakeTimeMinutes']))).toEqual([]);
  });
});

describe('loadConfig with the production guards', () => {
  it('stops at a weakened guard of a production stage set with -c, once, naming the break-glass key', () => {
    expect(fixtureProblems({ 'live.delivery.manualApproval': 'false' })).toEqual([
      expect.stringMatching(
        /^live\.delivery\.manualApproval = false is refused: .* set live\.breakGlass\.manualApproval to the reason/,
      ),
    ]);
    expect(fixtureProblems({ 'live.retainData': 'false' })).toEqual([
      expect.stringMatching(/^live\.retainData = false is refused: .* set live\.breakGlass\.retainData to the reason/),
    ]);
  });

  it('accepts it with the break-glass key and reads the reason as one line', () => {
    const config = fixtureConfig({
      'live.delivery.manualApproval': 'false',
      'live.breakGlass.manualApproval': `  ${REASON.replace(' ', '\n  ')}  `,
    });
    expect(config.stages[1].breakGlass.manualApproval).toBe(REASON);
  });

  it('refuses a reason shorter than 20 characters, naming what is accepted', () => {
    expect(fixtureProblems({ 'live.retainData': false, 'live.breakGlass.retainData': 'because' })).toEqual([
      'live.breakGlass.retainData = "because" is not valid: expected a reason of 20 to 300 characters (why, who decided, until when).',
    ]);
  });

  it('refuses a bad value once, as invalid, without a second message from its guard', () => {
    expect(fixtureProblems({ 'live.delivery.bakeTimeMinutes': 'soon' })).toEqual([
      'live.delivery.bakeTimeMinutes = "soon" is not valid: expected a whole number of minutes from 0 (off) to 120.',
    ]);
  });

  it('refuses a pipeline without any production stage unless pipeline.breakGlass.noProductionStage says why', () => {
    expect(fixtureProblems({ 'live.production': 'false' })).toEqual([
      expect.stringMatching(
        /^pipeline\.stages = \["test","live"\] has no production stage: .* set pipeline\.breakGlass\.noProductionStage/,
      ),
    ]);
    expect(fixtureProblems({ 'live.production': 'false', 'pipeline.breakGlass.noProductionStage': REASON })).toEqual(
      [],
    );
    expect(fixtureProblems({ 'pipeline.breakGlass.noProductionStage': REASON })).toEqual([
      'pipeline.breakGlass.noProductionStage is set, but live is production, so the break-glass is not in use; remove the key.',
    ]);
  });
});
