import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { JourneyContext } from '../../../../lambda/pipeline/private/journey/journey-context';
import type { HttpAnswer, HttpCall } from '../../../../lambda/pipeline/private/journey/journey-http';
import { JourneySessions } from '../../../../lambda/pipeline/private/journey/journey-session';
import { resolveJourneyStage } from '../../../../lambda/pipeline/private/journey/journey-stage';
import type { JourneyDraft } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';
import type { StepRun } from '../../../../lambda/pipeline/private/journey/journey-step';
import { workflowStep } from '../../../../lambda/pipeline/private/journey/workflow-step';
import { API_URL, FakeJourneyStage, MACHINE_ARN, PROJECTS, QUOTES } from './fake-journey-stage';

const OWNER = 'journey-run1-owner@synthetic.invalid';
const HOUR = 3_600_000;

let stage: FakeJourneyStage;
let sleeps: number[];
beforeEach(() => {
  stage = new FakeJourneyStage();
  sleeps = [];
  stage.users.set(OWNER, { sub: 'sub-1', groups: ['synthetic'] });
  stage.tables[PROJECTS].set('journey-p1', {
    projectId: 'journey-p1',
    homeownerId: 'sub-1',
    status: 'submitted',
    synthetic: true,
  });
});
afterEach(() => stage.restore());

type Rewrite = (call: HttpCall, answer: HttpAnswer) => HttpAnswer | undefined;
const json = (status: number, body: unknown): HttpAnswer => ({ status, body: JSON.stringify(body), json: body });
const isQuotes = (call: HttpCall) => call.url === `${API_URL}projects/journey-p1/quotes`;
const isProject = (call: HttpCall) => call.url === `${API_URL}projects/journey-p1`;

/** The workflow step's run for project journey-p1, with `deadlineAt` ms left in the invocation. */
async function stepRun(options: { rewrite?: Rewrite; left?: number; state?: Partial<JourneyDraft> } = {}) {
  const base = stage.context();
  const ctx: JourneyContext = {
    ...base,
    sleep: async (ms) => {
      sleeps.push(ms);
      await base.sleep(ms);
    },
    http: async (call) => {
      const answer = await stage.http(call);
      return options.rewrite?.(call, answer) ?? answer;
    },
  };
  const journeyStage = await resolveJourneyStage(ctx);
  const run: StepRun = {
    ctx,
    stage: journeyStage,
    sessions: new JourneySessions(ctx, journeyStage),
    state: {
      ...newJourneyState('run1', false, stage.now),
      users: [{ email: OWNER, sub: 'sub-1' }],
      projectId: 'journey-p1',
      projectCreatedAt: stage.now,
      ...options.state,
    },
    deadlineAt: stage.now + (options.left ?? HOUR),
  };
  return run;
}

