import type { AiModelProbeAnswer } from '../../../contracts/pre-traffic-probes';
import { AI_MODEL_PROBE_EVENT } from '../../../contracts/pre-traffic-probes';
import type { AiModel } from './ai-model';

/** Whether `event` is the pre-traffic hook's model probe ({@link AI_MODEL_PROBE_EVENT}) rather than work. */
export function isAiModelProbe(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>).preTrafficProbe === AI_MODEL_PROBE_EVENT.preTrafficProbe
  );
}

/**
 * Answers the model probe: checks that `model` can be called (model id not retired, key present, model known to
 * the Models API) without spending a request; throws the check's ConfigurationError or TransientError otherwise.
 */
export async function answerAiModelProbe(model: AiModel): Promise<AiModelProbeAnswer> {
  await model.checkReady();
  return { modelReady: true, modelId: model.modelId };
}
