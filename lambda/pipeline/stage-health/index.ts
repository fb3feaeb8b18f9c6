import { createCheckHandler } from '../private/check-handler';
import { runStageHealthCheck } from '../private/stage-health';

/** CodePipeline action: stage health check of the stage named in the user parameters. */
export const handler = createCheckHandler({ check: 'health', run: (ctx) => runStageHealthCheck(ctx) });
