/**
 * The pre-traffic hook's probes: the construct names one (lib/platform/release), the hook sends it
 * (lambda/platform/pre-traffic-hook).
 *
 * @packageDocumentation
 */

/** The event that asks an AI agent to check its model configuration instead of doing work. */
export const AI_MODEL_PROBE_EVENT = { preTrafficProbe: 'aiModel' } as const;

/** What an AI agent answers {@link AI_MODEL_PROBE_EVENT} with once its model configuration works. */
export interface AiModelProbeAnswer {
  readonly modelReady: true;
  /** The model id the agent calls. */
  readonly modelId: string;
}

/**
 * A harmless request and the answer that proves the new version starts: an API handler answering
 * `statusCode` (and, for `body: 'health'`, a body that keeps the health endpoint's contract,
 * contracts/health-contract.ts: this deployment's stage and region, every dependency OK), a worker
 * rejecting the request with `errorType` (its input check ran, nothing was done), or a function
 * returning an object with the `returns` fields (an AI agent whose model configuration works).
 */
export interface Probe {
  readonly event: unknown;
  readonly expect:
    | { readonly statusCode: number; readonly body?: 'health' }
    | { readonly errorType: string }
    | { readonly returns: Readonly<Record<string, unknown>> };
}

/**
 * The harmless requests a pre-traffic hook may send, by name (the construct sets the name, the
 * handler looks the probe up). None of them writes anything:
 * - `healthEndpoint`: `GET /health`, answered 200 with a body of the health contract that names the hook's
 *   stage and region and has every dependency OK, when the new version reaches its tables and secrets;
 * - `apiRoute`: a route the API does not serve, answered 404 by a version whose router runs;
 * - `worker`: an empty event, rejected with InvalidInputError by a worker whose input check runs;
 * - `aiModel`: {@link AI_MODEL_PROBE_EVENT}, answered `modelReady: true` by an AI agent whose model id is not
 *   retired, whose Claude secret holds a key, and whose model Anthropic's Models API knows for that key
 *   (`GET /v1/models/{model_id}`, which spends no tokens).
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
  aiModel: { event: AI_MODEL_PROBE_EVENT, expect: { returns: { modelReady: true } } },
} as const satisfies Record<string, Probe>;

/** Name of one of the {@link PRE_TRAFFIC_PROBES}. */
export type PreTrafficProbeName = keyof typeof PRE_TRAFFIC_PROBES;