const addRun = (status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED', startDate = stage.now) =>
  stage.runs.push({
    executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-${stage.runs.length}`,
    name: `run-${stage.runs.length}`,
    status,
    projectId: 'journey-p1',
    startDate: new Date(startDate),
  });
const polls = () => stage.requests.filter((r) => r.url === `${API_URL}projects/journey-p1`).length;

describe('Step 3, the workflow', () => {
  it('polls the project every poll interval until it is quoted, then checks the stored quote', async () => {
    stage.faults = { pollsBeforeQuote: 2 };
    const run = await stepRun();
    const outcome = await workflowStep(run, stage.now);
    expect(outcome.done).toBe(true);
    const quoteId = run.state.quoteIds[0];
    expect(quoteId).toMatch(/^journey-q\d+$/);
    expect(outcome.detail).toBe(
      `project scoped (1 tasks) and quoted within 10 s: quote ${quoteId} of £420.00 stored, marked synthetic`,
    );
    expect(sleeps).toEqual([5000, 5000]);
    expect(polls()).toBe(3);
    expect(stage.dynamo.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: QUOTES, Key: { quoteId: { S: quoteId } }, ConsistentRead: true },
    ]);
  });

  it('fails before any call when the API step recorded no project', async () => {
    const run = await stepRun({ state: { projectId: undefined } });
    await expect(workflowStep(run, stage.now)).rejects.toThrow('the API step recorded no project to follow');
    const noOwner = await stepRun({ state: { users: [] } });
    await expect(workflowStep(noOwner, stage.now)).rejects.toThrow('the API step recorded no project to follow');
    expect(stage.requests).toEqual([]);
  });

  it('takes the first quote with a total above £0, records every quote for the clean-up, and counts no tasks when there is no scope', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    stage.tables[QUOTES].set('journey-q1', {
      quoteId: 'journey-q1',
      projectId: 'journey-p1',
      totalPence: 0,
      synthetic: true,
    });
    stage.tables[QUOTES].set('journey-q2', {
      quoteId: 'journey-q2',
      projectId: 'journey-p1',
      totalPence: '5',
      synthetic: true,
    });
    stage.tables[QUOTES].set('journey-q3', {
      quoteId: 'journey-q3',
      projectId: 'journey-p1',
      totalPence: 1,
      synthetic: true,
    });
    const run = await stepRun({ state: { quoteIds: ['journey-q1'] } });
    const outcome = await workflowStep(run, stage.now);
    expect(outcome.detail).toBe(
      'project scoped (0 tasks) and quoted within 0 s: quote journey-q3 of £0.01 stored, marked synthetic',
    );
    expect(run.state.quoteIds).toEqual(['journey-q1', 'journey-q2', 'journey-q3']);
  });

  it('fails when the quoted project has no quote with a total above £0', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    stage.tables[QUOTES].set('journey-q1', {
      quoteId: 'journey-q1',
      projectId: 'journey-p1',
      totalPence: 0,
      synthetic: true,
    });
    const run = await stepRun();
    await expect(workflowStep(run, stage.now)).rejects.toThrow(
      /^GET projects\/journey-p1\/quotes: expected a quote with a total above £0 once the project is quoted, got \{"quotes":\[\{"quoteId":"journey-q1"/,
    );
    expect(run.state.quoteIds).toEqual(['journey-q1']);
  });

  it('fails when the quotes cannot be read', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    const run = await stepRun({ rewrite: (call) => (isQuotes(call) ? json(500, { message: 'boom' }) : undefined) });
    await expect(workflowStep(run, stage.now)).rejects.toThrow(
      'GET projects/journey-p1/quotes as the owner: expected HTTP 200, got 500: {"message":"boom"}',
    );
  });

  it('fails when the quote is not marked synthetic, and never reads it', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    stage.tables[QUOTES].set('q1', { quoteId: 'q1', projectId: 'journey-p1', totalPence: 100 });
    await expect(workflowStep(await stepRun(), stage.now)).rejects.toThrow(
      "quote q1: expected quote estimation to mark a synthetic project's quote (journey-…); the journey cannot remove it",
    );
    expect(stage.dynamo.calls()).toHaveLength(0);
  });

  it.each([
    ['without a project', { synthetic: true }],
    ['of another project', { projectId: 'journey-p2', synthetic: true }],
    ['without the synthetic attribute', { projectId: 'journey-p1' }],
    ['with the synthetic attribute false', { projectId: 'journey-p1', synthetic: false }],
  ])('fails when the stored quote is %s', async (_case, stored) => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    const listed = { quoteId: 'journey-q1', projectId: 'journey-p1', totalPence: 100, synthetic: true };
    stage.tables[QUOTES].set('journey-q1', { quoteId: 'journey-q1', totalPence: 100, ...stored });
    const run = await stepRun({
      rewrite: (call) => (isQuotes(call) ? json(200, { quotes: [listed] }) : undefined),
    });
    await expect(workflowStep(run, stage.now)).rejects.toThrow(
      /^quote journey-q1: expected a stored item of project journey-p1 marked synthetic, got \{"quoteId":\{"S":"journey-q1"\}/,
    );
  });

  it('fails naming the poll when the project cannot be read as its owner or is not a JSON object', async () => {
    const refused = await stepRun({
      rewrite: (call) => (isProject(call) ? json(500, { message: 'boom' }) : undefined),
    });
    await expect(workflowStep(refused, stage.now)).rejects.toThrow(
      'GET projects/journey-p1 as the owner: expected HTTP 200, got 500: {"message":"boom"}',
    );
    const empty = await stepRun({ rewrite: (call) => (isProject(call) ? { status: 200, body: '' } : undefined) });
    await expect(workflowStep(empty, stage.now)).rejects.toThrow(
      'GET projects/journey-p1: expected a JSON object, got an empty body',
    );
  });

  it('fails naming the quotes call when its answer holds no list of quotes', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    const run = await stepRun({ rewrite: (call) => (isQuotes(call) ? json(200, { items: [] }) : undefined) });
    await expect(workflowStep(run, stage.now)).rejects.toThrow(
      'GET projects/journey-p1/quotes: expected a list "quotes", got: {"items":[]}',
    );
  });

  it('quotes at most 200 characters of a quotes answer without a total above £0', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    const quotes = Array.from({ length: 10 }, (_, i) => ({ quoteId: `journey-q${i}`, totalPence: 0 }));
    const body = JSON.stringify({ quotes });
    const run = await stepRun({ rewrite: (call) => (isQuotes(call) ? json(200, { quotes }) : undefined) });
    const error = await workflowStep(run, stage.now).catch((e: Error) => e);
    expect(body.length).toBeGreaterThan(200);
    expect((error as Error).message).toBe(
      `GET projects/journey-p1/quotes: expected a quote with a total above £0 once the project is quoted, got ${body.slice(0, 200)}`,
    );
  });

  it('quotes at most 160 characters of a stored quote of another project', async () => {
    stage.tables[PROJECTS].get('journey-p1')!.status = 'quoted';
    const listed = { quoteId: 'journey-q1', projectId: 'journey-p1', totalPence: 100, synthetic: true };
    stage.tables[QUOTES].set('journey-q1', { ...listed, projectId: 'journey-p2', notes: 'x'.repeat(300) });
    const run = await stepRun({ rewrite: (call) => (isQuotes(call) ? json(200, { quotes: [listed] }) : undefined) });
    const error = await workflowStep(run, stage.now).catch((e: Error) => e);
    const [, got] = (error as Error).message.split('marked synthetic, got ');
    expect(got).toMatch(/^\{"quoteId":\{"S":"journey-q1"\}/);
    expect(got).toHaveLength(160);
  });

  it("looks at the workflow's runs every fourth poll and fails at once when every run has ended without success", async () => {
    stage.faults = { workflowStalls: true };
    addRun('FAILED');
    const run = await stepRun();
    await expect(workflowStep(run, stage.now)).rejects.toThrow(
      'expected the AI workflow to quote journey-p1, got its run FAILED (States.TaskFailed: model unreachable); project status submitted',
    );
    expect(polls()).toBe(4);
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(1);
  });

  it('names a run that ended without an error by its status alone', async () => {
    stage.faults = { workflowStalls: true };
    addRun('ABORTED');
    await expect(workflowStep(await stepRun(), stage.now)).rejects.toThrow(
      /^expected the AI workflow to quote journey-p1, got its run ABORTED; project status submitted$/,
    );
  });

  it('counts the runs from a minute before the project was created, not from the step start', async () => {
    stage.faults = { workflowStalls: true };
    addRun('FAILED', stage.now - 3 * 60_000);
    const run = await stepRun({ state: { projectCreatedAt: stage.now - 5 * 60_000 } });
    await expect(workflowStep(run, stage.now)).rejects.toThrow('got its run FAILED');
    expect(polls()).toBe(4);
  });

  it('keeps polling when no run has started yet', async () => {
    stage.faults = { workflowStalls: true };
    await expect(workflowStep(await stepRun(), stage.now)).rejects.toThrow(
      /within 10 min \(journey.timeoutMinutes\), got status submitted$/,
    );
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(30);
  });

  it('keeps polling while any run still runs', async () => {
    stage.faults = { workflowStalls: true };
    addRun('FAILED');
    addRun('RUNNING');
    const run = await stepRun();
    await expect(workflowStep(run, stage.now)).rejects.toThrow(
      /within 10 min \(journey.timeoutMinutes\), got status submitted$/,
    );
    expect(polls()).toBe(121);
    expect(stage.sfn.commandCalls(ListExecutionsCommand)).toHaveLength(30);
  });

  it('keeps polling when the only run succeeded but the project is not quoted yet', async () => {
    stage.faults = { workflowStalls: true };
    addRun('SUCCEEDED');
    await expect(workflowStep(await stepRun(), stage.now)).rejects.toThrow(/got status submitted$/);
    expect(polls()).toBe(121);
  });

  it('fails once journey.timeoutMinutes have passed since the step started, sleeping no further than the limit', async () => {
    stage.faults = { workflowStalls: true };
    const run = await stepRun();
    const startedAt = stage.now - 10 * 60_000 + 7000;
    await expect(workflowStep(run, startedAt)).rejects.toThrow(
      'expected project journey-p1 quoted with a stored quote within 10 min (journey.timeoutMinutes), got status submitted',
    );
    expect(sleeps).toEqual([5000, 2000]);
    expect(stage.now - startedAt).toBe(10 * 60_000);
  });

  it('hands over to the next invocation when one more poll would not fit before the deadline', async () => {
    stage.faults = { workflowStalls: true };
    // 5 s between polls and 15 s kept: a poll starting exactly 20 s before the deadline still runs.
    const run = await stepRun({ left: 20_000 + 5000 });
    const outcome = await workflowStep(run, stage.now);
    expect(outcome).toEqual({ done: false, detail: 'waiting for the quote: project status submitted' });
    expect(sleeps).toEqual([5000, 5000]);
    expect(polls()).toBe(3);
  });
});
