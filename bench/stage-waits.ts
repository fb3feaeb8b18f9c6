import { loadConfig } from '../lib/config';
import { trafficShiftMinutes } from '../lib/platform/release/deployment-config';
import { StageWaits } from './critical-path';

/**
 * What each pipeline stage (named by its display name, `Staging`) waits for that its actions' weights do not
 * say, from the app's config: the traffic shift of its deployment config (`release.deploymentConfig`) and its
 * bake time (`delivery.bakeTimeMinutes`, how long its Bake action runs).
 */
export function stageWaits(context: Record<string, unknown>): Record<string, StageWaits> {
  return Object.fromEntries(
    loadConfig(context).stages.map((stage) => [
      stage.displayName,
      {
        trafficShiftMinutes: trafficShiftMinutes(stage.release.deploymentConfig),
        bakeMinutes: stage.delivery.bakeTimeMinutes,
      },
    ]),
  );
}
