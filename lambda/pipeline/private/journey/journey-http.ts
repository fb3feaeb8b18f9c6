import { SYNTHETIC } from '../../../../contracts/synthetic-data';
import { CheckFailure } from '../aws-call';
import { describeRequestError } from '../http-get';

/** One request to the public API. */
export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Sent as `Authorization: <token>`, as the web app sends the ID token. */
  readonly authorization?: string;
  readonly body?: unknown;
  readonly timeoutMs: number;
}

/** The API's answer: status and body (parsed when it is JSON). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly json?: unknown;
}

/** Sends one request; rejects only when no answer arrived (network, TLS, timeout). */
export type HttpRequest = (call: HttpCall) => Promise<HttpAnswer>;

/** {@link HttpRequest} with the runtime's `fetch`: redirects are not followed, every request carries the journey's User-Agent. */
export const fetchRequest: HttpRequest = async (call) => {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': SYNTHETIC.userAgent };
  if (call.authorization) headers.authorization = call.authorization;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    throw new CheckFailure(`${call.method} ${call.url}: ${describeRequestError(error, call.timeoutMs)}`);
  }
  const body = await response.text();
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body, json };
};
