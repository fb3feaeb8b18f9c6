/** Synthesizes a whole pipeline of three production stages. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { BreakGlassInUse, StageConfig } from '../../lib/config';
import { PRODUCTION_GUARDS } from '../../lib/config';
import { approvalComment, APPROVAL_TIMEOUT_DAYS, MAX_APPROVAL_COMMENT_LENGTH } from '../../lib/pipeline/approval-step';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../stages/platform-stage';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { fixtureConfig, fixtureContext, liveStage, REASON } from '../config/fixtures/production-context';
import { pipelineStages } from '../support/pipeline-shape';

/** The longest stage name the loader accepts (`pipeline.stages`: at most 12 characters). */
const LONGEST = 12;

const live = liveStage();
const named = (name: string): StageConfig => ({
  ...live,
  name,
  displayName: name.charAt(0).toUpperCase() + name.slice(1),
});
const uses = (guards: readonly string[]): BreakGlassInUse[] =>
  guards.map((guard) => ({ guard, key: `x.breakGlass.${guard}`, weakened: `x.${guard} = false`, reason: REASON }));

/** Every subset of the guards, as lists in declaration order. */
const GUARD_SUBSETS: string[][] = Array.from({ length: 2 ** PRODUCTION_GUARDS.length }, (_, mask) =>
  PRODUCTION_GUARDS.filter((_, i) => mask & (1 << i)).map((g) => g.name),
);

describe('The approval comment, for every stage name length and every set of break-glass keys', () => {
  it(`fits in ${MAX_APPROVAL_COMMENT_LENGTH} characters and still says what is approved, that a break-glass is in use, and when it expires`, () => {
    // Checked in plain code and asserted once: some 80,000 comments, each with four properties.
    let tried = 0;
    const wrong: string[] = [];
    for (let n = 1; n <= LONGEST; n += 1) {
      for (let m = 0; m <= LONGEST; m += 1) {
        const stage = named('s'.repeat(n));
        const previous = m === 0 ? undefined : named('p'.repeat(m));
        for (const guards of GUARD_SUBSETS) {
          const comment = approvalComment(stage, previous, uses(guards));
          const ok =
            comment.length <= MAX_APPROVAL_COMMENT_LENGTH &&
            comment.startsWith(`Approve to deploy this commit to ${stage.displayName} `) &&
            comment.endsWith(`Expires after ${APPROVAL_TIMEOUT_DAYS} days.`) &&
            comment.includes('BREAK-GLASS in use') === guards.length > 0;
          if (!ok) wrong.push(`${stage.name} after ${previous?.name} with [${guards}]: ${comment.length}: ${comment}`);
          tried += 1;
        }
      }
    }
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(tried).toBe(LONGEST * (LONGEST + 1) * GUARD_SUBSETS.length);
  });

  it('names every resource to check where the names leave room, and every guard under break-glass before them', () => {
    const plain = approvalComment(named('live'), named('test'));
    expect(plain).toContain('dashboard uk-home-improvement-test-dashboard shows no alarm');
    expect(plain).toContain('uk-home-improvement-test-stage-unhealthy is OK');
    const broken = approvalComment(named('live'), named('test'), uses(['retainData', 'bake', 'vaultLock']));
    expect(broken).toContain('BREAK-GLASS in use: retainData, bake, vaultLock (reasons in the change review report).');
    expect(broken).toContain('uk-home-improvement-test-stage-unhealthy is OK');
  });

  it('counts the guards instead of naming them when the longest names leave no room for the list', () => {
    const all = PRODUCTION_GUARDS.map((g) => g.name);
    const comment = approvalComment(named('s'.repeat(LONGEST)), named('p'.repeat(LONGEST)), uses(all));
    expect(comment).toContain(`BREAK-GLASS in use for ${all.length} guards (named in the change review report).`);
  });
});

describe('A pipeline of production stages with the longest names, approvals on and break-glass keys set', () => {
  // GIVEN three production stages with 12-character names, each with an approval and every other guard
  // weakened under break-glass (backup off takes the checks and the Vault Lock; the full journey its read-only guard)
  const names = ['developmentx', 'stagingeuwst', 'productionuk'];
  const stageKeys = (name: string, i: number): Record<string, unknown> => ({
    [`${name}.account`]: String(111111111111 * (i + 1)),
    [`${name}.production`]: true,
    [`${name}.delivery.manualApproval`]: true,
    [`${name}.retainData`]: false,
    [`${name}.delivery.terminationProtection`]: false,
    [`${name}.delivery.rollbackOnFailure`]: false,
    [`${name}.delivery.bakeTimeMinutes`]: 0,
    [`${name}.changeReview.failOnDrift`]: false,
    [`${name}.journey.enabled`]: true,
    [`${name}.journey.readOnly`]: false,
    ...Object.fromEntries(
      PRODUCTION_GUARDS.filter((g) => g.name !== 'manualApproval').map((g) => [`${name}.breakGlass.${g.name}`, REASON]),
    ),
  });
  const overrides: Record<string, unknown> = {
    ...Object.fromEntries(
      Object.keys(fixtureContext())
        .filter((k) => /^(test|live)\./.test(k))
        .map((k) => [k, undefined]),
    ),
    'pipeline.stages': names,
    ...Object.assign({}, ...names.map(stageKeys)),
  };

  it('loads, builds and synthesizes without an exception, every approval comment within the limit', () => {
    const config = fixtureConfig(overrides);
    const app = new App({ context: { ...fixtureContext(overrides), ...NO_BUNDLING } });
    let template: Template | undefined;
    expect(() => {
      template = Template.fromStack(
        new PipelineStack(app, 'PipelineStack', { config, stageFactory: createPlatformStage }),
      );
    }).not.toThrow();
    const approvals = pipelineStages(template!)
      .flatMap((s) => s.actions)
      .filter((a) => a.category === 'Approval');
    expect(approvals.map((a) => a.name)).toEqual(
      names.map((n) => `ApproveTo${n.charAt(0).toUpperCase()}${n.slice(1)}`),
    );
    for (const approval of approvals) {
      const comment = approval.configuration.CustomData as string;
      expect(comment.length).toBeLessThanOrEqual(MAX_APPROVAL_COMMENT_LENGTH);
      expect(comment).toContain('BREAK-GLASS in use');
    }
  });
});
