import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { runJourneySlice } from '../../../../lambda/pipeline/private/journey/run-journey';
import type { JourneyDraft, StepResult } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';
import { journeyPassed, summarizeJourney } from '../../../../lambda/pipeline/private/journey/journey-report';
import { awsError, FakeJourneyStage, PARAMS, PROJECTS, QUOTES } from './fake-journey-stage';

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

const HOUR = 3_600_000;

/** Runs the whole journey in one long invocation; returns its state. */
async function runAll(params = PARAMS, srp = false): Promise<JourneyDraft> {
  const state: JourneyDraft = newJourneyState('run1', params.journey!.readOnly, stage.now);
  await runJourneySlice(stage.context(params, [], srp), state, stage.now + HOUR);
  return state;
}

const result = (state: JourneyDraft, name: string): StepResult | undefined =>
  state.results.find((r) => r.name === name);

/** Nothing the journey created is left in the fake stage. */
function expectNothingLeft() {
  expect([...stage.users.keys()]).toEqual([]);
  expect([...stage.tables[PROJECTS].keys()]).toEqual([]);
  expect([...stage.tables[QUOTES].keys()]).toEqual([]);
  expect(stage.runs.filter((r) => r.status === 'RUNNING')).toEqual([]);
}

describe('The acceptance journey', () => {
  it('passes every step in order on a working stage and leaves nothing behind', async () => {
    const state = await runAll();
    expect(state.results.map((r) => [r.name, r.status])).toEqual([
      ['sign-in', 'pass'],
      ['api', 'pass'],
      ['workflow', 'pass'],
      ['clean-up', 'pass'],
    ]);
    expect(journeyPassed(state)).toBe(true);
    expect(result(state, 'sign-in')?.detail).toContain('journey-run1-owner@synthetic.invalid');
    expect(result(state, 'workflow')?.detail).toMatch(/quote journey-q\d+ of £420\.00 stored, marked synthetic/);
    expect(result(state, 'clean-up')?.detail).toMatch(/a final read finds none of them$/);
    expectNothingLeft();
    // Exactly the two unauthenticated calls go without a token.
    expect(
      stage.requests.filter((r) => !r.authorization).map((r) => `${r.method} ${r.url.replace(/^.*\/api\//, '')}`),
    ).toEqual(['GET projects', expect.stringMatching(/^GET projects\/journey-p\d+$/)]);
  });

  it('creates only synthetic users, never sends an invitation, and marks the e-mail verified', async () => {
    await runAll();
    const creates = stage.cognito.commandCalls(AdminCreateUserCommand).map((c) => c.args[0].input);
    expect(creates).toHaveLength(2);
    for (const input of creates) {
      expect(input.Username).toMatch(/^journey-run1-(owner|other)@synthetic\.invalid$/);
      expect(input.MessageAction).toBe('SUPPRESS');
      expect(input.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    }
  });

  describe('a stage whose stacks do not exist yet (an account that holds only the CDK bootstrap)', () => {
    // CloudFormation answers DescribeStacks for a missing stack with ValidationError "Stack with id X does not exist"
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html).
    const firstRun = { ...PARAMS, stackNames: ['Staging-Stateful-not-deployed', 'Staging-Service'] };

    it('fails at sign-in naming the missing stack, creates nothing, and its clean-up has nothing to remove', async () => {
      const state = await runAll(firstRun);
      expect(state.results.map((r) => [r.name, r.status])).toEqual([
        ['sign-in', 'fail'],
        ['clean-up', 'pass'],
      ]);
      expect(result(state, 'sign-in')?.detail).toBe('stack Staging-Stateful-not-deployed does not exist in eu-west-2');
      expect(result(state, 'clean-up')?.detail).toBe('removed nothing (nothing was created)');
      expect(summarizeJourney('staging', state)).toMatch(
        /^staging journey FAILED at step sign-in: stack Staging-Stateful-not-deployed does not exist in eu-west-2\. Clean-up passed\./,
      );
      expect(stage.cognito.calls()).toHaveLength(0);
      expect(stage.dynamo.calls()).toHaveLength(0);
      expect(stage.sfn.calls()).toHaveLength(0);
    });

    it('fails the read-only journey naming the missing stack', async () => {
      const state = await runAll({ ...firstRun, journey: { readOnly: true, timeoutMinutes: 10 } });
      expect(state.results).toEqual([
        expect.objectContaining({
          name: 'public-api',
          status: 'fail',
          detail: 'stack Staging-Stateful-not-deployed does not exist in eu-west-2',
        }),
      ]);
      expect(stage.requests).toEqual([]);
    });
  });

  describe('step 1, sign-in', () => {
    it('fails naming the call when the role may not create users, and still removes nothing that is not there', async () => {
      stage.cognito
        .on(AdminCreateUserCommand)
        .rejects(awsError('AccessDeniedException', 'not authorized to perform: cognito-idp:AdminCreateUser', 403));
      const state = await runAll();
      expect(result(state, 'sign-in')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/^AdminCreateUser journey-run1-owner@synthetic\.invalid failed: access denied/),
      });
      expect(state.results.map((r) => r.name)).toEqual(['sign-in', 'clean-up']);
      expect(result(state, 'clean-up')?.status).toBe('pass');
      expect(summarizeJourney('staging', state)).toMatch(/^staging journey FAILED at step sign-in: AdminCreateUser/);
    });

    it("fails when the ID token does not carry the synthetic group, so the API would not mark the user's data", async () => {
      // The group call succeeds, but the user never joins the group.
      stage.cognito.on(AdminAddUserToGroupCommand).resolves({});
      const state = await runAll();
      expect(result(state, 'sign-in')?.detail).toBe(
        "sign-in of journey-run1-owner@synthetic.invalid: expected the ID token's cognito:groups to include synthetic, got []",
      );
      expect(result(state, 'clean-up')?.status).toBe('pass');
      expectNothingLeft();
    });
  });

  describe('step 2, the API', () => {
    it.each([
      [
        'GET projects',
        'an unauthenticated list answered 200',
        { status: 200, body: '{"projects":[]}' },
        'GET projects without a token: expected HTTP 401, got 200: {"projects":[]}',
      ],
      [
        'POST projects',
        'creating a project answered 500',
        { status: 500, body: '{"message":"misconfigured"}' },
        'POST projects as the owner: expected HTTP 201, got 500: {"message":"misconfigured"}',
      ],
    ])('fails on a wrong status (%s: %s), naming the call', async (route, _case, answer, detail) => {
      stage.faults = { answers: { [route]: answer } };
      const state = await runAll();
      expect(result(state, 'api')).toMatchObject({ status: 'fail', detail });
      expect(result(state, 'clean-up')?.status).toBe('pass');
      expectNothingLeft();
    });

    it("fails when another user can read the owner's project", async () => {
      const original = stage.http;
      // Another user's read answers 200: an authorization bug the journey must catch.
      let calls = 0;
      Object.defineProperty(stage, 'http', {
        value: async (call: Parameters<typeof original>[0]) => {
          const answer = await original(call);
          if (call.method === 'GET' && /projects\/journey-/.test(call.url) && answer.status === 404 && ++calls === 1)
            return { status: 200, body: '{}', json: {} };
          return answer;
        },
      });
      const state = await runAll();
      expect(result(state, 'api')?.detail).toMatch(
        /^GET projects\/journey-p\d+ as another user: expected HTTP 404 or 403, got 200/,
      );
      expectNothingLeft();
    });

    it('fails when the API does not mark the synthetic project, and the clean-up refuses to remove it', async () => {
      stage.faults = { unmarkedProjects: true };
      const state = await runAll();
      expect(result(state, 'api')?.detail).toMatch(
        /^POST projects: expected the API to mark a synthetic user's project \(id journey-…\), got p\d+; the journey cannot remove it$/,
      );
      expect(result(state, 'clean-up')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(
          /^expected nothing left after the clean-up, got project p\d+ \(not marked synthetic: remove it by hand\)$/,
        ),
      });
      // The unmarked project is left for a person, never deleted by the journey.
      expect(stage.dynamo.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.TableName)).not.toContain(
        PROJECTS,
      );
    });
  });

  describe('step 3, the workflow', () => {
    it('polls the project until the workflow has quoted it', async () => {
      stage.faults = { pollsBeforeQuote: 4 };
      const state = await runAll();
      expect(result(state, 'workflow')?.status).toBe('pass');
      // The API step's read is the first poll; the workflow step sleeps between the other three.
      expect(result(state, 'workflow')?.durationMs).toBeGreaterThanOrEqual(3 * 5000);
    });

    it('fails on a timeout after journey.timeoutMinutes, naming the status it last saw', async () => {
      stage.faults = { workflowStalls: true };
      const state = await runAll({ ...PARAMS, journey: { readOnly: false, timeoutMinutes: 2 } });
      expect(result(state, 'workflow')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(
          /^expected project journey-p\d+ quoted with a stored quote within 2 min \(journey.timeoutMinutes\), got status submitted$/,
        ),
      });
      expect(result(state, 'clean-up')?.detail).toMatch(/^stopped 1 workflow run\(s\); removed/);
      expect(stage.sfn.commandCalls(StopExecutionCommand)).toHaveLength(1);
      expectNothingLeft();
    });

    it('fails at once when the workflow run failed, with its error', async () => {
      stage.faults = { workflowFails: true };
      const state = await runAll();
      expect(result(state, 'workflow')?.detail).toMatch(
        /^expected the AI workflow to quote journey-p\d+, got its run FAILED \(States.TaskFailed: model unreachable\); project status submitted$/,
      );
      expect(result(state, 'workflow')!.durationMs).toBeLessThan(60_000);
    });

    it('fails when the quote the API lists is missing from the table', async () => {
      stage.dynamo.on(GetItemCommand, { TableName: QUOTES }).resolves({});
      const state = await runAll();
      expect(result(state, 'workflow')?.detail).toMatch(
        /^quote journey-q\d+: expected a stored item of project journey-p\d+ marked synthetic, got no item$/,
      );
    });

    it('hands over to the next invocation when its time is up, and carries on from the same start', async () => {
      stage.faults = { pollsBeforeQuote: 30 };
      const ctx = stage.context();
      const state: JourneyDraft = newJourneyState('run1', false, stage.now);
      await runJourneySlice(ctx, state, stage.now + 60_000);
      expect(state.results.map((r) => r.name)).toEqual(['sign-in', 'api']);
      expect(state.current).toMatchObject({ name: 'workflow' });
      const firstStart = state.current!.startedAt;
      await runJourneySlice(ctx, state, stage.now + HOUR);
      expect(result(state, 'workflow')?.status).toBe('pass');
      expect(result(state, 'workflow')!.durationMs).toBeGreaterThanOrEqual(30 * 5000 - 60_000);
      expect(firstStart).toBeLessThan(stage.now);
      expect(journeyPassed(state)).toBe(true);
    });
  });

  describe('step 4, the clean-up', () => {
    it('fails naming what is left when a delete is refused, after trying everything else', async () => {
      stage.dynamo
        .on(DeleteItemCommand, { TableName: PROJECTS })
        .rejects(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:DeleteItem', 403));
      const state = await runAll();
      const cleanUp = result(state, 'clean-up')!;
      expect(cleanUp.status).toBe('fail');
      expect(cleanUp.detail).toMatch(
        /^expected nothing left after the clean-up, got project journey-p\d+; errors while deleting project/,
      );
      // Users and quotes were still removed.
      expect([...stage.users.keys()]).toEqual([]);
      expect([...stage.tables[QUOTES].keys()]).toEqual([]);
      expect(summarizeJourney('staging', state)).toMatch(
        /^staging journey FAILED at step clean-up: expected nothing left/,
      );
    });

    it('fails when a user cannot be deleted, proving it with the final read', async () => {
      stage.cognito.on(AdminDeleteUserCommand).rejects(awsError('InternalErrorException', 'boom', 500));
      const state = await runAll();
      expect(result(state, 'clean-up')?.detail).toContain(
        'got user journey-run1-owner@synthetic.invalid, user journey-run1-other@synthetic.invalid',
      );
    });

    it('removes the users of a journey that failed after creating them', async () => {
      stage.cognito.on(AdminSetUserPasswordCommand).rejects(awsError('InvalidPasswordException', 'too short'));
      const state = await runAll();
      expect(result(state, 'sign-in')?.status).toBe('fail');
      expect(result(state, 'clean-up')?.status).toBe('pass');
      expect(stage.cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(2);
      expectNothingLeft();
    });
  });

  describe('read-only (a production stage)', () => {
    const readOnly = { ...PARAMS, journey: { readOnly: true, timeoutMinutes: 10 } };

    it('only calls the public API without a valid token, and creates nothing', async () => {
      const state = await runAll(readOnly);
      expect(state.results.map((r) => [r.name, r.status])).toEqual([['public-api', 'pass']]);
      expect(
        stage.requests.map((r) => `${r.method} ${r.url.replace(/^.*\/api\//, '')} ${r.authorization ?? '-'}`),
      ).toEqual(['GET projects -', 'POST projects -', 'GET projects/journey-run1 not-a-token']);
      expect(stage.cognito.calls()).toHaveLength(0);
      expect(stage.dynamo.calls()).toHaveLength(0);
      expect(stage.sfn.calls()).toHaveLength(0);
    });

    it('fails when the API answers an unauthenticated call', async () => {
      stage.faults = { answers: { 'POST projects': { status: 201, body: '{}' } } };
      const state = await runAll(readOnly);
      expect(result(state, 'public-api')?.detail).toBe('POST projects without a token: expected HTTP 401, got 201: {}');
      expect(summarizeJourney('prod', state)).toMatch(/^prod read-only journey FAILED at step public-api/);
    });
  });
});

