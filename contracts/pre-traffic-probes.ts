/**
 * The pre-traffic hook's probes: the construct names one (lib/platform/release), the hook sends it
 * (lambda/platform/pre-traffic-hook).
 *
 * @packageDocumentation
 */

/**
 * A harmless request and the answer that proves the new version starts: an API handler answering
 * `statusCode` (and, for `body: 'health'`, a body that keeps the health endpoint's contract,
 * contracts/health-contract.ts: this deployment's stage and region, every dependency OK), or a worker
 * rejecting the request with `errorType` (its input check ran, nothing was done).
 */
export interface Probe {
  readonly event: unknown;
  readonly expect: { readonly statusCode: number; readonly body?: 'health' } | { readonly errorType: string };
}

/**
 * The harmless requests a pre-traffic hook may send, by name (the construct sets the name, the
 * handler looks the probe up). None of them writes anything:
 * - `healthEndpoint`: `GET /health`, answered 200 with a body of the health contract that names the hook's
 *   stage and region and has every dependency OK, when the new version reaches its tables and secrets;
 * - `apiRoute`: a route the API does not serve, answered 404 by a version whose router runs;
 * - `worker`: an empty event, rejected with InvalidInputError by a worker whose input check runs.
 */
export const PRE_TRAFFIC_PROBES = {
  healthEndpoint: {
    event: { httpMethod: 'GET', resource: '/health', path: '/health', headers: {} },
    expect: { statusCode: 200, body: 'health' },
  },
  apiRoute: {
    event: { httpMethod: 'GET', resource: '/pre-traffic-hook', path: '/pre-traffic-hook', headers: {} },
    expect: { statusCode: 404 },
  },
  worker: { event: {}, expect: { errorType: 'InvalidInputError' } },
} as const satisfies Record<string, Probe>;

/** Name of one of the {@link PRE_TRAFFIC_PROBES}. */
export type PreTrafficProbeName = keyof typeof PRE_TRAFFIC_PROBES;
