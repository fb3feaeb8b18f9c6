/**
 * Modeled time the change review step adds on the way to the approval (it runs before the approval,
 * in the approval's stage, so all of it is on the critical path). A model to compare configurations,
 * not a prediction of wall time.
 */

/** Seconds the model assumes for each part of the step. */
export interface ChangeReviewTimeAssumptions {
  /** CodeBuild queue and provisioning of a SMALL standard:7.0 container (observed 60-90 s; midpoint). */
  readonly provisioningSeconds: number;
  /** Downloading the cloud assembly artifact (a few MB, bundle and resource database included) and the install phase. */
  readonly downloadAndInstallSeconds: number;
  /** Starting node on the 2.4 MB bundle, assuming the role, and loading the diff engine's resource database (about 0.5 s measured locally). */
  readonly startSeconds: number;
  /** DescribeStacks, GetTemplate and the diff of one stack (stacks are reviewed in parallel). */
  readonly readAndDiffSeconds: number;
  /** Drift detection of one stack: fixed part ... */
  readonly driftBaseSeconds: number;
  /** ... plus this much per resource (CloudFormation reads each resource's live configuration). */
  readonly driftSecondsPerResource: number;
  /** The step polls drift status this often, so detection is seen finished at the next multiple. */
  readonly driftPollSeconds: number;
  /** Writing the report (two S3 puts) and publishing the summary. */
  readonly publishSeconds: number;
  /** CodeBuild's finalizing and reporting the action result to CodePipeline. */
  readonly finalizeSeconds: number;
}

/** The default assumptions; see each field. */
export const DEFAULT_CHANGE_REVIEW_ASSUMPTIONS: ChangeReviewTimeAssumptions = {
  provisioningSeconds: 75,
  downloadAndInstallSeconds: 10,
  startSeconds: 2,
  readAndDiffSeconds: 1,
  driftBaseSeconds: 5,
  driftSecondsPerResource: 0.3,
  driftPollSeconds: 5,
  publishSeconds: 1,
  finalizeSeconds: 5,
};

/** The modeled time of the step, by part. */
export interface ChangeReviewTime {
  readonly provisioningSeconds: number;
  readonly runSeconds: number;
  /** The slowest stack's drift detection (stacks are detected in parallel). */
  readonly driftSeconds: number;
  readonly totalSeconds: number;
  readonly totalMinutes: number;
}

/**
 * Models the step for a stage whose stacks have `resourceCounts` resources (one entry per stack;
 * 0 or a missing stack = not deployed: no drift detection).
 * @throws Error when a count is negative or not a whole number.
 */
export function changeReviewTime(
  resourceCounts: readonly number[],
  a: ChangeReviewTimeAssumptions = DEFAULT_CHANGE_REVIEW_ASSUMPTIONS,
): ChangeReviewTime {
  for (const n of resourceCounts)
    if (!Number.isInteger(n) || n < 0) throw new Error(`resource count ${n} is not a whole number of at least 0`);
  const driftOf = (n: number) =>
    n === 0
      ? 0
      : Math.ceil((a.driftBaseSeconds + a.driftSecondsPerResource * n) / a.driftPollSeconds) * a.driftPollSeconds;
  const driftSeconds = Math.max(0, ...resourceCounts.map(driftOf));
  const run =
    a.downloadAndInstallSeconds +
    a.startSeconds +
    (resourceCounts.length ? a.readAndDiffSeconds : 0) +
    driftSeconds +
    a.publishSeconds +
    a.finalizeSeconds;
  const total = a.provisioningSeconds + run;
  return {
    provisioningSeconds: a.provisioningSeconds,
    runSeconds: run,
    driftSeconds,
    totalSeconds: total,
    totalMinutes: Math.round((total / 60) * 100) / 100,
  };
}