describe('The time an invocation needs to start a step', () => {
  it('starts a step with exactly 20 s left before the hand-over, and none with less', async () => {
    const state: JourneyDraft = newJourneyState('run1', false, stage.now);
    await runJourneySlice(stage.context(), state, stage.now + 19_999);
    expect(state.results).toEqual([]);
    expect(stage.cfn.calls()).toHaveLength(0);

    stage.cognito.on(AdminCreateUserCommand).rejects(awsError('AccessDeniedException', 'denied', 403));
    await runJourneySlice(stage.context(), state, stage.now + 20_000);
    expect(state.results.map((r) => r.name)).toEqual(['sign-in']);
  });

  it('starts the clean-up only with a minute left, so it is not cut short', async () => {
    stage.cognito.on(AdminSetUserPasswordCommand).rejects(awsError('InvalidPasswordException', 'too short'));
    const state: JourneyDraft = newJourneyState('run1', false, stage.now);
    await runJourneySlice(stage.context(), state, stage.now + 59_999);
    expect(state.results.map((r) => [r.name, r.status])).toEqual([['sign-in', 'fail']]);
    expect(stage.cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);

    await runJourneySlice(stage.context(), state, stage.now + 60_000);
    expect(state.results.map((r) => [r.name, r.status])).toEqual([
      ['sign-in', 'fail'],
      ['clean-up', 'pass'],
    ]);
  });

  it('adds the time a continued step spent in earlier invocations to its duration', async () => {
    stage.faults = { pollsBeforeQuote: 30 };
    const state: JourneyDraft = newJourneyState('run1', false, stage.now);
    await runJourneySlice(stage.context(), state, stage.now + 60_000);
    const spent = state.current!.spentMs;
    expect(spent).toBeGreaterThan(0);
    const resumedAt = stage.now;
    await runJourneySlice(stage.context(), state, stage.now + HOUR);
    const workflow = result(state, 'workflow')!;
    const cleanUp = result(state, 'clean-up')!;
    expect(workflow.durationMs).toBe(spent + (stage.now - resumedAt - cleanUp.durationMs));
  });

  it('logs a step that continues in the next invocation with its time so far and what it waits for', async () => {
    stage.faults = { pollsBeforeQuote: 30 };
    const lines: Record<string, unknown>[] = [];
    const state: JourneyDraft = newJourneyState('run1', false, stage.now);
    await runJourneySlice(stage.context(PARAMS, lines), state, stage.now + 60_000);
    expect(lines.filter((l) => l.message === 'journey step continues in the next invocation')).toEqual([
      expect.objectContaining({
        level: 'info',
        step: 'workflow',
        durationMs: state.current!.spentMs,
        detail: 'waiting for the quote: project status submitted',
      }),
    ]);
  });

  it('times a step from its own start, not from a continuation recorded for another step', async () => {
    const state: JourneyDraft = {
      ...newJourneyState('run1', false, stage.now),
      results: [{ name: 'sign-in', status: 'fail', durationMs: 1, detail: 'broken' }],
      users: [{ email: 'journey-run1-owner@synthetic.invalid' }],
      current: { name: 'workflow', startedAt: stage.now - HOUR, spentMs: 500_000 },
    };
    await runJourneySlice(stage.context(), state, stage.now + HOUR);
    expect(result(state, 'clean-up')).toMatchObject({ status: 'pass', durationMs: 0 });
    expect(state.current).toBeUndefined();
  });

  it('logs a failed step as an error and a passed one as info', async () => {
    const lines: Record<string, unknown>[] = [];
    stage.cognito.on(AdminCreateUserCommand).rejects(awsError('AccessDeniedException', 'denied', 403));
    const state: JourneyDraft = newJourneyState('run1', false, stage.now);
    await runJourneySlice(stage.context(PARAMS, lines), state, stage.now + HOUR);
    const steps = lines.filter((l) => l.message === 'journey step');
    expect(steps.map((l) => [l.level, l.name, l.status])).toEqual([
      ['error', 'sign-in', 'fail'],
      ['info', 'clean-up', 'pass'],
    ]);
  });
});

