import type { IncomingHttpHeaders, Server, ServerResponse } from 'http';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { fetchRequest } from '../../../../lambda/pipeline/private/journey/journey-http';

/** What the loopback server received. */
interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
let received: Received[];
let reply: (res: ServerResponse) => void;

beforeEach(async () => {
  received = [];
  reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("The journey's requests to the public API", () => {
  it("sends a GET with the journey's User-Agent and no token or body, and parses the JSON answer", async () => {
    const answer = await fetchRequest({ method: 'GET', url: `${base}projects`, timeoutMs: 2000 });
    expect(answer).toEqual({ status: 200, body: '{"ok":true}', json: { ok: true } });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'GET', url: '/api/projects', body: '' });
    expect(received[0].headers).toMatchObject({
      accept: 'application/json',
      'user-agent': 'uk-home-improvement-journey/1',
    });
    expect(received[0].headers).not.toHaveProperty('authorization');
    expect(received[0].headers).not.toHaveProperty('content-type');
  });

  it('sends the ID token as Authorization and the body as JSON', async () => {
    await fetchRequest({
      method: 'POST',
      url: `${base}projects`,
      authorization: 'id-token',
      body: { title: 'tap' },
      timeoutMs: 2000,
    });
    expect(received[0]).toMatchObject({ method: 'POST', body: '{"title":"tap"}' });
    expect(received[0].headers).toMatchObject({ authorization: 'id-token', 'content-type': 'application/json' });
  });

  it('returns a redirect as it is, without following it', async () => {
    reply = (res) => res.writeHead(302, { location: `${base}elsewhere` }).end();
    const answer = await fetchRequest({ method: 'GET', url: `${base}projects`, timeoutMs: 2000 });
    expect(answer).toEqual({ status: 302, body: '', json: undefined });
    expect(received.map((r) => r.url)).toEqual(['/api/projects']);
  });

  it('keeps a body that is not JSON as text', async () => {
    reply = (res) => res.writeHead(502).end('<html>Bad gateway</html>');
    expect(await fetchRequest({ method: 'GET', url: `${base}projects`, timeoutMs: 2000 })).toEqual({
      status: 502,
      body: '<html>Bad gateway</html>',
      json: undefined,
    });
  });

  it('fails naming the request and the time limit when no answer comes in time', async () => {
    reply = () => undefined;
    await expect(fetchRequest({ method: 'GET', url: `${base}projects`, timeoutMs: 200 })).rejects.toThrow(
      `GET ${base}projects: timed out after 200 ms`,
    );
  });

  it('fails naming the request when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/projects`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchRequest({ method: 'GET', url, timeoutMs: 2000 })).rejects.toThrow(
      `GET ${url}: connection refused`,
    );
  });
});
