import type { DescribeExecutionCommandOutput, ExecutionListItem } from '@aws-sdk/client-sfn';
import { DescribeExecutionCommand, ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import 'aws-sdk-client-mock-jest';
import { runsOfProject, stopRun } from '../../../../lambda/pipeline/private/journey/workflow-runs';
import { awsError, FakeJourneyStage, MACHINE_ARN } from './fake-journey-stage';

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

const SINCE = Date.parse('2026-06-01T12:00:00Z');
const arn = (name: string) => `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
const listed = (name: string, startDate: Date, status: ExecutionListItem['status'] = 'RUNNING'): ExecutionListItem => ({
  executionArn: arn(name),
  stateMachineArn: MACHINE_ARN,
  name,
  status,
  startDate,
});

/** Step Functions' answers: pages of ListExecutions (newest first) and each run's DescribeExecution. */
function serve(pages: ExecutionListItem[][], described: Record<string, Partial<DescribeExecutionCommandOutput>>) {
  pages.forEach((executions, i) => {
    stage.sfn
      .on(ListExecutionsCommand, { nextToken: i === 0 ? undefined : `page-${i}` })
      .resolves({ executions, nextToken: i + 1 < pages.length ? `page-${i + 1}` : undefined });
  });
  stage.sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }) => {
    const name = executionArn.split(':').pop()!;
    return { executionArn, ...described[name] };
  });
}
const input = (projectId: string) => JSON.stringify({ projectId, source: 'ProjectCreated' });

describe("Finding the workflow's runs of the journey's project", () => {
  it('keeps the runs whose input names the project, with their status', async () => {
    serve(
      [[listed('a', new Date(SINCE + 3000)), listed('b', new Date(SINCE + 2000)), listed('c', new Date(SINCE + 1000))]],
      {
        a: { status: 'RUNNING', input: input('journey-p1') },
        b: { status: 'SUCCEEDED', input: input('journey-p2') },
        c: { status: 'SUCCEEDED', input: input('journey-p1') },
      },
    );
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toEqual([
      { executionArn: arn('a'), status: 'RUNNING' },
      { executionArn: arn('c'), status: 'SUCCEEDED' },
    ]);
    expect(stage.sfn).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: MACHINE_ARN,
      maxResults: 100,
    });
  });

  it('reads the input only of runs started at or after `since`', async () => {
    serve([[listed('new', new Date(SINCE)), listed('old', new Date(SINCE - 1))]], {
      new: { status: 'RUNNING', input: input('journey-p1') },
      old: { status: 'RUNNING', input: input('journey-p1') },
    });
    const runs = await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE);
    expect(runs.map((r) => r.executionArn)).toEqual([arn('new')]);
    expect(stage.sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([
      arn('new'),
    ]);
  });

  it('names why a failed or timed-out run ended, the cause cut to 160 characters', async () => {
    serve(
      [
        [
          listed('failed', new Date(SINCE + 2)),
          listed('timed-out', new Date(SINCE + 1)),
          listed('aborted', new Date(SINCE)),
        ],
      ],
      {
        failed: {
          status: 'FAILED',
          error: 'States.TaskFailed',
          cause: `model unreachable ${'x'.repeat(200)}`,
          input: input('journey-p1'),
        },
        'timed-out': { status: 'TIMED_OUT', input: input('journey-p1') },
        aborted: { status: 'ABORTED', error: 'AcceptanceJourneyCleanUp', cause: 'removed', input: input('journey-p1') },
      },
    );
    const runs = await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE);
    expect(runs).toEqual([
      {
        executionArn: arn('failed'),
        status: 'FAILED',
        failure: `States.TaskFailed: ${`model unreachable ${'x'.repeat(200)}`.slice(0, 160)}`,
      },
      { executionArn: arn('timed-out'), status: 'TIMED_OUT', failure: 'TIMED_OUT: ' },
      { executionArn: arn('aborted'), status: 'ABORTED' },
    ]);
  });

  it("takes the listed status when the description has none, and skips runs whose input is not JSON or another project's", async () => {
    serve(
      [
        [
          listed('a', new Date(SINCE + 3), 'SUCCEEDED'),
          listed('b', new Date(SINCE + 2)),
          listed('c', new Date(SINCE + 1)),
          listed('d', new Date(SINCE)),
        ],
      ],
      {
        a: { input: input('journey-p1') },
        b: { status: 'RUNNING', input: 'not json' },
        c: { status: 'RUNNING' },
        d: { status: 'RUNNING', input: input('journey-p10') },
      },
    );
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toEqual([
      { executionArn: arn('a'), status: 'SUCCEEDED' },
    ]);
  });

  // Step Functions always sends startDate and status (required in ExecutionListItem and DescribeExecution's
  // answer); the journey still reads an answer without them instead of crashing on it.
  it('reads a listed run without a start date as older than `since`, and a run without any status as UNKNOWN', async () => {
    serve(
      [
        [
          { ...listed('a', new Date(SINCE + 2)), status: undefined },
          { ...listed('b', new Date(SINCE + 1)), startDate: undefined },
        ],
        [listed('c', new Date(SINCE))],
      ],
      { a: { input: input('journey-p1') }, b: { status: 'RUNNING', input: input('journey-p1') } },
    );
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toEqual([
      { executionArn: arn('a'), status: 'UNKNOWN' },
    ]);
    expect(stage.sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(1);
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(1);
  });

  it('reads the next page while the page still reaches back to `since`, at most three pages', async () => {
    const page = (i: number) => [listed(`run-${i}`, new Date(SINCE + 10 - i))];
    serve([page(0), page(1), page(2), page(3)], {
      'run-0': { status: 'RUNNING', input: input('journey-p1') },
      'run-1': { status: 'RUNNING', input: input('journey-p2') },
      'run-2': { status: 'RUNNING', input: input('journey-p1') },
      'run-3': { status: 'RUNNING', input: input('journey-p1') },
    });
    const runs = await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE);
    expect(runs.map((r) => r.executionArn)).toEqual([arn('run-0'), arn('run-2')]);
    expect(stage.sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input.nextToken)).toEqual([
      undefined,
      'page-1',
      'page-2',
    ]);
  });

  it('stops paging once a page reaches back past `since`, or when there is no next page', async () => {
    serve([[listed('a', new Date(SINCE + 1)), listed('b', new Date(SINCE - 1))], [listed('c', new Date(SINCE - 2))]], {
      a: { status: 'RUNNING', input: input('journey-p1') },
    });
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toHaveLength(1);
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(1);

    stage.sfn.reset();
    serve([[listed('a', new Date(SINCE))], [listed('b', new Date(SINCE))]], {
      a: { status: 'RUNNING', input: input('journey-p1') },
      b: { status: 'RUNNING', input: input('journey-p1') },
    });
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toHaveLength(2);
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(2);
  });

  it('finds nothing in a workflow that has never run', async () => {
    stage.sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toEqual([]);
    stage.sfn.on(ListExecutionsCommand).resolves({});
    expect(await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).toEqual([]);
    expect(stage.sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  it('refuses to look for a project that is not synthetic', async () => {
    await expect(runsOfProject(stage.context(), MACHINE_ARN, 'p1', SINCE)).rejects.toThrow(
      'refused to touch item "p1": not a synthetic key (journey-…)',
    );
    expect(stage.sfn.calls()).toHaveLength(0);
  });

  it("fails naming the call when ListExecutions or a run's DescribeExecution is refused", async () => {
    stage.sfn
      .on(ListExecutionsCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: states:ListExecutions'));
    await expect(runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).rejects.toThrow(
      /^ListExecutions of the AI workflow failed: access denied/,
    );
    stage.sfn.reset();
    serve([[listed('a', new Date(SINCE))]], {});
    stage.sfn
      .on(DescribeExecutionCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: states:DescribeExecution'));
    await expect(runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE)).rejects.toThrow(
      /^DescribeExecution a failed: access denied/,
    );
  });

  it('fails naming the run when StopExecution is refused', async () => {
    stage.sfn
      .on(StopExecutionCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: states:StopExecution'));
    await expect(stopRun(stage.context(), { executionArn: arn('a'), status: 'RUNNING' })).rejects.toThrow(
      new RegExp(`^StopExecution ${arn('a')} failed: access denied`),
    );
  });

  it('sends every Step Functions call with the signal that cancels it when its attempt times out', async () => {
    serve([[listed('a', new Date(SINCE))]], { a: { status: 'RUNNING', input: input('journey-p1') } });
    const [run] = await runsOfProject(stage.context(), MACHINE_ARN, 'journey-p1', SINCE);
    await stopRun(stage.context(), run);
    const calls = stage.sfn.calls();
    expect(calls).toHaveLength(3);
    for (const c of calls) expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });

  it('stops a run with the reason the workflow records', async () => {
    await stopRun(stage.context(), { executionArn: arn('a'), status: 'RUNNING' });
    expect(stage.sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: arn('a'),
      error: 'AcceptanceJourneyCleanUp',
      cause: 'The acceptance journey removed its synthetic project.',
    });
  });
});