describe('A clean-up after a step failed', () => {
  it.each<[string, Partial<JourneyDraft>]>([
    ['a recorded user', { users: [{ email: 'journey-run1-owner@synthetic.invalid' }] }],
    ['a recorded project', { projectId: 'journey-p1' }],
    ['a recorded quote', { quoteIds: ['journey-q1'] }],
  ])('reads the stage and removes what the state holds when it holds %s', async (_case, created) => {
    const state: JourneyDraft = {
      ...newJourneyState('run1', false, stage.now),
      results: [{ name: 'sign-in', status: 'fail', durationMs: 1, detail: 'broken' }],
      ...created,
    };
    await runJourneySlice(stage.context(), state, stage.now + HOUR);
    expect(result(state, 'clean-up')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^removed (user|project|quote) journey-/),
    });
    expect(stage.cfn.calls()).not.toHaveLength(0);
  });
});

describe('Step 1 checks the ID tokens', () => {
  it.each([
    ['an access token', { token_use: 'access' }, 'got token_use access for webclient123'],
    ['a token of another client', { aud: 'otherclient' }, 'got token_use id for otherclient'],
  ])('fails on %s', async (_case, claims, got) => {
    const ctx = stage.context();
    const signIn = ctx.signIn!;
    const state: JourneyDraft = newJourneyState('run1', false, stage.now);
    await runJourneySlice(
      {
        ...ctx,
        signIn: async (...args) => {
          const signedIn = await signIn(...args);
          return { ...signedIn, claims: { ...signedIn.claims, ...claims } };
        },
      },
      state,
      stage.now + HOUR,
    );
    expect(result(state, 'sign-in')?.detail).toBe(
      `sign-in of journey-run1-owner@synthetic.invalid: expected an ID token of client webclient123, ${got}`,
    );
    expect(result(state, 'clean-up')?.status).toBe('pass');
  });

  it('names both users and the group when it passes', async () => {
    const state = await runAll();
    expect(result(state, 'sign-in')?.detail).toBe(
      'created journey-run1-owner@synthetic.invalid and journey-run1-other@synthetic.invalid (group synthetic); both signed in through the web client with USER_SRP_AUTH',
    );
    expect(state.users).toEqual([
      { email: 'journey-run1-owner@synthetic.invalid', sub: expect.stringMatching(/^sub-/) },
      { email: 'journey-run1-other@synthetic.invalid', sub: expect.stringMatching(/^sub-/) },
    ]);
  });
});

describe('The read-only journey', () => {
  const readOnly = { ...PARAMS, journey: { readOnly: true, timeoutMinutes: 10 } };

  it.each([
    ['GET projects', 'GET projects without a token: expected HTTP 401, got 200'],
    [
      'GET projects/journey-run1',
      'GET projects/journey-run1 with a token that is not a JWT: expected HTTP 401, got 200',
    ],
  ])('fails when %s answers without a valid token', async (route, detail) => {
    stage.faults = { answers: { [route]: { status: 200, body: '' } } };
    const state = await runAll(readOnly);
    expect(result(state, 'public-api')?.detail).toBe(detail);
  });

  it('says what it proved when it passes', async () => {
    const state = await runAll(readOnly);
    expect(result(state, 'public-api')?.detail).toBe(
      'GET projects and POST projects without a token, and GET projects/{id} with a forged token, each got 401',
    );
  });
});
