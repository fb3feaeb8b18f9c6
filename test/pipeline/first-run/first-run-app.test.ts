/**
 * The tests' whole app (the config fixture), walked as its first execution would run. The walk over cdk.json's own
 * config runs in every synth (bin/app.ts), so in the gates (test/compliance/gates.test.ts).
 */
import { App } from 'aws-cdk-lib';
import { bootstrapQualifier } from '../../../lib/pipeline/bootstrap-roles';
import { approvalStageName } from '../../../lib/pipeline/approval-step';
import { walkFirstRun } from '../../../lib/pipeline/first-run/first-run-walk';
import { readSharedAssembly } from '../../../support/shared-assembly';
import { configWith, defaultContext } from '../../support/context';
import { resourceNames } from '../../../contracts/resource-names';
import { JOURNEY_ACTION_NAME } from '../../../lib/pipeline/checks/journey-action-name';

const config = configWith();
const walk = walkFirstRun(readSharedAssembly(), {
  qualifier: bootstrapQualifier(new App({ context: defaultContext() })),
});

describe("The app's pipeline on its first execution, from stage accounts that hold only the CDK bootstrap", () => {
  it('uses no role or resource before the CDK bootstrap, PipelineStack or an earlier action created it', () => {
    expect(walk.findings.map((f) => f.message)).toEqual([]);
    expect(walk.pipelines).toEqual(['PipelineStack']);
  });

  it("reviews every approved stage through the bootstrap's lookup role of each region the stage uses", () => {
    for (const stage of config.stages.filter((s) => s.delivery.manualApproval)) {
      // Every region a stack of the stage can live in, whatever its features: the review searches each for stacks
      // the stage no longer contains.
      const regions = [...new Set([stage.region, stage.drRegion, 'us-east-1'])];
      const review = walk.uses.filter((u) => u.stage === approvalStageName(stage) && u.step === 'ChangeReview');
      expect(review.map((u) => `${u.arn} from ${u.existsFrom}`).sort()).toEqual(
        regions
          .map(
            (r) =>
              `arn:aws:iam::${stage.account}:role/cdk-hnb659fds-lookup-role-${stage.account}-${r} from the CDK bootstrap of ${stage.account}/${r}`,
          )
          .sort(),
      );
    }
  });

  it("runs the checks, termination protection and the bake rule after the stage's Service stack created their roles and alarm", () => {
    for (const stage of config.stages) {
      const after = walk.uses.filter(
        (u) => u.stage === stage.displayName && !u.step.endsWith('.Deploy') && u.source !== 'action role',
      );
      expect(after.length).toBeGreaterThan(0);
      expect(new Set(after.map((u) => u.existsFrom))).toEqual(
        new Set([`${stage.displayName}/Service.Deploy (stack ${stage.displayName}-Service)`]),
      );
    }
  });

  it("runs the acceptance journey through the journey role its stage's Service stack created", () => {
    const stages = config.stages.filter((s) => s.journey);
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) {
      const journey = walk.uses.filter((u) => u.stage === stage.displayName && u.step === JOURNEY_ACTION_NAME);
      expect(journey.map((u) => `${u.arn} (${u.source}) from ${u.existsFrom}`)).toContain(
        `arn:aws:iam::${stage.account}:role/${resourceNames(stage.name).journeyRole} (configuration UserParameters) from ${stage.displayName}/Service.Deploy (stack ${stage.displayName}-Service)`,
      );
    }
  });
});
