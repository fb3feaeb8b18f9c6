import { createCheckHandler } from '../private/check-handler';
import { runTerminationProtection } from '../private/termination-protection';

/** CodePipeline action: turns termination protection on for every stack of the stage named in the user parameters. */
export const handler = createCheckHandler({ check: 'termination-protection', run: runTerminationProtection });
