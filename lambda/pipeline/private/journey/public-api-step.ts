import { SYNTHETIC } from '../../../../contracts/synthetic-data';
import { journeyProject } from './api-step';
import { callApi, expectStatus } from './journey-api';
import type { JourneyContext } from './journey-context';
import type { ReadOnlyJourneyStage } from './journey-stage';
import type { StepOutcome } from './journey-step';

/**
 * The read-only journey (production stages): the public API refuses every business route without a valid
 * token (401 from the authorizer, before any handler runs), so nothing is read or written.
 */
export async function publicApiStep(
  ctx: JourneyContext,
  stage: ReadOnlyJourneyStage,
  run: string,
): Promise<StepOutcome> {
  const probe = `${SYNTHETIC.keyPrefix}${run}`;
  const api = (method: 'GET' | 'POST', path: string, token?: string, body?: unknown) =>
    callApi(ctx, stage.apiUrl, method, path, { token, body });
  expectStatus('GET projects without a token', await api('GET', 'projects'), 401);
  expectStatus('POST projects without a token', await api('POST', 'projects', undefined, journeyProject(run)), 401);
  expectStatus(
    `GET projects/${probe} with a token that is not a JWT`,
    await api('GET', `projects/${probe}`, 'not-a-token'),
    401,
  );
  return {
    done: true,
    detail: 'GET projects and POST projects without a token, and GET projects/{id} with a forged token, each got 401',
  };
}
