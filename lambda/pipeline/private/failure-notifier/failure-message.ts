import { snsSubject } from '../sns-subject';

/** The `detail` of an EventBridge "CodePipeline Action Execution State Change" event. */
export interface ActionStateChangeDetail {
  readonly pipeline: string;
  readonly 'execution-id': string;
  readonly stage: string;
  readonly action: string;
  readonly state: string;
  readonly type?: { readonly provider?: string; readonly category?: string };
  readonly 'execution-result'?: {
    readonly 'external-execution-summary'?: string;
    readonly 'external-execution-url'?: string;
  };
}

/** Everything one failure message says. */
export interface FailureFacts {
  readonly pipeline: string;
  readonly region: string;
  readonly executionId: string;
  readonly stage: string;
  readonly action: string;
  readonly provider?: string;
  /** The failure summary as the action reported it (a check's own failure message, or a step's failure details). */
  readonly reason: string;
  readonly commit?: string;
  readonly commitMessage?: string;
  /** Link the action gave (build logs, function logs). */
  readonly actionUrl?: string;
}

/** Console link to one execution of a pipeline. */
export function executionUrl(region: string, pipeline: string, executionId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
}

/** The commit message out of a CodeStar connections revision summary (JSON) or a plain one. */
export function commitMessageOf(revisionSummary: string | undefined): string | undefined {
  if (!revisionSummary) return undefined;
  try {
    const parsed = JSON.parse(revisionSummary) as { CommitMessage?: unknown };
    if (typeof parsed.CommitMessage === 'string') return parsed.CommitMessage;
  } catch {
    // A plain-text summary.
  }
  return revisionSummary;
}

/**
 * The subject and body of the one message sent for a failed action. The subject starts with
 * `[pipeline FAILED] <Stage>/<Action>:` so people can filter on it; at most 100 ASCII characters.
 */
export function renderFailureMessage(f: FailureFacts): { subject: string; message: string } {
  const firstLine = f.reason.split('\n')[0];
  const subject = snsSubject(`[pipeline FAILED] ${f.stage}/${f.action}: ${firstLine}`);
  const commit = f.commit
    ? `${f.commit}${f.commitMessage ? ` (${f.commitMessage.split('\n')[0].slice(0, 200)})` : ''}`
    : 'unknown';
  const message = [
    `The ${f.action} action of the ${f.stage} stage failed in pipeline ${f.pipeline}.`,
    '',
    `Stage:     ${f.stage}`,
    `Action:    ${f.action}${f.provider ? ` (${f.provider})` : ''}`,
    `Reason:    ${f.reason.split('\n').join('\n           ')}`,
    `Commit:    ${commit}`,
    `Execution: ${executionUrl(f.region, f.pipeline, f.executionId)}`,
    ...(f.actionUrl ? [`Details:   ${f.actionUrl}`] : []),
  ].join('\n');
  return { subject, message };
}
