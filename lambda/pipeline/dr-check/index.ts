import { createCheckHandler } from '../private/check-handler';
import { runDrReadinessCheck } from '../private/dr-readiness';

/** CodePipeline action: DR-readiness check of the stage named in the user parameters. */
export const handler = createCheckHandler({ check: 'dr', run: runDrReadinessCheck });
