/**
 * The public surface of the acceptance journey, for code that runs it outside Lambda: the operator CLI
 * (`npm run check -- journey`). Everything else under lambda/pipeline/private/journey/ is the handler's own.
 *
 * @packageDocumentation
 */
export { DEFAULT_POLL_INTERVAL_MS } from './private/journey/journey-context';
export type { JourneyContext } from './private/journey/journey-context';
export { newRunId } from './private/journey/journey-handler';
export { fetchRequest } from './private/journey/journey-http';
export type { HttpRequest } from './private/journey/journey-http';
export { formatJourney, journeyFinished, journeyPassed } from './private/journey/journey-report';
export { newJourneyState } from './private/journey/journey-state';
export { runJourneySlice } from './private/journey/run-journey';
