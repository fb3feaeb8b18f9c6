/**
 * The Claude models the AI workflow may call: the default, and the models Anthropic has retired. The config
 * loader refuses a retired id at synth (lib/config), and the AI workers' pre-traffic probe refuses it again
 * before a release gets traffic (lambda/platform/shared), both from this one list.
 *
 * @packageDocumentation
 */

/**
 * Model the AI workflow calls unless `<stage>.ai.modelId` says otherwise: Claude Sonnet 4.6, which Anthropic's
 * models overview (https://platform.claude.com/docs/en/about-claude/models/overview) describes as the best
 * combination of speed and intelligence.
 */
export const DEFAULT_AI_MODEL_ID = 'claude-sonnet-4-6';

/** Where {@link RETIRED_AI_MODELS} comes from, and when it was last read. */
export const RETIRED_AI_MODELS_SOURCE = {
  url: 'https://platform.claude.com/docs/en/about-claude/model-deprecations',
  readOn: '2026-12-06',
} as const;

/**
 * Claude API model ids Anthropic has retired, with the retirement date (Anthropic-operated platforms;
 * Bedrock and Vertex AI keep their own schedules). "Requests to retired models will fail" (the source page).
 * Add a model here when the page lists it as retired; deprecated models still answer and are not listed.
 */
export const RETIRED_AI_MODELS: Readonly<Record<string, string>> = {
  'claude-1.0': '2024-11-06',
  'claude-1.1': '2024-11-06',
  'claude-1.2': '2024-11-06',
  'claude-1.3': '2024-11-06',
  'claude-instant-1.0': '2024-11-06',
  'claude-instant-1.1': '2024-11-06',
  'claude-instant-1.2': '2024-11-06',
  'claude-2.0': '2025-07-21',
  'claude-2.1': '2025-07-21',
  'claude-3-sonnet-20240229': '2025-07-21',
  'claude-3-5-sonnet-20240620': '2025-10-28',
  'claude-3-5-sonnet-20241022': '2025-10-28',
  'claude-3-opus-20240229': '2026-01-05',
  'claude-3-7-sonnet-20250219': '2026-02-19',
  'claude-sonnet-4-20250514': '2026-06-15',
  'claude-opus-4-20250514': '2026-06-15',
};

/** Why `modelId` cannot be used (Anthropic retired it, on which date, per which source), or `undefined` when it is not retired. */
export function retiredModelProblem(modelId: string): string | undefined {
  const retiredOn = RETIRED_AI_MODELS[modelId];
  if (retiredOn === undefined) return undefined;
  return (
    `Anthropic retired ${modelId} on ${retiredOn}, so every request to it fails ` +
    `(${RETIRED_AI_MODELS_SOURCE.url}, read ${RETIRED_AI_MODELS_SOURCE.readOn})`
  );
}
