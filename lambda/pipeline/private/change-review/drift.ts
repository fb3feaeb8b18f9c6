import type { CloudFormationClient, StackResourceDrift } from '@aws-sdk/client-cloudformation';
import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import type { CallOptions } from '../aws-call';
import { callAws, CheckFailure } from '../aws-call';

/** One property of a drifted resource that differs from the template. */
export interface PropertyDrift {
  readonly path: string;
  readonly difference: string;
}

/** One resource whose live configuration differs from its template, or that was deleted outside CloudFormation. */
export interface DriftedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: 'MODIFIED' | 'DELETED';
  readonly properties: readonly PropertyDrift[];
}

/** Drift of one stack. */
export interface StackDrift {
  readonly stackName: string;
  /** NOT_DEPLOYED when the stack does not exist yet (nothing to detect). */
  readonly status: 'IN_SYNC' | 'DRIFTED' | 'NOT_DEPLOYED';
  readonly drifted: readonly DriftedResource[];
}

/** How drift detection is awaited. */
export interface DriftOptions {
  readonly call?: CallOptions;
  /** Delay between status polls. @default 5000 ms */
  readonly pollIntervalMs?: number;
  /** Time detection may take before the review fails. @default 600000 ms (10 minutes) */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toDrifted(stackName: string, d: StackResourceDrift): DriftedResource {
  return {
    stackName,
    logicalId: d.LogicalResourceId ?? '(unknown)',
    type: d.ResourceType ?? '(unknown)',
    status: d.StackResourceDriftStatus === 'DELETED' ? 'DELETED' : 'MODIFIED',
    properties: (d.PropertyDifferences ?? []).map((p) => ({
      path: p.PropertyPath ?? '',
      difference: p.DifferenceType ?? '',
    })),
  };
}

/**
 * Runs CloudFormation drift detection on one deployed stack and lists every drifted resource.
 * Detection that fails, times out, or an API that keeps answering with an error, throws a
 * {@link CheckFailure} with the reason: drift that cannot be checked never passes.
 */
export async function detectStackDrift(
  client: CloudFormationClient,
  stackName: string,
  options: DriftOptions = {},
): Promise<StackDrift> {
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const started = await callAws(
    `DetectStackDrift ${stackName}`,
    (abortSignal) => client.send(new DetectStackDriftCommand({ StackName: stackName }), { abortSignal }),
    options.call,
  );
  const id = started.StackDriftDetectionId;
  if (!id) throw new CheckFailure(`DetectStackDrift ${stackName} returned no detection id`);
  const deadline = now() + timeoutMs;
  for (;;) {
    const status = await callAws(
      `DescribeStackDriftDetectionStatus ${stackName}`,
      (abortSignal) =>
        client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }), { abortSignal }),
      options.call,
    );
    if (status.DetectionStatus === 'DETECTION_FAILED') {
      throw new CheckFailure(
        `drift detection of ${stackName} failed: ${status.DetectionStatusReason ?? 'no reason given'}`,
      );
    }
    if (status.DetectionStatus === 'DETECTION_COMPLETE') {
      if (status.StackDriftStatus === 'IN_SYNC') return { stackName, status: 'IN_SYNC', drifted: [] };
      break;
    }
    if (now() >= deadline)
      throw new CheckFailure(`drift detection of ${stackName} did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(pollIntervalMs);
  }
  const drifted: DriftedResource[] = [];
  let token: string | undefined;
  do {
    const page = await callAws(
      `DescribeStackResourceDrifts ${stackName}`,
      (abortSignal) =>
        client.send(
          new DescribeStackResourceDriftsCommand({
            StackName: stackName,
            StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
            NextToken: token,
          }),
          { abortSignal },
        ),
      options.call,
    );
    drifted.push(...(page.StackResourceDrifts ?? []).map((d) => toDrifted(stackName, d)));
    token = page.NextToken;
  } while (token);
  return { stackName, status: drifted.length ? 'DRIFTED' : 'IN_SYNC', drifted };
}
