import { isSyntheticKey } from '../../../../contracts/synthetic-data';
import { CheckFailure, describeError } from '../aws-call';
import { deleteSyntheticUser, syntheticUserExists } from './cognito-users';
import { callApi, jsonList } from './journey-api';
import type { StepOutcome, StepRun } from './journey-step';
import { deleteSyntheticItem, readSyntheticItem } from './synthetic-items';
import { runsOfProject, stopRun } from './workflow-runs';

/** Runs started up to this long before the project was recorded as created still count as its own (clock skew). */
const RUN_LOOKBACK_MS = 60_000;

/**
 * Step 4, run also after a failed step: removes everything the journey created and proves it with a final
 * read. In order: stops the workflow's runs of the project (so nothing is written after the clean-up),
 * finds the project's quotes (recorded ones and those the API lists), deletes the quotes, the project and
 * both users, then reads each back (consistent reads, AdminGetUser) and lists the project's running runs.
 * Anything left is named in the failure. The platform has no file route, so the journey uploads no files.
 */
export async function cleanUpStep({ ctx, stage, sessions, state }: StepRun): Promise<StepOutcome> {
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${describeError(error)}`);
    }
  };
  const projectId = state.projectId;
  const since = (state.projectCreatedAt ?? state.startedAt) - RUN_LOOKBACK_MS;
  let stopped = 0;

  if (projectId && isSyntheticKey(projectId)) {
    await attempt('stopping the workflow runs of the project', async () => {
      for (const run of await runsOfProject(ctx, stage.stateMachineArn, projectId, since)) {
        if (run.status !== 'RUNNING') continue;
        await stopRun(ctx, run);
        stopped++;
      }
    });
    const owner = state.users[0];
    if (owner?.sub) {
      await attempt('listing the project quotes through the API', async () => {
        const { idToken } = await sessions.tokenOf(owner);
        const answer = await callApi(ctx, stage.apiUrl, 'GET', `projects/${projectId}/quotes`, { token: idToken });
        if (answer.status === 404) return;
        if (answer.status !== 200) throw new CheckFailure(`expected HTTP 200 or 404, got ${answer.status}`);
        const listed = jsonList('GET quotes', answer, 'quotes').map((q) => String(q.quoteId));
        state.quoteIds = [...new Set([...state.quoteIds, ...listed])];
      });
    }
  }
  // A key the platform did not mark is never touched: it is named for a person to remove.
  const unmarked = [...state.quoteIds.map((q) => ['quote', q]), ...(projectId ? [['project', projectId]] : [])]
    .filter(([, key]) => !isSyntheticKey(key))
    .map(([kind, key]) => `${kind} ${key} (not marked synthetic: remove it by hand)`);
  const quoteIds = state.quoteIds.filter(isSyntheticKey);
  const ownProject = projectId && isSyntheticKey(projectId) ? projectId : undefined;
  for (const quoteId of quoteIds)
    await attempt(`deleting quote ${quoteId}`, () => deleteSyntheticItem(ctx, stage.quotes, quoteId));
  if (ownProject)
    await attempt(`deleting project ${ownProject}`, () => deleteSyntheticItem(ctx, stage.projects, ownProject));
  for (const user of state.users)
    await attempt(`deleting user ${user.email}`, async () => {
      await deleteSyntheticUser(ctx, stage.userPoolId, user.email);
    });

  // The final read: what is still there after the clean-up.
  const left: string[] = [...unmarked];
  for (const quoteId of quoteIds)
    await attempt(`reading quote ${quoteId}`, async () => {
      if (await readSyntheticItem(ctx, stage.quotes, quoteId)) left.push(`quote ${quoteId}`);
    });
  if (ownProject)
    await attempt(`reading project ${ownProject}`, async () => {
      if (await readSyntheticItem(ctx, stage.projects, ownProject)) left.push(`project ${ownProject}`);
    });
  for (const user of state.users)
    await attempt(`reading user ${user.email}`, async () => {
      if (await syntheticUserExists(ctx, stage.userPoolId, user.email)) left.push(`user ${user.email}`);
    });
  if (ownProject)
    await attempt('listing the workflow runs of the project', async () => {
      const running = (await runsOfProject(ctx, stage.stateMachineArn, ownProject, since)).filter(
        (r) => r.status === 'RUNNING',
      );
      for (const run of running) left.push(`workflow run ${run.executionArn}`);
    });

  if (left.length > 0 || problems.length > 0)
    throw new CheckFailure(
      [
        left.length > 0 ? `expected nothing left after the clean-up, got ${left.join(', ')}` : '',
        problems.length > 0 ? `errors while ${problems.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  const removed = [
    ...state.users.map((u) => `user ${u.email}`),
    ...(projectId ? [`project ${projectId}`] : []),
    ...state.quoteIds.map((q) => `quote ${q}`),
  ];
  return {
    done: true,
    detail: `${stopped ? `stopped ${stopped} workflow run(s); ` : ''}removed ${removed.length ? removed.join(', ') : 'nothing (nothing was created)'}; a final read finds none of them`,
  };
}
