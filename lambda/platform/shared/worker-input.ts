import { InvalidInputError } from './errors';
import type { JsonObject } from './request-input';
import { requireId, requireObject } from './request-input';

/** Input of the workflow's workers: the project to work on. */
export interface ProjectWorkInput {
  readonly projectId: string;
}

/** Validates a worker's event (from Step Functions or an EventBridge rule's input transformer). */
export function parseProjectWorkInput(event: unknown): ProjectWorkInput & { readonly raw: JsonObject } {
  if (event === undefined || event === null)
    throw new InvalidInputError('event is empty; expected { "projectId": "..." }');
  const raw = requireObject(event, 'event');
  return { projectId: requireId(raw, 'projectId'), raw };
}
