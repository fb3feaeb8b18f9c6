/**
 * Change review step: runs in CodeBuild in the pipeline account over this execution's cloud assembly
 * (the synth output), bundled into it by the synth step. See lib/pipeline/change-review/change-review-step.ts.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { AssumedCredentials } from '../private/assume-role';
import { assumeReviewRoles } from '../private/change-review/assume-review-roles';
import type { CallOptions } from '../private/aws-call';
import { callAws, describeError } from '../private/aws-call';
import type { Logger } from '../../shared/logger';
import { createLogger } from '../../shared/logger';
import { parseChangeReviewParameters } from '../private/change-review/change-review-parameters';
import { renderReport } from '../private/change-review/render-report';
import { failureDetailsKey, reportKey, s3ConsoleUrl } from '../../../contracts/report-location';
import type { ChangeReviewReport } from '../private/change-review/run-change-review';
import { runChangeReview } from '../private/change-review/run-change-review';
import { CHANGE_REVIEW_ENV } from '../../../contracts/env-names';
import { renderSummary, SNS_MAX_MESSAGE_BYTES } from '../private/change-review/summary';

/** The AWS clients and seams of the step (replaced in tests). */
export interface ChangeReviewStepDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly sts?: STSClient;
  readonly s3?: S3Client;
  readonly sns?: SNSClient;
  /** CloudFormation in the stage account in `region`, with the credentials of the role assumed for that region. */
  readonly cloudFormation?: (region: string, credentials: AssumedCredentials | undefined) => CloudFormationClient;
  readonly assemblyDir?: string;
  readonly out?: (text: string) => void;
  readonly log?: Logger;
  readonly call?: CallOptions;
  readonly drift?: {
    readonly pollIntervalMs?: number;
    readonly timeoutMs?: number;
    readonly sleep?: (ms: number) => Promise<void>;
  };
  readonly maxSummaryBytes?: number;
  readonly now?: () => Date;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v)
    throw new Error(`environment variable ${name} is not set; the change review step's CodeBuild action must set it`);
  return v;
}

/**
 * Runs the step: review, keep the full report in S3, print it, then either publish the approver's
 * summary (passed) or leave the failure reason for the execution notifier (failed).
 * @returns the process exit code: 0 passed, 1 failed or could not run.
 */
export async function runChangeReviewStep(deps: ChangeReviewStepDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const out = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  let log =
    deps.log ??
    createLogger({ stage: 'unknown', component: 'change-review' }, (line) => process.stderr.write(`${line}\n`));
  let bucket: string;
  let executionId: string;
  let failureKey: string;
  let s3: S3Client;
  let region: string;
  try {
    region = required(env, 'AWS_REGION');
    bucket = required(env, CHANGE_REVIEW_ENV.reportBucket);
    executionId = required(env, CHANGE_REVIEW_ENV.executionId);
    failureKey = failureDetailsKey(
      executionId,
      required(env, CHANGE_REVIEW_ENV.pipelineStage),
      required(env, CHANGE_REVIEW_ENV.actionName),
    );
    s3 = deps.s3 ?? new S3Client({ region });
  } catch (error) {
    out(`change review could not run: ${(error as Error).message}`);
    return 1;
  }
  const put = (key: string, body: string, contentType: string) =>
    callAws(
      `PutObject s3://${bucket}/${key}`,
      (abortSignal) =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), {
          abortSignal,
        }),
      deps.call,
    );
  const leaveFailure = async (reason: string) => {
    try {
      await put(failureKey, reason, 'text/plain; charset=utf-8');
    } catch (error) {
      out(`could not leave the failure reason for the execution notifier: ${describeError(error)}`);
    }
  };

  let report: ChangeReviewReport;
  try {
    const params = parseChangeReviewParameters(JSON.parse(required(env, CHANGE_REVIEW_ENV.parameters)));
    log = log.child({ stage: params.stage });
    // The stage's bootstrap lookup role of every region it uses; a region whose role is refused is reported as not
    // checked (which fails the review), beside what the review could check in the other regions.
    const { credentials, refused } = await assumeReviewRoles(
      deps.sts ?? new STSClient({ region, maxAttempts: 1 }),
      params,
      `change-review-${executionId}`,
      deps.call,
    );
    const clients = new Map<string, CloudFormationClient>();
    const cloudFormationIn = (r: string) => {
      if (!clients.has(r)) {
        const c = credentials.get(r);
        clients.set(
          r,
          deps.cloudFormation?.(r, c) ?? new CloudFormationClient({ region: r, credentials: c, maxAttempts: 1 }),
        );
      }
      return clients.get(r)!;
    };
    report = await runChangeReview(
      {
        params,
        assemblyDir: deps.assemblyDir ?? process.cwd(),
        cloudFormationIn,
        unreadableRegions: refused,
        log,
        now: deps.now ?? (() => new Date()),
        call: deps.call,
        drift: deps.drift,
      },
      { source: 'pipeline', executionId, commit: env[CHANGE_REVIEW_ENV.commitId] || undefined },
    );
  } catch (error) {
    const reason = `change review could not run: ${describeError(error)}`;
    out(reason);
    await leaveFailure(reason);
    return 1;
  }

  const markdown = renderReport(report);
  out(markdown);
  const key = reportKey(report.stage, executionId);
  const url = s3ConsoleUrl(bucket, key, region);
  try {
    await put(key, markdown, 'text/markdown; charset=utf-8');
    await put(reportKey(report.stage, executionId, 'json'), JSON.stringify(report, null, 2), 'application/json');
  } catch (error) {
    const reason = `change review could not keep its report: ${describeError(error)}`;
    out(reason);
    await leaveFailure(reason);
    return 1;
  }
  log.info('report kept', { bucket, key, passed: report.passed });

  if (!report.passed) {
    // One reason per line: the execution notifier puts the first in the subject and all in the body.
    await leaveFailure([...report.failures, `Full report: ${url}`].join('\n'));
    return 1;
  }
  const summary = renderSummary(report, url, deps.maxSummaryBytes ?? SNS_MAX_MESSAGE_BYTES);
  try {
    const sns = deps.sns ?? new SNSClient({ region });
    const topicArn = required(env, CHANGE_REVIEW_ENV.topicArn);
    await callAws(
      'Publish change review summary',
      (abortSignal) =>
        sns.send(new PublishCommand({ TopicArn: topicArn, Subject: summary.subject, Message: summary.message }), {
          abortSignal,
        }),
      deps.call,
    );
  } catch (error) {
    const reason = `change review could not notify the approvers: ${describeError(error)}`;
    out(reason);
    await leaveFailure(reason);
    return 1;
  }
  log.info('summary published', { truncated: summary.truncated });
  return 0;
}

if (require.main === module) {
  runChangeReviewStep().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`change review: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
