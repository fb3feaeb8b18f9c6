import type { GateSpec } from '../../../../contracts/gate-spec';
import {
  guardCommand,
  parseGateSpec,
  parseGuardCommand,
} from '../../../../lambda/pipeline/self-mutation-guard/guard-command';
import { SCRIPT, SPEC } from './fixtures/guarded-pipeline';

/** SPEC as JSON, with `change` applied to a copy first. */
const specJson = (change: (s: Record<string, any>) => void): string => {
  const copy = structuredClone(SPEC) as unknown as Record<string, any>;
  change(copy);
  return JSON.stringify(copy);
};
const live = (s: Record<string, any>) => s.production[0];

describe('the guard command', () => {
  it('writes the script to a temporary .js file and runs it with node on the base64 spec', () => {
    const code = Buffer.from(SCRIPT).toString('base64');
    const json = Buffer.from(JSON.stringify(SPEC)).toString('base64');
    expect(guardCommand(SCRIPT, SPEC)).toBe(
      `guard=$(mktemp --suffix=.js) && echo ${code} | base64 -d > "$guard" && node "$guard" ${json}`,
    );
  });

  it('reads a script given as text the same as its bytes', () => {
    expect(parseGuardCommand(guardCommand('console.log(1)', SPEC))?.script.toString()).toBe('console.log(1)');
  });

  it.each([
    ['something run before it', (c: string) => `true; ${c}`],
    ['something run after it', (c: string) => `${c}; true`],
    ['a spec that is not base64', (c: string) => c.replace(/ \S+$/, ' not*base64')],
    ['padding longer than base64 has', (c: string) => c.replace(/ (\S+)$/, ' $1===')],
  ])('is not read from a command with %s', (_, edit) => {
    expect(parseGuardCommand(edit(guardCommand(SCRIPT, SPEC)))).toBeUndefined();
  });

  it('reads the padding base64 has', () => {
    const spec: GateSpec = { ...SPEC, pipelineName: 'abc' };
    const json = JSON.stringify(spec);
    expect(Buffer.from(json).toString('base64')).toMatch(/[^=]==$/);
    expect(parseGuardCommand(guardCommand(SCRIPT, spec))?.specJson).toBe(json);
  });
});

