import type { CheckContext } from '../check-context';
import type { JourneyParameters } from '../../../../contracts/check-parameters';
import type { HttpRequest } from './journey-http';
import type { signInWithSrp } from './srp-sign-in';

/** Everything the journey needs: the check context (parameters, clients, log, retries) and its own seams. */
export interface JourneyContext extends CheckContext {
  /** The journey's settings (from the user parameters). */
  readonly journey: JourneyParameters;
  /** Sends one request to the public API. */
  readonly http: HttpRequest;
  /** Waits between two polls (replaced in tests). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Current time in epoch ms (replaced in tests). */
  readonly clock: () => number;
  /** Milliseconds between two polls of the project while the workflow runs. */
  readonly pollIntervalMs: number;
  /**
   * Signs a user in through the web client.
   * @default signInWithSrp
   */
  readonly signIn?: typeof signInWithSrp;
}

/** Default pause between two polls of the workflow. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;
