import { CheckFailure } from '../aws-call';
import type { JourneyContext } from './journey-context';
import type { HttpAnswer, HttpCall } from './journey-http';

/** Time one request to the public API may take. */
export const API_TIMEOUT_MS = 10_000;

/** The first characters of an answer's body, for a failure message. */
function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text ? `: ${text.slice(0, 120)}` : '';
}

/** Sends `method path` to the public API (path relative to its URL) as the given ID token, or anonymously. */
export function callApi(
  ctx: JourneyContext,
  apiUrl: string,
  method: HttpCall['method'],
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<HttpAnswer> {
  return ctx.http({
    method,
    url: `${apiUrl}${path}`,
    authorization: options.token,
    body: options.body,
    timeoutMs: API_TIMEOUT_MS,
  });
}

/** @throws CheckFailure "<what>: expected HTTP <expected>, got <status>: <body>" unless the status is expected. */
export function expectStatus(what: string, answer: HttpAnswer, ...expected: number[]): void {
  if (!expected.includes(answer.status))
    throw new CheckFailure(
      `${what}: expected HTTP ${expected.join(' or ')}, got ${answer.status}${snippet(answer.body)}`,
    );
}

/** The answer's JSON object; @throws CheckFailure naming `what` when the body is not one. */
export function jsonObject(what: string, answer: HttpAnswer): Record<string, unknown> {
  const json = answer.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CheckFailure(`${what}: expected a JSON object, got${snippet(answer.body) || ' an empty body'}`);
  return json as Record<string, unknown>;
}

/** The list `field` of an answer's JSON object; @throws CheckFailure naming `what` when it is not a list. */
export function jsonList(what: string, answer: HttpAnswer, field: string): Record<string, unknown>[] {
  const list = jsonObject(what, answer)[field];
  if (!Array.isArray(list)) throw new CheckFailure(`${what}: expected a list "${field}", got${snippet(answer.body)}`);
  return list as Record<string, unknown>[];
}
