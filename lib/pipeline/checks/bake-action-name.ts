/**
 * Name of the action (and step) that bakes a stage: it watches the stage-unhealthy alarm after the health
 * check. A leaf module, so the benchmark and the diagram can name the action without loading the constructs.
 */
export const BAKE_ACTION_NAME = 'Bake';
