import { AdminDeleteUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import 'aws-sdk-client-mock-jest';
import { cleanUpStep } from '../../../../lambda/pipeline/private/journey/clean-up-step';
import { JourneySessions } from '../../../../lambda/pipeline/private/journey/journey-session';
import { resolveJourneyStage } from '../../../../lambda/pipeline/private/journey/journey-stage';
import type { JourneyDraft } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';
import type { StepRun } from '../../../../lambda/pipeline/private/journey/journey-step';
import { API_URL, awsError, FakeJourneyStage, MACHINE_ARN, PROJECTS, QUOTES } from './fake-journey-stage';

const OWNER = 'journey-run1-owner@synthetic.invalid';
const OTHER = 'journey-run1-other@synthetic.invalid';
const HOUR = 3_600_000;

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

/** The clean-up's run, over a state that recorded what the journey created. */
async function stepRun(state: Partial<JourneyDraft>): Promise<StepRun> {
  const ctx = stage.context();
  const journeyStage = await resolveJourneyStage(ctx);
  return {
    ctx,
    stage: journeyStage,
    sessions: new JourneySessions(ctx, journeyStage),
    state: { ...newJourneyState('run1', false, stage.now), ...state },
    deadlineAt: stage.now + HOUR,
  };
}

/** What a journey that reached the workflow step leaves: two users, a project and its quote. */
function seedJourney() {
  stage.users.set(OWNER, { sub: 'sub-1', groups: ['synthetic'] });
  stage.users.set(OTHER, { sub: 'sub-2', groups: ['synthetic'] });
  stage.tables[PROJECTS].set('journey-p1', { projectId: 'journey-p1', homeownerId: 'sub-1', synthetic: true });
  stage.tables[QUOTES].set('journey-q1', { quoteId: 'journey-q1', projectId: 'journey-p1', synthetic: true });
  return {
    users: [
      { email: OWNER, sub: 'sub-1' },
      { email: OTHER, sub: 'sub-2' },
    ],
    projectId: 'journey-p1',
    projectCreatedAt: stage.now,
    quoteIds: [],
  };
}

const runOf = (projectId: string, startDate: number, status: 'RUNNING' | 'SUCCEEDED' = 'RUNNING') => ({
  executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-${startDate}`,
  name: `run-${startDate}`,
  status,
  projectId,
  startDate: new Date(startDate),
});

describe('Step 4, the clean-up', () => {
  it('removes the users, the project and the quotes the API lists, and proves it with a final read', async () => {
    const run = await stepRun(seedJourney());
    const outcome = await cleanUpStep(run);
    expect(outcome).toEqual({
      done: true,
      detail: `removed user ${OWNER}, user ${OTHER}, project journey-p1, quote journey-q1; a final read finds none of them`,
    });
    expect(run.state.quoteIds).toEqual(['journey-q1']);
    expect(stage.requests.map((r) => `${r.method} ${r.url.slice(API_URL.length)}`)).toEqual([
      'GET projects/journey-p1/quotes',
    ]);
    expect([...stage.users.keys()]).toEqual([]);
    expect([...stage.tables[PROJECTS].keys(), ...stage.tables[QUOTES].keys()]).toEqual([]);
    expect(stage.dynamo).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: QUOTES,
      Key: { quoteId: { S: 'journey-q1' } },
      ConsistentRead: true,
    });
  });

  it("stops the project's running workflow runs started since a minute before the project, and only those", async () => {
    const seeded = seedJourney();
    stage.runs.push(
      runOf('journey-p1', stage.now - 60_000),
      runOf('journey-p1', stage.now - 60_001),
      runOf('journey-p1', stage.now + 5, 'SUCCEEDED'),
      runOf('journey-p2', stage.now + 6),
    );
    const outcome = await cleanUpStep(await stepRun(seeded));
    expect(stage.sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([
      stage.runs[0].executionArn,
    ]);
    expect(outcome.detail).toMatch(/^stopped 1 workflow run\(s\); removed user /);
  });

  it('counts from the start of the journey when the project was never recorded as created', async () => {
    const { projectCreatedAt: _created, ...seeded } = seedJourney();
    stage.runs.push(runOf('journey-p1', stage.now - 60_000), runOf('journey-p1', stage.now - 60_001));
    await cleanUpStep(await stepRun(seeded));
    expect(stage.sfn.commandCalls(StopExecutionCommand)).toHaveLength(1);
  });

  it('reports "nothing" when the journey created nothing', async () => {
    expect(await cleanUpStep(await stepRun({}))).toEqual({
      done: true,
      detail: 'removed nothing (nothing was created); a final read finds none of them',
    });
    expect(stage.sfn.calls()).toHaveLength(0);
    expect(stage.dynamo.calls()).toHaveLength(0);
    expect(stage.requests).toEqual([]);
  });

  it("does not ask the API for quotes as an owner whose sub was never known, but still removes the project's recorded quote", async () => {
    const seeded = seedJourney();
    const outcome = await cleanUpStep(
      await stepRun({ ...seeded, users: [{ email: OWNER }, seeded.users[1]], quoteIds: ['journey-q1'] }),
    );
    expect(stage.requests).toEqual([]);
    expect(outcome.detail).toContain('quote journey-q1');
    expect([...stage.tables[QUOTES].keys()]).toEqual([]);
  });

  it('accepts a 404 for the quotes of a project the API no longer has', async () => {
    const seeded = seedJourney();
    stage.faults = { answers: { 'GET projects/journey-p1/quotes': { status: 404, body: '{"message":"not found"}' } } };
    const run = await stepRun(seeded);
    await expect(cleanUpStep(run)).resolves.toMatchObject({ done: true });
    expect(run.state.quoteIds).toEqual([]);
  });

  it('fails naming the API status when the quotes cannot be listed, after removing everything else', async () => {
    stage.faults = { answers: { 'GET projects/journey-p1/quotes': { status: 500, body: '{}' } } };
    await expect(cleanUpStep(await stepRun(seedJourney()))).rejects.toThrow(
      'errors while listing the project quotes through the API: expected HTTP 200 or 404, got 500',
    );
    expect([...stage.users.keys()]).toEqual([]);
    expect([...stage.tables[PROJECTS].keys()]).toEqual([]);
  });

  it('never touches a quote or project the platform did not mark, and names them for a person to remove', async () => {
    stage.tables[PROJECTS].set('p1', { projectId: 'p1', homeownerId: 'sub-1' });
    stage.tables[QUOTES].set('q1', { quoteId: 'q1', projectId: 'p1' });
    // Only the names: no refused delete or read of them is reported as an error.
    await expect(cleanUpStep(await stepRun({ projectId: 'p1', quoteIds: ['q1'] }))).rejects.toThrow(
      /^expected nothing left after the clean-up, got quote q1 \(not marked synthetic: remove it by hand\), project p1 \(not marked synthetic: remove it by hand\)$/,
    );
    expect(stage.dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
    expect(stage.sfn.calls()).toHaveLength(0);
    expect(stage.requests).toEqual([]);
  });

  it('names what the final read still finds and the errors, after trying every delete', async () => {
    stage.cognito
      .on(AdminDeleteUserCommand, { Username: OWNER })
      .rejects(awsError('InternalErrorException', 'boom', 500));
    stage.dynamo
      .on(DeleteItemCommand, { TableName: QUOTES })
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:DeleteItem', 403));
    const error = await cleanUpStep(await stepRun(seedJourney())).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^expected nothing left after the clean-up, got quote journey-q1, user ${OWNER}; errors while deleting quote journey-q1: DeleteItem ${QUOTES} journey-q1 failed: access denied .*; deleting user ${OWNER}: AdminDeleteUser ${OWNER} failed: InternalErrorException: boom`,
      ),
    );
    expect(stage.users.has(OTHER)).toBe(false);
    expect(stage.tables[PROJECTS].has('journey-p1')).toBe(false);
  });

  it('fails with the errors alone when only the final read fails', async () => {
    stage.dynamo.on(GetItemCommand, { TableName: PROJECTS }).rejects(awsError('InternalServerError', 'boom', 500));
    await expect(cleanUpStep(await stepRun(seedJourney()))).rejects.toThrow(
      new RegExp(
        `^errors while reading project journey-p1: GetItem ${PROJECTS} journey-p1 failed: InternalServerError: boom`,
      ),
    );
  });

  it('names a quotes answer without a list of quotes among the errors', async () => {
    stage.faults = { answers: { 'GET projects/journey-p1/quotes': { status: 200, body: '{}', json: {} } } };
    await expect(cleanUpStep(await stepRun(seedJourney()))).rejects.toThrow(
      /^errors while listing the project quotes through the API: GET quotes: expected a list "quotes", got: \{\}$/,
    );
  });

  it.each([
    [
      'quote',
      () => stage.dynamo.on(GetItemCommand, { TableName: QUOTES }),
      `reading quote journey-q1: GetItem ${QUOTES}`,
    ],
    ['user', () => stage.cognito.on(AdminGetUserCommand, { Username: OTHER }), `reading user ${OTHER}: AdminGetUser`],
  ])('names the %s whose final read was refused', async (_case, read, named) => {
    read().rejects(awsError('AccessDeniedException', 'not authorized', 403));
    await expect(cleanUpStep(await stepRun(seedJourney()))).rejects.toThrow(new RegExp(`^errors while ${named}`));
  });

  it('names both listings of the workflow runs when they are refused, and still removes everything else', async () => {
    stage.sfn
      .on(ListExecutionsCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: states:ListExecutions', 403));
    await expect(cleanUpStep(await stepRun(seedJourney()))).rejects.toThrow(
      /^errors while stopping the workflow runs of the project: ListExecutions of the AI workflow failed: access denied .*; listing the workflow runs of the project: ListExecutions of the AI workflow failed: access denied /,
    );
    expect([...stage.users.keys(), ...stage.tables[PROJECTS].keys(), ...stage.tables[QUOTES].keys()]).toEqual([]);
  });

  it('names a workflow run still running after the clean-up', async () => {
    const seeded = seedJourney();
    stage.runs.push(runOf('journey-p1', stage.now));
    stage.sfn.on(StopExecutionCommand).resolves({});
    await expect(cleanUpStep(await stepRun(seeded))).rejects.toThrow(
      `expected nothing left after the clean-up, got workflow run ${stage.runs[0].executionArn}`,
    );
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(2);
  });
});