describe('the gate spec', () => {
  it('is read with every gate it names', () => {
    expect(parseGateSpec(JSON.stringify(SPEC))).toEqual(SPEC);
  });

  it('is read without the optional gates: no approval, no window, no bake', () => {
    const bare = specJson((s) => {
      delete live(s).approval;
      delete live(s).window;
      delete live(s).bake;
      live(s).checks = [];
      live(s).rollbackOnFailure = false;
    });
    expect(parseGateSpec(bare).production).toEqual([{ stage: 'Live', rollbackOnFailure: false, checks: [] }]);
  });

  it('keeps a bake of exactly 1 minute', () => {
    expect(parseGateSpec(specJson((s) => (live(s).bake.minutes = 1))).production[0].bake?.minutes).toBe(1);
  });

  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['no version (an empty object)', (s) => Object.keys(s).forEach((k) => delete s[k]), 'version is not 1'],
    ['no pipeline name', (s) => delete s.pipelineName, 'pipelineName is not a non-empty string'],
    ['an empty pipeline name', (s) => (s.pipelineName = ''), 'pipelineName is not a non-empty string'],
    ['no stack location', (s) => delete s.pipelineStack, 'pipelineStack is not an object'],
    ['a stack location that is a list', (s) => (s.pipelineStack = []), 'pipelineStack is not an object'],
    ['a stack location that is null', (s) => (s.pipelineStack = null), 'pipelineStack is not an object'],
    ['no assembly', (s) => delete s.pipelineStack.assembly, 'pipelineStack.assembly is not a non-empty string'],
    ['no stack', (s) => delete s.pipelineStack.stack, 'pipelineStack.stack is not a non-empty string'],
    ['no self-mutation step', (s) => delete s.selfMutation, 'selfMutation is not an object'],
    ['no self-mutation stage', (s) => (s.selfMutation.stage = 3), 'selfMutation.stage is not a non-empty string'],
    ['no self-mutation action', (s) => delete s.selfMutation.action, 'selfMutation.action is not a non-empty string'],
    ['production not a list', (s) => (s.production = {}), 'production is not a list'],
    ['a production stage not an object', (s) => (s.production = ['Live']), 'production[0] is not an object'],
    ['a stage without a name', (s) => delete live(s).stage, 'production[0].stage is not a non-empty string'],
    [
      'no rollback flag',
      (s) => delete live(s).rollbackOnFailure,
      'production[0].rollbackOnFailure is not true or false',
    ],
    ['an approval not an object', (s) => (live(s).approval = 'yes'), 'production[0].approval is not an object'],
    [
      'no approval stage',
      (s) => delete live(s).approval.stage,
      'production[0].approval.stage is not a non-empty string',
    ],
    [
      'approval actions not a list',
      (s) => (live(s).approval.actions = null),
      'production[0].approval.actions is not a list',
    ],
    [
      'an approval action without a name',
      (s) => delete live(s).approval.actions[1].name,
      'production[0].approval.actions[1].name is not a non-empty string',
    ],
    [
      'an approval action without a category',
      (s) => delete live(s).approval.actions[0].category,
      'production[0].approval.actions[0].category is not a non-empty string',
    ],
    [
      'an approval action without a provider',
      (s) => delete live(s).approval.actions[0].provider,
      'production[0].approval.actions[0].provider is not a non-empty string',
    ],
    ['a window not an object', (s) => (live(s).window = []), 'production[0].window is not an object'],
    [
      'a window without a cron',
      (s) => delete live(s).window.cron,
      'production[0].window.cron is not a non-empty string',
    ],
    [
      'a window without a time zone',
      (s) => delete live(s).window.timeZone,
      'production[0].window.timeZone is not a non-empty string',
    ],
    ['a bake not an object', (s) => (live(s).bake = 30), 'production[0].bake is not an object'],
    [
      'a bake without minutes',
      (s) => delete live(s).bake.minutes,
      'production[0].bake.minutes is not a whole number of minutes, at least 1',
    ],
    [
      'a bake of 0 minutes',
      (s) => (live(s).bake.minutes = 0),
      'production[0].bake.minutes is not a whole number of minutes, at least 1',
    ],
    [
      'a bake of 1.5 minutes',
      (s) => (live(s).bake.minutes = 1.5),
      'production[0].bake.minutes is not a whole number of minutes, at least 1',
    ],
    [
      'a bake of "30" minutes',
      (s) => (live(s).bake.minutes = '30'),
      'production[0].bake.minutes is not a whole number of minutes, at least 1',
    ],
    ['a bake without an action', (s) => delete live(s).bake.action, 'production[0].bake.action is not an object'],
    [
      'a bake action without a name',
      (s) => delete live(s).bake.action.name,
      'production[0].bake.action.name is not a non-empty string',
    ],
    [
      'a bake without an alarm',
      (s) => delete live(s).bake.alarmName,
      'production[0].bake.alarmName is not a non-empty string',
    ],
    ['checks not a list', (s) => delete live(s).checks, 'production[0].checks is not a list'],
    [
      'a check without a provider',
      (s) => delete live(s).checks[2].provider,
      'production[0].checks[2].provider is not a non-empty string',
    ],
  ])('is refused with %s, naming the field', (_, change, message) => {
    expect(() => parseGateSpec(specJson(change))).toThrow(new Error(`gate spec: ${message}`));
  });

  it("is refused when it is not JSON, with the parser's message and its error as the cause", () => {
    expect(() => parseGateSpec('{"version":')).toThrow(/^gate spec: not JSON \(.+\)$/);
    expect(() => parseGateSpec('{"version":')).toThrow(expect.objectContaining({ cause: expect.any(SyntaxError) }));
  });

  it('is refused when it is a list', () => {
    expect(() => parseGateSpec('[]')).toThrow(new Error('gate spec: the spec is not an object'));
  });
});
