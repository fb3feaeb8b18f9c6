/**
 * The acceptance journey's real code against moto_server (Cognito: users, groups, the SRP flow and signed
 * tokens; DynamoDB; Step Functions runs; CloudFormation outputs) and local fakes of the public API and the
 * workflow (see journey-moto-stage.ts). Each fault fails the journey naming its step and reason.
 */
import { runJourneySlice } from '../../lambda/pipeline/private/journey/run-journey';
import { createCheckClients } from '../../lambda/pipeline/private/check-clients';
import type { JourneyContext } from '../../lambda/pipeline/private/journey/journey-context';
import { fetchRequest } from '../../lambda/pipeline/private/journey/journey-http';
import type { JourneyDraft } from '../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../lambda/pipeline/private/journey/journey-state';
import { journeyPassed } from '../../lambda/pipeline/private/journey/journey-report';
import { createLogger } from '../../lambda/shared/logger';
import { runCheckCommand } from '../../scripts/check-command';
import { MOTO_CREDENTIALS } from '../../support/moto';
import { contextWith } from '../support/context';
import { quietLogs } from '../lambda/platform/quiet-logs';
import type { JourneyFaults, JourneyMotoStage } from './journey-moto-stage';
import { REGION, startJourneyMotoStage, TABLES } from './journey-moto-stage';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

let stage: JourneyMotoStage;
beforeAll(async () => {
  quietLogs();
  stage = await startJourneyMotoStage();
}, 120_000);
afterAll(async () => {
  await stage?.stop();
});
afterEach(() => {
  stage.faults = {};
});

/** Runs the journey once with `faults`, on a clock that its own waits move forward (a minute-long limit passes at once). */
async function journeyWith(faults: JourneyFaults, timeoutMinutes = 10, region = REGION): Promise<JourneyDraft> {
  stage.faults = faults;
  let offset = 0;
  const params = {
    stage: 'staging',
    region,
    stackNames: ['Staging-Stateful', 'Staging-Service'],
    journey: { readOnly: false, timeoutMinutes },
  };
  const ctx: JourneyContext = {
    params,
    journey: params.journey,
    clients: createCheckClients({ region, endpoint: stage.moto.endpoint, credentials: MOTO_CREDENTIALS }),
    log: createLogger({ stage: 'staging', check: 'journey' }, () => undefined),
    httpGet: async () => ({ status: 500, body: '' }),
    now: () => new Date(),
    http: fetchRequest,
    sleep: async (ms) => {
      offset += ms;
      await new Promise((r) => setTimeout(r, 100));
    },
    clock: () => Date.now() + offset,
    pollIntervalMs: 5000,
  };
  const state: JourneyDraft = newJourneyState(`m${Date.now().toString(36)}`, false, ctx.clock());
  await runJourneySlice(ctx, state, ctx.clock() + 3_600_000);
  await stage.settled();
  if (process.env.JOURNEY_DEBUG) process.stdout.write(`${JSON.stringify(state.results, null, 1)}\n`);
  return state;
}

const step = (state: JourneyDraft, name: string) => state.results.find((r) => r.name === name);

