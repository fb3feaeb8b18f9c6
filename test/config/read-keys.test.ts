import { GATE_KEYS, STAGE_KEYS } from '../../lib/config/config-keys';
import { allConfigKeys } from '../../lib/config/load-config';
import { declaredKeys, invalidKeys, nearestKeys, orList, readScope, show } from '../../lib/config/read-keys';

describe('readScope', () => {
  it('applies defaults, reads null as unset, and reports a required key that is missing', () => {
    const problems: string[] = [];
    const stage = readScope({ 'qa.account': null, 'qa.region': null }, 'qa', STAGE_KEYS, problems);
    expect(problems).toEqual(['qa.account is missing: expected a 12-digit AWS account id.']);
    expect(stage.region).toBe('eu-west-2');
    expect(stage.api).toEqual({ throttleRateLimit: 100, throttleBurstLimit: 200 });
  });

  it('reports a bad value with the key, the value as JSON and what is accepted, and reads the default in its place', () => {
    const problems: string[] = [];
    const gates = readScope({ 'gates.controlTower': 'yes' }, 'gates', GATE_KEYS, problems);
    expect(problems).toEqual(['gates.controlTower = "yes" is not valid: expected true or false.']);
    expect(gates.controlTower).toBe(false);
  });

  it("puts a key's explanation before what it accepts, and leaves it out when the key has none for the value", () => {
    const problems: string[] = [];
    readScope(
      {
        'qa.account': '111111111111',
        'qa.delivery.window.enabled': true,
        'qa.delivery.window.cron': '* 0 10 L-31 * ?',
        'qa.ai.modelId': 42,
      },
      'qa',
      STAGE_KEYS,
      problems,
    );
    expect(problems).toEqual([
      'qa.ai.modelId = 42 is not valid: expected a Claude API model id Anthropic has not retired, such as claude-sonnet-4-6 (retired ids: contracts/ai-models.ts).',
      'qa.delivery.window.cron = "* 0 10 L-31 * ?" is not valid: day-of-month field: "L-31" is more than 30 days before the last day; ' +
        'expected a CodePipeline DeploymentWindow cron (seconds field *) such as "* * 9-15 ? * MON-THU".',
    ]);
  });

  it('refuses a retired Claude model, saying when Anthropic retired it', () => {
    const problems: string[] = [];
    readScope({ 'qa.account': '111111111111', 'qa.ai.modelId': ' claude-2.1 ' }, 'qa', STAGE_KEYS, problems);
    expect(problems).toEqual([
      expect.stringMatching(
        /^qa\.ai\.modelId = " claude-2\.1 " is not valid: Anthropic retired claude-2\.1 on 2025-07-21, so every request to it fails/,
      ),
    ]);
  });

  it('refuses a cron or a model id of the wrong type or shape with what is accepted, and no explanation to give', () => {
    const problems: string[] = [];
    readScope(
      {
        'qa.account': '111111111111',
        'qa.delivery.window.enabled': true,
        'qa.delivery.window.cron': 5,
        'qa.ai.modelId': 'Claude Sonnet',
      },
      'qa',
      STAGE_KEYS,
      problems,
    );
    expect(problems).toEqual([
      'qa.ai.modelId = "Claude Sonnet" is not valid: expected a Claude API model id Anthropic has not retired, such as claude-sonnet-4-6 (retired ids: contracts/ai-models.ts).',
      'qa.delivery.window.cron = 5 is not valid: expected a CodePipeline DeploymentWindow cron (seconds field *) such as "* * 9-15 ? * MON-THU".',
    ]);
  });

  it.each(['claude-haiku-4-5', 'claude-opus-4-1-20250805', '7b.model-x'])(
    'reads the model id %s that is not retired, as written',
    (id) => {
      const problems: string[] = [];
      const stage = readScope({ 'qa.account': '111111111111', 'qa.ai.modelId': id }, 'qa', STAGE_KEYS, problems);
      expect(problems).toEqual([]);
      expect(stage.ai.modelId).toBe(id);
    },
  );

  it.each(['-claude-haiku-4-5', 'claude haiku', 'claude_haiku', 'claude-haiku-4-5/v1', 'Claude-haiku'])(
    'refuses the model id %j: lower-case letters, digits, dots and hyphens, starting with a letter or digit',
    (id) => {
      const problems: string[] = [];
      readScope({ 'qa.account': '111111111111', 'qa.ai.modelId': id }, 'qa', STAGE_KEYS, problems);
      expect(problems).toEqual([
        expect.stringMatching(/^qa\.ai\.modelId = .* is not valid: expected a Claude API model id/),
      ]);
    },
  );

  it('reads a switched-off group as undefined without reading its keys, and a switched-on group with its defaults', () => {
    const problems: string[] = [];
    const off = readScope(
      { 'qa.account': '111111111111', 'qa.backup.enabled': 'false', 'qa.backup.dailyRetentionDays': 'never' },
      'qa',
      STAGE_KEYS,
      problems,
    );
    expect(problems).toEqual([]);
    expect(off.backup).toBeUndefined();
    const on = readScope({ 'qa.account': '111111111111', 'qa.waf.enabled': true }, 'qa', STAGE_KEYS, problems);
    expect(on.waf).toEqual({ rateLimit: 2000 });
    expect(problems).toEqual([]);
  });
});

