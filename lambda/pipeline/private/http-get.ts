/** Answer of an HTTP GET; redirects are returned, not followed. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  /** The Location header of a redirect (3xx). */
  readonly location?: string;
}

/** Performs a GET with a timeout, without following redirects; rejects on network errors and timeouts. */
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResponse>;

/** {@link HttpGet} with the runtime's `fetch`. */
export const fetchGet: HttpGet = async (url, timeoutMs) => {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
    redirect: 'manual',
  });
  const location = response.headers.get('location') ?? undefined;
  return { status: response.status, body: await response.text(), ...(location ? { location } : {}) };
};

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

interface ErrorWithCause {
  name?: string;
  message?: string;
  code?: string;
  hostname?: string;
  cause?: unknown;
}

/**
 * The cause of a failed request in words: connection refused, DNS, TLS, reset, or timeout. `fetch`
 * only says "fetch failed"; the reason is in its `cause` chain (`code` such as ECONNREFUSED).
 */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  const chain: ErrorWithCause[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null && chain.length < 5; e = (e as ErrorWithCause).cause)
    chain.push(e);
  if (chain.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const coded = chain.find((e) => typeof e.code === 'string');
  const code = coded?.code ?? '';
  const message = (coded?.message ?? chain[chain.length - 1]?.message ?? String(error)).split('\n')[0].slice(0, 160);
  if (code === 'ECONNREFUSED') return `connection refused (${message})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `DNS lookup failed${coded?.hostname ? ` for ${coded.hostname}` : ''} (${code})`;
  if (TLS_CODE.test(code)) return `TLS failed: ${code} (${message})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${message})`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connection timed out (${message})`;
  return `request failed: ${code ? `${code} ` : ''}${message}`;
}
