import { isSyntheticKey, SYNTHETIC } from '../../../../contracts/synthetic-data';
import { CheckFailure } from '../aws-call';
import { callApi, expectStatus, jsonList, jsonObject } from './journey-api';
import type { StepOutcome, StepRun } from './journey-step';

/** The project the journey creates: a valid request as the web app sends it. */
export function journeyProject(run: string) {
  return {
    title: `Acceptance journey ${run}`,
    description: 'Synthetic project of the pipeline acceptance journey: replace a kitchen tap and a radiator valve.',
    postcode: 'SW1A 1AA',
    budgetPence: 50000,
  };
}

/** Tries to see the project in the owner's list a few times: the list reads an index, which DynamoDB updates moments later. */
const LIST_ATTEMPTS = 5;
const LIST_PAUSE_MS = 1000;

/**
 * Step 2: the public API with the users' tokens. The owner creates a project (marked synthetic), reads it
 * back and finds it in their list; an unauthenticated call is refused (401), and the other user can neither
 * read the project (404, so ids cannot be probed) nor see it in their list.
 */
export async function apiStep({ ctx, stage, sessions, state }: StepRun): Promise<StepOutcome> {
  const [owner, other] = state.users;
  if (!owner || !other) throw new CheckFailure('the sign-in step recorded no users');
  const api = (method: 'GET' | 'POST', path: string, token?: string, body?: unknown) =>
    callApi(ctx, stage.apiUrl, method, path, { token, body });

  expectStatus('GET projects without a token', await api('GET', 'projects'), 401);

  const ownerToken = (await sessions.tokenOf(owner)).idToken;
  const project = journeyProject(state.run);
  state.projectCreatedAt = ctx.clock();
  const created = await api('POST', 'projects', ownerToken, project);
  expectStatus('POST projects as the owner', created, 201);
  const projectId = jsonObject('POST projects', created).projectId;
  if (typeof projectId !== 'string') throw new CheckFailure(`POST projects: expected a projectId, got ${created.body}`);
  state.projectId = projectId;
  if (!isSyntheticKey(projectId))
    throw new CheckFailure(
      `POST projects: expected the API to mark a synthetic user's project (id ${SYNTHETIC.keyPrefix}…), got ${projectId}; the journey cannot remove it`,
    );

  const read = await api('GET', `projects/${projectId}`, ownerToken);
  expectStatus(`GET projects/${projectId} as the owner`, read, 200);
  const stored = jsonObject(`GET projects/${projectId}`, read);
  if (stored.projectId !== projectId || stored.title !== project.title || stored.postcode !== project.postcode)
    throw new CheckFailure(
      `GET projects/${projectId}: expected the project as created (title "${project.title}", postcode ${project.postcode}), got ${read.body.slice(0, 200)}`,
    );

  let listed = false;
  for (let attempt = 1; attempt <= LIST_ATTEMPTS && !listed; attempt++) {
    if (attempt > 1) await ctx.sleep(LIST_PAUSE_MS);
    const list = await api('GET', 'projects', ownerToken);
    expectStatus('GET projects as the owner', list, 200);
    listed = jsonList('GET projects', list, 'projects').some((p) => p.projectId === projectId);
  }
  if (!listed)
    throw new CheckFailure(
      `GET projects as the owner: expected the list to hold ${projectId} within ${LIST_ATTEMPTS} tries, it did not`,
    );

  const otherToken = (await sessions.tokenOf(other)).idToken;
  expectStatus(
    `GET projects/${projectId} as another user`,
    await api('GET', `projects/${projectId}`, otherToken),
    404,
    403,
  );
  const othersList = await api('GET', 'projects', otherToken);
  expectStatus('GET projects as another user', othersList, 200);
  if (jsonList('GET projects', othersList, 'projects').some((p) => p.projectId === projectId))
    throw new CheckFailure(`GET projects as another user: expected a list without ${projectId}, got it listed`);
  expectStatus(`GET projects/${projectId} without a token`, await api('GET', `projects/${projectId}`), 401);

  return {
    done: true,
    detail: `owner created ${projectId} (201), read it back (200) and listed it; another user got 404 and does not list it; calls without a token got 401`,
  };
}
