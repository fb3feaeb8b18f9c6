import { journeyRunsReadOnly, loadConfig } from '../lib/config';
import { trafficShiftMinutes } from '../lib/platform/release/deployment-config';
import type { StageWaits } from './critical-path';

/**
 * Modeled minutes of a full acceptance journey: two sign-ins and the API calls (seconds), the AI workflow's
 * two model calls with its waits between polls (about a minute), the clean-up (seconds), and the time
 * CodePipeline takes to pick up the action's result; bounded by the stage's `journey.timeoutMinutes`.
 */
export const JOURNEY_MODEL_MINUTES = 2;
/** Modeled minutes of the read-only journey: three requests to the public API. */
export const READ_ONLY_JOURNEY_MODEL_MINUTES = 0.3;

/**
 * What each pipeline stage (named by its display name, `Staging`) waits for that its actions' weights do not
 * say, from the app's config: the traffic shift of its deployment config (`release.deploymentConfig`), its
 * bake time (`delivery.bakeTimeMinutes`, how long its Bake action runs) and, where the stage runs the
 * acceptance journey (`journey.enabled`), the journey's modeled minutes (at most its `journey.timeoutMinutes`).
 */
export function stageWaits(context: Record<string, unknown>): Record<string, StageWaits> {
  return Object.fromEntries(
    loadConfig(context).stages.map((stage) => [
      stage.displayName,
      {
        trafficShiftMinutes: trafficShiftMinutes(stage.release.deploymentConfig),
        bakeMinutes: stage.delivery.bakeTimeMinutes,
        ...(stage.journey
          ? {
              journeyMinutes: journeyRunsReadOnly(stage)
                ? READ_ONLY_JOURNEY_MODEL_MINUTES
                : Math.min(JOURNEY_MODEL_MINUTES, stage.journey.timeoutMinutes),
            }
          : {}),
      },
    ]),
  );
}
