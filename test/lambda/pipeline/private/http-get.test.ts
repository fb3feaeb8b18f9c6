import type { Server } from 'http';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { describeRequestError, fetchGet } from '../../../../lambda/pipeline/private/http-get';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('The GET of the health endpoint', () => {
  it('returns a redirect with its Location instead of following it', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      res.writeHead(302, { location: 'https://elsewhere.example.net/health' });
      res.end();
    });
    const port = await listen(server);
    try {
      await expect(fetchGet(`http://127.0.0.1:${port}/prod/health`, 2000)).resolves.toEqual({
        status: 302,
        body: '',
        location: 'https://elsewhere.example.net/health',
      });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it('asks for JSON and returns the body of a 200 without a Location', async () => {
    let accept: string | undefined;
    const server = createServer((req, res) => {
      accept = req.headers.accept;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    const port = await listen(server);
    try {
      await expect(fetchGet(`http://127.0.0.1:${port}/prod/health`, 2000)).resolves.toEqual({
        status: 200,
        body: '{"status":"ok"}',
      });
      expect(accept).toBe('application/json');
    } finally {
      server.close();
    }
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const server = createServer(() => undefined);
    const port = await listen(server);
    try {
      const error = await fetchGet(`http://127.0.0.1:${port}/prod/health`, 200).catch((e: unknown) => e);
      expect(describeRequestError(error, 200)).toBe('timed out after 200 ms');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('names a refused connection as such, from the real fetch error', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await fetchGet(`http://127.0.0.1:${port}/health`, 2000).catch((e: unknown) => e);
    expect((error as Error).message).toBe('fetch failed');
    expect(describeRequestError(error, 2000)).toMatch(/^connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  });

  it('names a timeout', () => {
    expect(describeRequestError(Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 3000)).toBe(
      'timed out after 3000 ms',
    );
  });
});

describe('The cause of a failed health request, in words', () => {
  /** A `fetch failed` TypeError whose cause carries the fields Node's socket errors carry. */
  const fetchFailed = (cause: Record<string, unknown>) =>
    Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error(String(cause.message)), cause),
    });

  it.each([
    [
      'an abort',
      Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
      'timed out after 2500 ms',
    ],
    [
      'a timeout deep in the cause chain',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('x'), { cause: Object.assign(new Error('aborted'), { name: 'TimeoutError' }) }),
      }),
      'timed out after 2500 ms',
    ],
    [
      'DNS without a host name',
      fetchFailed({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }),
      'DNS lookup failed (ENOTFOUND)',
    ],
    [
      'a DNS server that did not answer',
      fetchFailed({ code: 'EAI_AGAIN', hostname: 'api.example.com', message: 'getaddrinfo EAI_AGAIN api.example.com' }),
      'DNS lookup failed for api.example.com (EAI_AGAIN)',
    ],
    [
      'a certificate for another name',
      fetchFailed({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: "Hostname/IP does not match certificate's altnames",
      }),
      "TLS failed: ERR_TLS_CERT_ALTNAME_INVALID (Hostname/IP does not match certificate's altnames)",
    ],
    [
      'a self-signed certificate',
      fetchFailed({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }),
      'TLS failed: DEPTH_ZERO_SELF_SIGNED_CERT (self-signed certificate)',
    ],
    [
      'an unknown issuer',
      fetchFailed({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }),
      'TLS failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE (unable to verify the first certificate)',
    ],
    [
      'a reset connection',
      fetchFailed({ code: 'ECONNRESET', message: 'read ECONNRESET' }),
      'connection reset (read ECONNRESET)',
    ],
    [
      "undici's closed socket",
      fetchFailed({ code: 'UND_ERR_SOCKET', message: 'other side closed' }),
      'connection reset (other side closed)',
    ],
    [
      'a connect timeout',
      fetchFailed({ code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect Timeout Error' }),
      'connection timed out (Connect Timeout Error)',
    ],
    [
      'a TCP timeout',
      fetchFailed({ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 10.0.0.1:443' }),
      'connection timed out (connect ETIMEDOUT 10.0.0.1:443)',
    ],
    [
      'another coded error',
      fetchFailed({ code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH 10.0.0.1:443' }),
      'request failed: EHOSTUNREACH connect EHOSTUNREACH 10.0.0.1:443',
    ],
    [
      'an error without a code, by its innermost message',
      Object.assign(new TypeError('fetch failed'), { cause: new Error('invalid header value') }),
      'request failed: invalid header value',
    ],
    ['a thrown string', 'socket hang up', 'request failed: socket hang up'],
    [
      'an error whose cause is null',
      Object.assign(new Error('socket hang up'), { cause: null }),
      'request failed: socket hang up',
    ],
  ])('names %s', (_label, error, expected) => {
    expect(describeRequestError(error, 2500)).toBe(expected);
  });

  it('keeps the first line of the message, at most 160 characters', () => {
    const long = 'x'.repeat(200);
    expect(describeRequestError(fetchFailed({ code: 'ECONNRESET', message: `first line\nsecond line` }), 1)).toBe(
      'connection reset (first line)',
    );
    expect(describeRequestError(fetchFailed({ code: 'ECONNRESET', message: long }), 1)).toBe(
      `connection reset (${'x'.repeat(160)})`,
    );
  });

  it('reads the cause chain five errors deep, and no deeper', () => {
    /** `cause 1`, caused by `cause 2`, ... down to `cause <depth>`. */
    const chain = (depth: number) => {
      let error: Error | undefined;
      for (let i = depth; i >= 1; i--) error = new Error(`cause ${i}`, { cause: error });
      return error;
    };
    expect(describeRequestError(chain(5), 1)).toBe('request failed: cause 5');
    expect(describeRequestError(chain(6), 1)).toBe('request failed: cause 5');
  });

  it('ends on an error that is its own cause', () => {
    const looped: Error & { cause?: unknown } = new Error('loop');
    looped.cause = looped;
    expect(describeRequestError(looped, 1)).toBe('request failed: loop');
  });
});
