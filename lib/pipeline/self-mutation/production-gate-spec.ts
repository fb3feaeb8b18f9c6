import type { ActionGate, GateSpec, PipelineStackLocation, StageGates } from '../../../contracts/gate-spec';
import { GATE_SPEC_VERSION } from '../../../contracts/gate-spec';
import { resourceNames } from '../../../contracts/resource-names';
import type { AppConfig, StageConfig } from '../../config';
import { approvalActionName, approvalStageName, reviewStageName } from '../approval-step';
import { CHANGE_REVIEW_STEP_ID } from '../change-review/change-review-step';
import { BAKE_ACTION_NAME } from '../checks/bake-action-name';
import { CHECK_STEP_IDS } from '../checks/post-deploy-checks';

/** The stage and action CDK Pipelines gives the self-mutation step. */
export const SELF_MUTATION_ACTION = { stage: 'UpdatePipeline', action: 'SelfMutate' } as const;

const codeBuild = (name: string): ActionGate => ({ name, category: 'Build', provider: 'CodeBuild' });
const lambdaInvoke = (name: string): ActionGate => ({ name, category: 'Invoke', provider: 'Lambda' });

/** The gates the pipeline gives the production stage `stage` from its validated config, named as the pipeline's constructs name them. */
export function stageGatesOf(stage: StageConfig): StageGates {
  const { delivery } = stage;
  return {
    stage: stage.displayName,
    // The review runs before every stage with an approval, and before a production stage without one.
    approval: delivery.manualApproval
      ? {
          stage: approvalStageName(stage),
          actions: [
            codeBuild(CHANGE_REVIEW_STEP_ID),
            { name: approvalActionName(stage), category: 'Approval', provider: 'Manual' },
          ],
        }
      : { stage: reviewStageName(stage), actions: [codeBuild(CHANGE_REVIEW_STEP_ID)] },
    ...(delivery.window ? { window: { cron: delivery.window.cron, timeZone: delivery.window.timeZone } } : {}),
    rollbackOnFailure: delivery.rollbackOnFailure,
    ...(delivery.bakeTimeMinutes > 0
      ? {
          bake: {
            action: lambdaInvoke(BAKE_ACTION_NAME),
            alarmName: resourceNames(stage.name).stageUnhealthyAlarm,
            minutes: delivery.bakeTimeMinutes,
          },
        }
      : {}),
    checks: [
      ...(delivery.terminationProtection ? [lambdaInvoke(CHECK_STEP_IDS.terminationProtection)] : []),
      lambdaInvoke(CHECK_STEP_IDS.health),
      ...(stage.backup ? [lambdaInvoke(CHECK_STEP_IDS.dr)] : []),
    ],
  };
}

/**
 * The gate spec the self-mutation guard of this pipeline enforces on the next one: the gates of every
 * stage whose config says `production`, in promotion order.
 */
export function productionGateSpec(
  config: AppConfig,
  pipelineName: string,
  pipelineStack: PipelineStackLocation,
): GateSpec {
  return {
    version: GATE_SPEC_VERSION,
    pipelineName,
    pipelineStack,
    selfMutation: SELF_MUTATION_ACTION,
    production: config.stages.filter((s) => s.production).map(stageGatesOf),
  };
}
