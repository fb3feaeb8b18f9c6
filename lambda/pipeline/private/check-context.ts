import type { CallOptions } from './aws-call';
import { callAws } from './aws-call';
import type { CheckOutcome } from './check-result';
import type { Logger } from '../../shared/logger';
import type { CheckParameters } from '../../../contracts/check-parameters';
import type { CheckClients } from './check-clients';
import type { HttpGet } from './http-get';

/** Everything a check item needs; built by the handler, the CLI or a test. */
export interface CheckContext {
  readonly params: CheckParameters;
  readonly clients: CheckClients;
  readonly log: Logger;
  /** Retry and timeout policy of every AWS call. */
  readonly callOptions?: CallOptions;
  /** GET for the health endpoint. */
  readonly httpGet: HttpGet;
  /** Current time (replaced in tests). */
  readonly now: () => Date;
}

/** One item of a check: returns one or more outcomes, or throws when it cannot be evaluated. */
export type CheckItem = () => Promise<CheckOutcome | CheckOutcome[]>;

/** `callAws` with the context's retry policy. */
export function call<T>(ctx: CheckContext, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return callAws(what, fn, ctx.callOptions);
}

export const pass = (name: string, detail: string): CheckOutcome => ({ name, status: 'pass', detail });
export const warn = (name: string, detail: string): CheckOutcome => ({ name, status: 'warn', detail });
export const fail = (name: string, detail: string): CheckOutcome => ({ name, status: 'fail', detail });
