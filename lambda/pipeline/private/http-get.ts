/** Answer of an HTTP GET. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Performs a GET with a timeout; rejects on network errors and timeouts. */
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResponse>;

/** {@link HttpGet} with the runtime's `fetch`. */
export const fetchGet: HttpGet = async (url, timeoutMs) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  return { status: response.status, body: await response.text() };
};
