import { createCheckHandler } from '../checks/check-handler';
import { runDrCheck } from '../checks/dr-check';

/** CodePipeline action: DR-readiness check of the stage named in the user parameters. */
export const handler = createCheckHandler({ check: 'dr', run: runDrCheck });
