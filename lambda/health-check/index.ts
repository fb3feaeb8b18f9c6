import { createCheckHandler } from '../checks/check-handler';
import { runHealthCheck } from '../checks/health-check';

/** CodePipeline action: health check of the stage named in the user parameters. */
export const handler = createCheckHandler({ check: 'health', run: (ctx) => runHealthCheck(ctx) });
