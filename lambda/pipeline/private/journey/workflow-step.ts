import { isSyntheticKey, SYNTHETIC } from '../../../../contracts/synthetic-data';
import { CheckFailure } from '../aws-call';
import { callApi, expectStatus, jsonList, jsonObject } from './journey-api';
import type { StepOutcome, StepRun } from './journey-step';
import { readSyntheticItem } from './synthetic-items';
import { runsOfProject } from './workflow-runs';

/** Every how many polls the journey also looks at the workflow's run, to fail at once when it failed. */
const RUN_CHECK_EVERY = 4;
/** Time kept for one more poll before the invocation hands over. */
const POLL_RESERVE_MS = 15_000;

/** Pounds and pence of an amount in pence. */
const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

/**
 * Step 3: follows the project through ProjectCreated, the AI workflow's scoping and quote estimation, to
 * a stored quote, within `journey.timeoutMinutes` of the step's start. It polls the project as its owner
 * (status `quoted`, set by the workflow's last step), reads the quote through the API, then reads the
 * stored item itself. It may span several invocations; a failed workflow run fails it at once.
 */
export async function workflowStep(run: StepRun, startedAt: number): Promise<StepOutcome> {
  const { ctx, stage, sessions, state } = run;
  const owner = state.users[0];
  const projectId = state.projectId;
  if (!owner || !projectId) throw new CheckFailure('the API step recorded no project to follow');
  const limitMs = ctx.journey.timeoutMinutes * 60_000;
  const token = (await sessions.tokenOf(owner)).idToken;
  for (let poll = 0; ; poll++) {
    const read = await callApi(ctx, stage.apiUrl, 'GET', `projects/${projectId}`, { token });
    expectStatus(`GET projects/${projectId} as the owner`, read, 200);
    const project = jsonObject(`GET projects/${projectId}`, read);
    const status = String(project.status);
    if (status === 'quoted') {
      const answer = await callApi(ctx, stage.apiUrl, 'GET', `projects/${projectId}/quotes`, { token });
      expectStatus(`GET projects/${projectId}/quotes as the owner`, answer, 200);
      const quotes = jsonList(`GET projects/${projectId}/quotes`, answer, 'quotes');
      state.quoteIds = [...new Set([...state.quoteIds, ...quotes.map((q) => String(q.quoteId))])];
      const quote = quotes.find((q) => typeof q.totalPence === 'number' && q.totalPence > 0);
      if (!quote)
        throw new CheckFailure(
          `GET projects/${projectId}/quotes: expected a quote with a total above £0 once the project is quoted, got ${answer.body.slice(0, 200)}`,
        );
      const quoteId = String(quote.quoteId);
      if (!isSyntheticKey(quoteId))
        throw new CheckFailure(
          `quote ${quoteId}: expected quote estimation to mark a synthetic project's quote (${SYNTHETIC.keyPrefix}…); the journey cannot remove it`,
        );
      const stored = await readSyntheticItem(ctx, stage.quotes, quoteId);
      if (!stored || stored.projectId?.S !== projectId || stored[SYNTHETIC.attribute]?.BOOL !== true)
        throw new CheckFailure(
          `quote ${quoteId}: expected a stored item of project ${projectId} marked ${SYNTHETIC.attribute}, got ${stored ? JSON.stringify(stored).slice(0, 160) : 'no item'}`,
        );
      const tasks = Array.isArray((project.scope as { tasks?: unknown[] } | undefined)?.tasks)
        ? (project.scope as { tasks: unknown[] }).tasks.length
        : 0;
      return {
        done: true,
        detail: `project scoped (${tasks} tasks) and quoted within ${Math.round((ctx.clock() - startedAt) / 1000)} s: quote ${quoteId} of ${pounds(quote.totalPence as number)} stored, marked ${SYNTHETIC.attribute}`,
      };
    }
    if (poll % RUN_CHECK_EVERY === RUN_CHECK_EVERY - 1) {
      const runs = await runsOfProject(
        ctx,
        stage.stateMachineArn,
        projectId,
        (state.projectCreatedAt ?? startedAt) - 60_000,
      );
      const ended = runs.filter((r) => r.status !== 'RUNNING' && r.status !== 'SUCCEEDED');
      if (ended.length > 0 && ended.length === runs.length)
        throw new CheckFailure(
          `expected the AI workflow to quote ${projectId}, got its run ${ended[0].status}${ended[0].failure ? ` (${ended[0].failure})` : ''}; project status ${status}`,
        );
    }
    const now = ctx.clock();
    if (now - startedAt >= limitMs)
      throw new CheckFailure(
        `expected project ${projectId} quoted with a stored quote within ${ctx.journey.timeoutMinutes} min (journey.timeoutMinutes), got status ${status}`,
      );
    if (now + ctx.pollIntervalMs + POLL_RESERVE_MS > run.deadlineAt)
      return { done: false, detail: `waiting for the quote: project status ${status}` };
    await ctx.sleep(Math.min(ctx.pollIntervalMs, startedAt + limitMs - now));
  }
}
