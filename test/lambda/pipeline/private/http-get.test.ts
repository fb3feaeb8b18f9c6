import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
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
