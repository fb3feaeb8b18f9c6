/**
 * The gate spec: the production gates a deployed pipeline holds, as a plain JSON document. The synth
 * side renders it from the validated config (lib/pipeline/self-mutation/production-gate-spec.ts) and
 * embeds it in the self-mutation step's buildspec; the guard that step runs
 * (lambda/pipeline/self-mutation-guard) compares the next pipeline with it. Also the break-glass
 * parameter both sides name.
 *
 * @packageDocumentation
 */

/** Version of the spec's shape; a guard refuses a spec of another version. */
export const GATE_SPEC_VERSION = 1;

/**
 * SSM parameter (String) in the pipeline account that authorises a weakening. It is never part of
 * the pipeline stack: an administrator creates it by hand and deletes it afterwards.
 */
export const BREAK_GLASS_PARAMETER = '/uk-home-improvement/delivery/break-glass';

/** Shortest break-glass reason accepted, in characters. */
export const BREAK_GLASS_MIN_REASON_LENGTH = 20;

/** Furthest ahead a break-glass may expire, in hours: it authorises one change, not a season. */
export const BREAK_GLASS_MAX_HOURS = 24;

/** A pipeline action a gate consists of, matched by name, category and provider. */
export interface ActionGate {
  readonly name: string;
  /** `ActionTypeId.Category` (`Build`, `Approval`, `Invoke`). */
  readonly category: string;
  /** `ActionTypeId.Provider` (`CodeBuild`, `Manual`, `Lambda`). */
  readonly provider: string;
}

/** The stage in front of a production stage that holds its change review and, when it has one, its manual approval. */
export interface ApprovalGate {
  /** Pipeline stage that holds the actions, placed before the production stage (`ApproveProd`, or `ReviewProd` without approval). */
  readonly stage: string;
  /** Its actions in run order, each finishing before the next starts (change review, then the manual approval). */
  readonly actions: readonly ActionGate[];
}

/** The BeforeEntry DeploymentWindow rule of a stage. */
export interface WindowGate {
  readonly cron: string;
  readonly timeZone: string;
}

/**
 * The bake: an action of the stage, after its deploys, that fails the stage when the alarm goes to ALARM
 * within `minutes`; its user parameters (JSON) name the alarm and the minutes.
 */
export interface BakeGate {
  /** The action (`Bake`, Invoke/Lambda). */
  readonly action: ActionGate;
  /** CloudWatch alarm the bake watches. */
  readonly alarmName: string;
  readonly minutes: number;
}

/** The gates of one production stage. */
export interface StageGates {
  /** Pipeline stage name (`Prod`). */
  readonly stage: string;
  /** The approval (or review) stage before it. */
  readonly approval?: ApprovalGate;
  /** The entry window; absent when the stage has none. */
  readonly window?: WindowGate;
  /** Whether a failure in the stage rolls it back (OnFailure ROLLBACK). */
  readonly rollbackOnFailure: boolean;
  /** The bake; absent when the stage has none. */
  readonly bake?: BakeGate;
  /** Actions that run after every deploy action of the stage (termination protection, health, DR). */
  readonly checks: readonly ActionGate[];
}

/** Where the self-mutation step deploys from: the `cdk -a <assembly> deploy <stack>` of its buildspec. */
export interface PipelineStackLocation {
  /** Cloud assembly directory, relative to the step's input (`.`). */
  readonly assembly: string;
  /** The pipeline stack's id in the assembly (`PipelineStack`). */
  readonly stack: string;
}

/** Everything the deployed guard holds the next pipeline to. */
export interface GateSpec {
  readonly version: typeof GATE_SPEC_VERSION;
  /** Name of the CodePipeline pipeline (`AWS::CodePipeline::Pipeline` `Name`). */
  readonly pipelineName: string;
  /** The pipeline stack the step deploys. */
  readonly pipelineStack: PipelineStackLocation;
  /** The self-mutation action, which must keep running the guard before it deploys. */
  readonly selfMutation: { readonly stage: string; readonly action: string };
  /** The production stages in promotion order. */
  readonly production: readonly StageGates[];
}
