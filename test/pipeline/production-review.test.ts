import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CHANGE_REVIEW_ENV } from '../../contracts/env-names';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../stages/platform-stage';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { fixtureConfig, fixtureContext, REASON } from '../config/fixtures/production-context';
import { pipelineStages, stageNamed } from '../support/pipeline-shape';

/** The pipeline of the fixture config (test, then the production stage live) with `overrides`. */
function pipelineOf(overrides: Record<string, unknown>) {
  const app = new App({ context: { ...fixtureContext(overrides), ...NO_BUNDLING } });
  const stack = new PipelineStack(app, 'PipelineStack', {
    config: fixtureConfig(overrides),
    stageFactory: createPlatformStage,
  });
  return { stack, template: Template.fromStack(stack) };
}

/** The change review projects' environment variables, by the pipeline stage each review runs in. */
function reviewEnvironments(template: Template): Record<string, Record<string, string>> {
  const projects = template.findResources('AWS::CodeBuild::Project', {
    Properties: {
      Environment: {
        EnvironmentVariables: Match.arrayWith([Match.objectLike({ Name: CHANGE_REVIEW_ENV.parameters })]),
      },
    },
  });
  return Object.fromEntries(
    Object.values(projects).map((p) => {
      const vars = Object.fromEntries(
        (p.Properties.Environment.EnvironmentVariables as Array<{ Name: string; Value: string }>).map((v) => [
          v.Name,
          v.Value,
        ]),
      );
      return [vars[CHANGE_REVIEW_ENV.pipelineStage], vars];
    }),
  );
}

describe('A production stage without an approval (manualApproval under break-glass)', () => {
  // GIVEN the production stage live without its approval and without retained data, both under break-glass
  const { stack, template } = pipelineOf({
    'live.delivery.manualApproval': false,
    'live.breakGlass.manualApproval': REASON,
    'live.retainData': false,
    'live.breakGlass.retainData': REASON,
  });

  it('still gets its change review, in a pipeline stage of its own right before it, with nothing else there', () => {
    const names = pipelineStages(template).map((s) => s.name);
    expect(names.slice(names.indexOf('Test'))).toEqual(['Test', 'ReviewLive', 'Live']);
    expect(stageNamed(template, 'ReviewLive').actions.map((a) => [a.name, a.category, a.provider])).toEqual([
      ['ChangeReview', 'Build', 'CodeBuild'],
    ]);
    expect(
      pipelineStages(template)
        .flatMap((s) => s.actions)
        .filter((a) => a.category === 'Approval'),
    ).toEqual([]);
  });

  it('so a failed review fails only that stage: it has no rollback, the production stage keeps its own', () => {
    expect(stageNamed(template, 'ReviewLive').raw.OnFailure).toBeUndefined();
    expect(stageNamed(template, 'ReviewLive').raw.BeforeEntry).toBeUndefined();
    expect(stageNamed(template, 'Live').raw.OnFailure).toEqual({ Result: 'ROLLBACK' });
  });

  it('tells the review the pipeline stage it runs in (where the execution notifier looks) and the break-glass in use', () => {
    const env = reviewEnvironments(template);
    expect(Object.keys(env)).toEqual(['ReviewLive']);
    const params = JSON.parse(env.ReviewLive[CHANGE_REVIEW_ENV.parameters]);
    expect(params.stage).toBe('live');
    expect(params.breakGlass).toEqual([
      {
        guard: 'manualApproval',
        key: 'live.breakGlass.manualApproval',
        weakened: 'live.delivery.manualApproval = false',
        reason: REASON,
      },
      { guard: 'retainData', key: 'live.breakGlass.retainData', weakened: 'live.retainData = false', reason: REASON },
    ]);
  });

  it('prints one synth warning per break-glass, naming the key, the weakening and the reason', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('BREAK-GLASS'));
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining(
        `live.breakGlass.manualApproval: production stage live goes without its manualApproval guard (live.delivery.manualApproval = false). Reason: ${REASON}`,
      ),
      expect.stringContaining(
        `live.breakGlass.retainData: production stage live goes without its retainData guard (live.retainData = false). Reason: ${REASON}`,
      ),
    ]);
  });
});

describe('Stages that keep their approval, and a stage that is not production', () => {
  // GIVEN test (not production) with an approval, and live with its approval and a break-glass on its bake
  const { stack, template } = pipelineOf({
    'test.delivery.manualApproval': true,
    'live.delivery.bakeTimeMinutes': 0,
    'live.breakGlass.bake': REASON,
  });

  it('review before each approval, in the approval stage, and nowhere else', () => {
    // (CDK Pipelines puts the Assets stage before the first stage that deploys, after an approval stage that does not.)
    const names = pipelineStages(template)
      .map((s) => s.name)
      .filter((n) => n !== 'Assets');
    expect(names.slice(names.indexOf('ApproveTest'))).toEqual(['ApproveTest', 'Test', 'ApproveLive', 'Live']);
    for (const name of ['ApproveTest', 'ApproveLive']) {
      expect(stageNamed(template, name).actions.map((a) => [a.name, a.runOrder])).toEqual([
        ['ChangeReview', 1],
        [`ApproveTo${name.slice('Approve'.length)}`, 2],
      ]);
    }
    expect(Object.keys(reviewEnvironments(template)).sort()).toEqual(['ApproveLive', 'ApproveTest']);
  });

  it("name the break-glass in the production stage's approval request, and none in the other's", () => {
    const comment = (name: string) =>
      stageNamed(template, name).actions.find((a) => a.category === 'Approval')!.configuration.CustomData as string;
    expect(comment('ApproveLive')).toContain('BREAK-GLASS in use: bake');
    expect(comment('ApproveTest')).not.toContain('BREAK-GLASS');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('BREAK-GLASS'))).toHaveLength(1);
  });

  it('leave a stage without approval that is not production without a review', () => {
    const { template: plain } = pipelineOf({});
    const names = pipelineStages(plain).map((s) => s.name);
    expect(names.slice(names.indexOf('Test'))).toEqual(['Test', 'ApproveLive', 'Live']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('noProductionStage'))).toEqual([]);
  });
});