describe('The acceptance journey against moto_server', () => {
  it('runs from the operator command: signs in, uses the API, gets a quote, and leaves nothing behind', async () => {
    const out: string[] = [];
    const code = await runCheckCommand(['journey', '--stage', 'staging', '--endpoint-url', stage.moto.endpoint], {
      context: contextWith({ 'staging.journey.enabled': true, 'staging.journey.timeoutMinutes': 1 }),
      pollIntervalMs: 200,
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    const text = out.join('\n');
    expect(text).toMatch(/^STATUS\s+STEP\s+TIME\s+DETAIL/);
    expect(text).toMatch(/PASS\s+sign-in .*signed in through the web client with USER_SRP_AUTH/);
    expect(text).toMatch(/PASS\s+workflow .*quote journey-[0-9a-f-]+ of £420\.00 stored, marked synthetic/);
    expect(text).toMatch(
      /PASS\s+clean-up .*stopped 1 workflow run\(s\); removed user journey-.*a final read finds none of them/,
    );
    expect(text).toContain('staging journey passed');
    expect(code).toBe(0);
    await stage.settled();
    expect(await stage.leftovers()).toEqual({ users: [], projects: 0, quotes: 0, running: 0 });
  }, 120_000);

  it('refuses a stage whose config does not turn the journey on', async () => {
    const out: string[] = [];
    const code = await runCheckCommand(['journey', '--stage', 'dev', '--endpoint-url', stage.moto.endpoint], {
      context: contextWith({ 'dev.journey.enabled': false }),
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(code).toBe(64); // EXIT.usage: the config does not allow it
    expect(out.join('\n')).toContain(
      'stage dev does not turn the acceptance journey on (dev.journey.enabled = false); the journey refuses to run against it',
    );
  });

  it('fails at step sign-in on a region where the stage was never deployed, naming the stack and creating nothing', async () => {
    // moto keeps each region apart: eu-west-3 of its account holds no stack, user pool or table.
    const state = await journeyWith({}, 10, 'eu-west-3');
    expect(state.results).toEqual([
      expect.objectContaining({
        name: 'sign-in',
        status: 'fail',
        // The stacks are read in parallel: the first refusal names either.
        detail: expect.stringMatching(/^stack Staging-(Stateful|Service) does not exist in eu-west-3$/),
      }),
      expect.objectContaining({ name: 'clean-up', status: 'pass', detail: 'removed nothing (nothing was created)' }),
    ]);
    expect(await stage.leftovers()).toEqual({ users: [], projects: 0, quotes: 0, running: 0 });
  }, 120_000);

  it('fails at step api on a wrong status (another user can read the project), and cleans up', async () => {
    const state = await journeyWith({ otherUserCanRead: true });
    expect(step(state, 'api')?.detail).toMatch(
      /^GET projects\/journey-[0-9a-f-]+ as another user: expected HTTP 404 or 403, got 200/,
    );
    expect(step(state, 'clean-up')?.status).toBe('pass');
    expect(await stage.leftovers()).toEqual({ users: [], projects: 0, quotes: 0, running: 0 });
  }, 120_000);

  it('fails at step workflow on a missing item (quoted, but no quote stored), and cleans up', async () => {
    const state = await journeyWith({ quoteMissing: true });
    expect(step(state, 'workflow')?.detail).toMatch(
      /^GET projects\/journey-[0-9a-f-]+\/quotes: expected a quote with a total above £0 once the project is quoted, got \{"quotes":\[\]\}$/,
    );
    expect(step(state, 'clean-up')?.status).toBe('pass');
    expect(await stage.leftovers()).toEqual({ users: [], projects: 0, quotes: 0, running: 0 });
  }, 120_000);

  it('fails at step workflow on a timeout (the workflow never runs), stopping its run in the clean-up', async () => {
    const state = await journeyWith({ workflowStalls: true }, 1);
    expect(step(state, 'workflow')?.detail).toMatch(
      /^expected project journey-[0-9a-f-]+ quoted with a stored quote within 1 min \(journey.timeoutMinutes\), got status submitted$/,
    );
    expect(step(state, 'clean-up')?.detail).toMatch(/^stopped 1 workflow run\(s\)/);
    expect(journeyPassed(state)).toBe(false);
    expect(await stage.leftovers()).toEqual({ users: [], projects: 0, quotes: 0, running: 0 });
  }, 120_000);

  it('fails at step clean-up when the project lost its synthetic mark, naming what is left and touching none of it', async () => {
    const state = await journeyWith({ unmarkProject: true });
    // Quote estimation no longer marks the quote of an unmarked project, so the workflow step fails first.
    expect(step(state, 'workflow')?.detail).toMatch(
      /^quote [0-9a-f-]+: expected quote estimation to mark a synthetic project's quote \(journey-…\); the journey cannot remove it$/,
    );
    expect(step(state, 'clean-up')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^expected nothing left after the clean-up, got quote [0-9a-f-]+ \(not marked synthetic: remove it by hand\), project journey-[0-9a-f-]+; errors while deleting project .*ConditionalCheckFailedException/,
      ),
    });
    expect(await stage.leftovers()).toEqual({ users: [], projects: 1, quotes: 1, running: 0 });
    // A person removes what the journey may not.
    const ddb = stage.client(DynamoDBClient);
    await ddb.send(new DeleteItemCommand({ TableName: TABLES.projects, Key: { projectId: { S: state.projectId! } } }));
    await ddb.send(new DeleteItemCommand({ TableName: TABLES.quotes, Key: { quoteId: { S: state.quoteIds[0] } } }));
  }, 120_000);
});
