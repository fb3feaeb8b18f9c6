import { createBakeHandler } from '../private/bake/bake-handler';

/** CodePipeline action: the bake of the stage named in the user parameters (watches its stage-unhealthy alarm). */
export const handler = createBakeHandler();
