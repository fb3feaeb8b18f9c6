import { fixtureProblems, PRODUCTION_FIXTURE } from './fixtures/production-context';

describe('loadConfig: a context key that is not declared stops synth, whatever its shape', () => {
  it.each<[string, string, string]>([
    ['a capital letter in the stage', 'Live.delivery.manualApproval', 'live.delivery.manualApproval'],
    ['a capital letter in the key', 'live.delivery.ManualApproval', 'live.delivery.manualApproval'],
    ['an underscore', 'live.delivery.manual_approval', 'live.delivery.manualApproval'],
    ['a hyphen', 'live.delivery.manual-approval', 'live.delivery.manualApproval'],
    ['a digit', 'live.delivery.bakeTimeMinutes2', 'live.delivery.bakeTimeMinutes'],
    ['a misspelled group', 'live.delivry.manualApproval', 'live.delivery.manualApproval'],
    ['an unknown scope', 'prod.delivery.manualApproval', 'live.delivery.manualApproval'],
    ['an upper-case unknown scope', 'PIPELINE.account', 'pipeline.account'],
    ['no scope at all', 'bakeTimeMinutes', 'live.delivery.bakeTimeMinutes'],
    ['snake case throughout', 'pipeline_stages', 'pipeline.stages'],
    ['a key below a key', 'live.retainData.enabled', 'live.retainData'],
    ['a space', 'live.retainData ', 'live.retainData'],
  ])('%s (%s), naming the nearest declared key', (_shape, key, nearest) => {
    const problems = fixtureProblems({ [key]: 'false' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a known key: `));
    expect(problems[0]).toMatch(/did you mean [^?]+\?/);
    expect(/did you mean ([^?]+)\?/.exec(problems[0])![1].split(/, | or /)).toContain(nearest);
  });

  it('says keys are case-sensitive when only the case of a stage differs', () => {
    expect(fixtureProblems({ 'Live.retainData': false })).toEqual([
      'Live.retainData is not a known key: did you mean live.retainData? Keys are case-sensitive.',
    ]);
  });

  it('names the stages when the scope is neither a stage nor pipeline or gates', () => {
    expect(fixtureProblems({ 'prod.account': '444444444444' })).toEqual([
      'prod.account is not a known key: "prod" is not a stage of pipeline.stages (test, live) nor pipeline or gates; ' +
        'did you mean test.account or live.account? To configure a new stage, add it to pipeline.stages.',
    ]);
  });

  it("refuses keys of a stage that is no longer in pipeline.stages (cdk.json's old settings)", () => {
    expect(fixtureProblems({ 'pipeline.stages': ['live'] })).toEqual([
      expect.stringMatching(/^test\.account is not a known key: "test" is not a stage of pipeline\.stages \(live\)/),
    ]);
  });
});

describe("loadConfig: the CDK's own context keys stay allowed", () => {
  it.each<[string, unknown]>([
    ['@aws-cdk/core:newStyleStackSynthesis', true],
    ['@aws-cdk/aws-iam.arnSizeEstimate', true],
    ['@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver', true],
    // What the CDK CLI passes to every app it runs (seen in `cdk synth`'s CDK_CONTEXT_JSON), and what tests set.
    ['aws:cdk:enable-path-metadata', true],
    ['aws:cdk:enable-asset-metadata', true],
    ['aws:cdk:version-reporting', true],
    ['aws:cdk:bundling-stacks', ['**']],
    ['aws:cdk:disable-version-reporting', true],
    ['aws:cdk:disable-asset-staging', true],
    ['aws:cdk:disable-creation-stack-traces', true],
    ['aws-cdk:enableDiffNoFail', true],
    ['cli-telemetry', false],
    ['acknowledged-issue-numbers', [12345]],
    ['assets-ecr-repository-name', 'repo'],
    // Lookup results cached in cdk.context.json, one prefix per context provider.
    ['availability-zones:account=333333333333:region=eu-west-2', ['eu-west-2a']],
    ['ssm:account=333333333333:parameterName=/x:region=eu-west-2', 'value'],
    ['hosted-zone:account=333333333333:domainName=example.com:region=eu-west-2', {}],
    ['vpc-provider:account=333333333333:filter.isDefault=true:region=eu-west-2', {}],
  ])('%s', (key, value) => {
    expect(fixtureProblems({ [key]: value })).toEqual([]);
  });

  it('but not a key that only looks like a lookup or a flag', () => {
    expect(fixtureProblems({ 'live:retainData': false })).toHaveLength(1);
    expect(fixtureProblems({ '@live/retainData': false })).toHaveLength(1);
    expect(fixtureProblems({ 'aws-cdk-lib.flag': false })).toHaveLength(1);
  });

  it('and the fixture itself holds only declared keys', () => {
    expect(Object.keys(PRODUCTION_FIXTURE).length).toBeGreaterThan(0);
    expect(fixtureProblems({})).toEqual([]);
  });
});
