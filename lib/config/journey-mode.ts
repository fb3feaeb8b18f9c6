import type { StageConfig } from './stage-config';

/**
 * Whether the stage's acceptance journey runs only its read-only part: its config says so (`journey.readOnly`).
 * A production stage must say so (the `journeyReadOnly` production guard), unless a break-glass key says why not.
 */
export function journeyRunsReadOnly(config: StageConfig): boolean {
  return config.journey?.readOnly === true;
}
