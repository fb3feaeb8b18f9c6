import { apiStep, journeyProject } from '../../../../lambda/pipeline/private/journey/api-step';
import type { JourneyContext } from '../../../../lambda/pipeline/private/journey/journey-context';
import type { HttpAnswer, HttpCall } from '../../../../lambda/pipeline/private/journey/journey-http';
import { JourneySessions } from '../../../../lambda/pipeline/private/journey/journey-session';
import { resolveJourneyStage } from '../../../../lambda/pipeline/private/journey/journey-stage';
import type { JourneyDraft } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';
import type { StepRun } from '../../../../lambda/pipeline/private/journey/journey-step';
import { API_URL, FakeJourneyStage, PROJECTS } from './fake-journey-stage';

const OWNER = 'journey-run1-owner@synthetic.invalid';
const OTHER = 'journey-run1-other@synthetic.invalid';

let stage: FakeJourneyStage;
let sleeps: number[];
beforeEach(() => {
  stage = new FakeJourneyStage();
  sleeps = [];
  stage.users.set(OWNER, { sub: 'sub-1', groups: ['synthetic'] });
  stage.users.set(OTHER, { sub: 'sub-2', groups: ['synthetic'] });
});
afterEach(() => stage.restore());

type Rewrite = (call: HttpCall, answer: HttpAnswer, owner: boolean) => HttpAnswer | undefined;

/** The API step's run after sign-in; `rewrite` changes the fake API's answers (undefined keeps one). */
async function stepRun(rewrite: Rewrite = () => undefined, users?: JourneyDraft['users']): Promise<StepRun> {
  const base = stage.context();
  let ownerToken: string | undefined;
  const ctx: JourneyContext = {
    ...base,
    sleep: async (ms) => {
      sleeps.push(ms);
      await base.sleep(ms);
    },
    http: async (call) => {
      const answer = await stage.http(call);
      return rewrite(call, answer, call.authorization !== undefined && call.authorization === ownerToken) ?? answer;
    },
  };
  const journeyStage = await resolveJourneyStage(ctx);
  const sessions = new JourneySessions(ctx, journeyStage);
  const state: JourneyDraft = {
    ...newJourneyState('run1', false, stage.now),
    users: users ?? [
      { email: OWNER, sub: 'sub-1' },
      { email: OTHER, sub: 'sub-2' },
    ],
  };
  if (state.users[0]?.sub) ownerToken = (await sessions.tokenOf(state.users[0])).idToken;
  return { ctx, stage: journeyStage, sessions, state, deadlineAt: stage.now + 3_600_000 };
}

const json = (status: number, body: unknown): HttpAnswer => ({ status, body: JSON.stringify(body), json: body });
const path = (call: HttpCall) => `${call.method} ${call.url.slice(API_URL.length)}`;

