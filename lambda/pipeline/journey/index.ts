import { createJourneyHandler } from '../private/journey/journey-handler';

/** CodePipeline action: the acceptance journey of the stage named in the user parameters (continues across invocations). */
export const handler = createJourneyHandler();