describe('declaredKeys and allConfigKeys', () => {
  it('name every key by its full path, switches of groups included, once each', () => {
    const names = allConfigKeys().map((k) => k.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'pipeline.account',
        'pipeline.breakGlass.noProductionStage',
        'gates.controlTower',
        '<stage>.backup.enabled',
        '<stage>.backup.isolatedCopy.enabled',
        '<stage>.backup.dr.recoveryPointMaxAgeHours',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(declaredKeys('gates', GATE_KEYS).map((k) => k.name)).toEqual(['gates.controlTower', 'gates.cfnValidation']);
  });
});

describe('invalidKeys', () => {
  it('lists the keys set to a value their parser refuses, not the unset or null ones', () => {
    expect(
      invalidKeys(
        { 'qa.account': null, 'qa.region': 'mars-1', 'qa.delivery.bakeTimeMinutes': 30, 'qa.monitoring': 'verbose' },
        'qa',
        STAGE_KEYS,
      ),
    ).toEqual(new Set(['qa.region', 'qa.monitoring']));
  });
});

describe('nearestKeys', () => {
  const known = ['pipeline.branch', 'pipeline.stages', 'live.retainData', 'live.delivery.manualApproval'];

  it('finds the key one edit away, ignoring case', () => {
    expect(nearestKeys('pipeline.branchh', known)).toEqual(['pipeline.branch']);
    expect(nearestKeys('PIPELINE.STAGES', known)).toEqual(['pipeline.stages']);
  });

  it('compares a name without a scope with the last part of each key', () => {
    expect(nearestKeys('manualAproval', known)).toEqual(['live.delivery.manualApproval']);
  });

  it('gives the longest declared key that a deeper name extends', () => {
    expect(nearestKeys('live.retainData.enabled.x', [...known, 'live.retainData.enabled'])).toEqual([
      'live.retainData.enabled',
    ]);
  });

  it('gives at most `max` of the equally near keys, in the order given', () => {
    const keys = ['a.x1', 'a.x2', 'a.x3', 'a.x4'];
    expect(nearestKeys('a.x', keys)).toEqual(['a.x1', 'a.x2', 'a.x3']);
    expect(nearestKeys('a.x', keys, 2)).toEqual(['a.x1', 'a.x2']);
  });
});

describe('orList and show', () => {
  it('join names the way a sentence does', () => {
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(orList)).toEqual(['', 'a', 'a or b', 'a, b or c']);
  });

  it('show a value as JSON, and what JSON cannot show as text', () => {
    expect(show('x')).toBe('"x"');
    expect(show(['a', 1])).toBe('["a",1]');
    expect(show(undefined)).toBe('undefined');
  });
});