describe('Step 2, the public API with the users’ tokens', () => {
  it('creates a synthetic project, reads it back, lists it, and keeps it from another user and from anonymous calls', async () => {
    const run = await stepRun();
    const createdAt = stage.now;
    const outcome = await apiStep(run);
    const projectId = run.state.projectId!;
    expect(projectId).toMatch(/^journey-p\d+$/);
    expect(run.state.projectCreatedAt).toBe(createdAt);
    expect(outcome).toEqual({
      done: true,
      detail: `owner created ${projectId} (201), read it back (200) and listed it; another user got 404 and does not list it; calls without a token got 401`,
    });
    expect(stage.requests.map((r) => `${path(r)} ${r.authorization ? 'token' : '-'}`)).toEqual([
      'GET projects -',
      'POST projects token',
      `GET projects/${projectId} token`,
      'GET projects token',
      `GET projects/${projectId} token`,
      'GET projects token',
      `GET projects/${projectId} -`,
    ]);
    expect(stage.requests[1].body).toEqual(journeyProject('run1'));
    expect(stage.tables[PROJECTS].get(projectId)).toMatchObject({ synthetic: true, title: 'Acceptance journey run1' });
  });

  it('sends a project as the web app does, named after the run', () => {
    expect(journeyProject('lx2abc')).toEqual({
      title: 'Acceptance journey lx2abc',
      description: expect.stringContaining('Synthetic project of the pipeline acceptance journey'),
      postcode: 'SW1A 1AA',
      budgetPence: 50000,
    });
  });

  it('fails before any call when the sign-in step recorded fewer than two users', async () => {
    const run = await stepRun(undefined, [{ email: OWNER, sub: 'sub-1' }]);
    stage.requests.length = 0;
    await expect(apiStep(run)).rejects.toThrow('the sign-in step recorded no users');
    expect(stage.requests).toEqual([]);
  });

  it('fails when the created project has no id', async () => {
    const run = await stepRun((call) =>
      path(call) === 'POST projects' ? json(201, { status: 'submitted' }) : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow('POST projects: expected a projectId, got {"status":"submitted"}');
    expect(run.state.projectId).toBeUndefined();
  });

  it.each([
    ['another title', { title: 'Something else' }],
    ['another postcode', { postcode: 'EC1A 1BB' }],
    ['another id', { projectId: 'journey-other' }],
  ])('fails when the project read back has %s', async (_case, change) => {
    const run = await stepRun((call, answer) =>
      call.method === 'GET' && /^projects\/journey-p\d+$/.test(call.url.slice(API_URL.length)) && answer.status === 200
        ? json(200, { ...(answer.json as object), ...change })
        : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow(
      /^GET projects\/journey-p\d+: expected the project as created \(title "Acceptance journey run1", postcode SW1A 1AA\), got \{/,
    );
    // Recorded at once, so the clean-up removes it.
    expect(run.state.projectId).toMatch(/^journey-p\d+$/);
  });

  it('fails naming the call when the created project is not a JSON object', async () => {
    const run = await stepRun((call) => (path(call) === 'POST projects' ? { status: 201, body: '' } : undefined));
    await expect(apiStep(run)).rejects.toThrow(/^POST projects: expected a JSON object, got an empty body$/);
  });

  it("fails naming the call when the owner's read of the project is refused or not a JSON object", async () => {
    const isRead = (call: HttpCall, owner: boolean) => owner && /^GET projects\/journey-p\d+$/.test(path(call));
    const refused = await stepRun((call, _answer, owner) => (isRead(call, owner) ? json(500, {}) : undefined));
    await expect(apiStep(refused)).rejects.toThrow(
      /^GET projects\/journey-p\d+ as the owner: expected HTTP 200, got 500: \{\}$/,
    );
    const empty = await stepRun((call, _answer, owner) => (isRead(call, owner) ? json(200, ['a list']) : undefined));
    await expect(apiStep(empty)).rejects.toThrow(
      /^GET projects\/journey-p\d+: expected a JSON object, got: \["a list"\]$/,
    );
  });

  it('quotes at most 200 characters of a project read back unlike the one created', async () => {
    const run = await stepRun((call, answer) =>
      /^GET projects\/journey-p\d+$/.test(path(call)) && answer.status === 200
        ? json(200, { ...(answer.json as object), title: 'Something else', notes: 'x'.repeat(300) })
        : undefined,
    );
    const error = await apiStep(run).catch((e: Error) => e);
    const [, got] = (error as Error).message.split('), got ');
    expect(got).toMatch(/^\{"title":"Something else"/);
    expect(got).toHaveLength(200);
  });

  it.each([
    ['the owner', true],
    ['another user', false],
  ])('fails naming the call when the list of %s holds no list of projects', async (_case, ofOwner) => {
    const run = await stepRun((call, _answer, owner) =>
      path(call) === 'GET projects' && call.authorization && owner === ofOwner ? json(200, { items: [] }) : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow(/^GET projects: expected a list "projects", got: \{"items":\[\]\}$/);
  });

  it("passes when another user's list holds only that user's own projects", async () => {
    stage.tables[PROJECTS].set('journey-p99', { projectId: 'journey-p99', homeownerId: 'sub-2', status: 'submitted' });
    await expect(apiStep(await stepRun())).resolves.toMatchObject({ done: true });
  });

  it("waits a second between tries for the project to appear in the owner's list", async () => {
    let lists = 0;
    const run = await stepRun((call, _answer, owner) =>
      path(call) === 'GET projects' && owner && ++lists < 3 ? json(200, { projects: [] }) : undefined,
    );
    await expect(apiStep(run)).resolves.toMatchObject({ done: true });
    expect(lists).toBe(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("fails after five tries when the project never appears in the owner's list", async () => {
    let lists = 0;
    const run = await stepRun((call, _answer, owner) => {
      if (path(call) !== 'GET projects' || !owner) return undefined;
      lists++;
      return json(200, { projects: [{ projectId: 'journey-older' }] });
    });
    await expect(apiStep(run)).rejects.toThrow(
      /^GET projects as the owner: expected the list to hold journey-p\d+ within 5 tries, it did not$/,
    );
    expect(lists).toBe(5);
    expect(sleeps).toEqual([1000, 1000, 1000, 1000]);
  });

  it("accepts 403 for another user's read", async () => {
    const run = await stepRun((call, answer, owner) =>
      /^GET projects\/journey-p\d+$/.test(path(call)) && call.authorization && !owner && answer.status === 404
        ? json(403, { message: 'Forbidden' })
        : undefined,
    );
    await expect(apiStep(run)).resolves.toMatchObject({ done: true });
  });

  it("fails when another user's list holds the owner's project", async () => {
    const run = await stepRun((call, _answer, owner) =>
      path(call) === 'GET projects' && call.authorization && !owner
        ? json(200, { projects: [{ projectId: run.state.projectId }] })
        : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow(
      /^GET projects as another user: expected a list without journey-p\d+, got it listed$/,
    );
  });

  it("fails when another user's list is refused", async () => {
    const run = await stepRun((call, _answer, owner) =>
      path(call) === 'GET projects' && call.authorization && !owner ? json(500, { message: 'boom' }) : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow(
      'GET projects as another user: expected HTTP 200, got 500: {"message":"boom"}',
    );
  });

  it('fails when a project can be read without a token', async () => {
    const run = await stepRun((call, answer) =>
      /^GET projects\/journey-p\d+$/.test(path(call)) && !call.authorization ? json(200, answer.json) : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow(
      /^GET projects\/journey-p\d+ without a token: expected HTTP 401, got 200/,
    );
  });

  it("fails when the owner's list is refused", async () => {
    const run = await stepRun((call, _answer, owner) =>
      path(call) === 'GET projects' && owner ? json(503, { message: 'busy' }) : undefined,
    );
    await expect(apiStep(run)).rejects.toThrow(
      'GET projects as the owner: expected HTTP 200, got 503: {"message":"busy"}',
    );
  });
});
