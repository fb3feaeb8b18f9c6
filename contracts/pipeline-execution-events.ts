/**
 * The CodePipeline events the execution notifier is told of: its EventBridge rule
 * (lib/pipeline/execution-notifier.ts) matches them and its handler (lambda/pipeline/execution-notifier)
 * accepts exactly these.
 *
 * CodePipeline emits "Pipeline", "Stage" and "Action Execution State Change" events; there is none for a
 * stage condition's rule. The notifier keys on the pipeline-level event only, so an execution that ends
 * produces one event (not one per failed action plus one per stage plus one for the pipeline) and
 * finds the stage, action or rule behind it through the CodePipeline API.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-codepipeline.html
 */

/** `detail-type` of the pipeline-level event. */
export const PIPELINE_EXECUTION_STATE_CHANGE = 'CodePipeline Pipeline Execution State Change';

/**
 * Pipeline-level states that end an execution, each told in one message. STARTED, RESUMED and
 * STOPPING are steps on the way and are not matched. (CANCELED: the pipeline's structure changed
 * while the execution ran, as self-mutation does.)
 */
export const NOTIFIED_EXECUTION_STATES = ['FAILED', 'STOPPED', 'SUPERSEDED', 'CANCELED', 'SUCCEEDED'] as const;

/** One of the {@link NOTIFIED_EXECUTION_STATES}. */
export type NotifiedExecutionState = (typeof NOTIFIED_EXECUTION_STATES)[number];
