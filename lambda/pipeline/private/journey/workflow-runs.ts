import { DescribeExecutionCommand, ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { call } from '../check-context';
import type { JourneyContext } from './journey-context';
import { requireSyntheticKey } from './synthetic-guard';

/** One run of the AI workflow started for the journey's project. */
export interface WorkflowRun {
  readonly executionArn: string;
  readonly status: string;
  /** Why a failed run failed (its error and cause), when it did. */
  readonly failure?: string;
}

/** Runs listed per page, and pages read: the journey's run started minutes ago, so it is among the newest. */
const PAGE_SIZE = 100;
const MAX_PAGES = 3;

/**
 * The workflow's runs started since `since` (epoch ms) whose input names `projectId`. EventBridge names the
 * runs, so the journey finds its own by their input; it reads the input of recent runs only.
 */
export async function runsOfProject(
  ctx: JourneyContext,
  stateMachineArn: string,
  projectId: string,
  since: number,
): Promise<WorkflowRun[]> {
  requireSyntheticKey(projectId);
  const runs: WorkflowRun[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await call(ctx, 'ListExecutions of the AI workflow', (abortSignal) =>
      ctx.clients.stepFunctions.send(new ListExecutionsCommand({ stateMachineArn, maxResults: PAGE_SIZE, nextToken }), {
        abortSignal,
      }),
    );
    const recent = (out.executions ?? []).filter((e) => e.executionArn && (e.startDate?.getTime() ?? 0) >= since);
    for (const execution of recent) {
      const described = await call(ctx, `DescribeExecution ${execution.name}`, (abortSignal) =>
        ctx.clients.stepFunctions.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }), {
          abortSignal,
        }),
      );
      let input: { projectId?: unknown } = {};
      try {
        input = JSON.parse(described.input ?? '{}');
      } catch {
        // not one of ours
      }
      if (input.projectId !== projectId) continue;
      runs.push({
        executionArn: execution.executionArn!,
        status: described.status ?? execution.status ?? 'UNKNOWN',
        ...(described.status === 'FAILED' || described.status === 'TIMED_OUT'
          ? { failure: `${described.error ?? described.status}: ${(described.cause ?? '').slice(0, 160)}` }
          : {}),
      });
    }
    // Executions are listed newest first: once a page reaches back past `since`, older pages cannot hold ours.
    const oldest = out.executions?.[out.executions.length - 1]?.startDate?.getTime() ?? 0;
    nextToken = out.nextToken;
    if (!nextToken || oldest < since) break;
  }
  return runs;
}

/** Stops a run of the journey's project (an event in flight), so it writes nothing after the clean-up. */
export async function stopRun(ctx: JourneyContext, run: WorkflowRun): Promise<void> {
  await call(ctx, `StopExecution ${run.executionArn}`, (abortSignal) =>
    ctx.clients.stepFunctions.send(
      new StopExecutionCommand({
        executionArn: run.executionArn,
        error: 'AcceptanceJourneyCleanUp',
        cause: 'The acceptance journey removed its synthetic project.',
      }),
      { abortSignal },
    ),
  );
}
