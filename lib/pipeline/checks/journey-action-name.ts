/**
 * Name of the action (and step) that runs a stage's acceptance journey after its health check. A leaf module,
 * so the benchmark and the diagram can name the action without loading the constructs.
 */
export const JOURNEY_ACTION_NAME = 'Journey';
