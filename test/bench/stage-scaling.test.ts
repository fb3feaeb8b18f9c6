import { secondsPerStage, stageContextArgs } from '../../bench/stage-scaling';
import { configWith } from '../support/context';

/** `-c key=value` pairs as the CLI would pass them, back into an object. */
function asContext(args: string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    expect(args[i]).toBe('-c');
    const [key, ...rest] = args[i + 1].split('=');
    pairs[key] = rest.join('=');
  }
  return pairs;
}

describe('Stage scaling for the bench', () => {
  it('adds stages s4..sN with distinct accounts that the config loader accepts', () => {
    const config = configWith(asContext(stageContextArgs(6)));
    expect(config.stages.map((s) => s.name)).toEqual(['dev', 'staging', 'prod', 's4', 's5', 's6']);
    expect(new Set(config.stages.map((s) => s.account)).size).toBe(6);
    expect(stageContextArgs(3)).toEqual([]);
    expect(() => stageContextArgs(2)).toThrow('count must be a whole number >= 3, got 2');
  });

  it('reports the increment per stage as the slope over the stage counts', () => {
    expect(
      secondsPerStage([
        { stages: 3, ms: 10_000 },
        { stages: 6, ms: 13_000 },
        { stages: 12, ms: 19_000 },
      ]),
    ).toBeCloseTo(1, 6);
    expect(() =>
      secondsPerStage([
        { stages: 3, ms: 1 },
        { stages: 3, ms: 2 },
      ]),
    ).toThrow('two different stage counts');
  });
});
