import { CheckFailure } from '../../../../lambda/pipeline/private/aws-call';
import {
  API_TIMEOUT_MS,
  callApi,
  expectStatus,
  jsonList,
  jsonObject,
} from '../../../../lambda/pipeline/private/journey/journey-api';
import type { HttpAnswer } from '../../../../lambda/pipeline/private/journey/journey-http';
import { API_URL, FakeJourneyStage } from './fake-journey-stage';

const answer = (status: number, body: string): HttpAnswer => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, body, json };
};

describe('Calls to the public API', () => {
  let stage: FakeJourneyStage;
  beforeEach(() => {
    stage = new FakeJourneyStage();
  });
  afterEach(() => stage.restore());

  it('sends the method to the path under the API URL, with the token, the body and a 10 s limit', async () => {
    await callApi(stage.context(), API_URL, 'POST', 'projects', { token: 'id-token', body: { title: 't' } });
    await callApi(stage.context(), API_URL, 'GET', 'projects');
    expect(API_TIMEOUT_MS).toBe(10_000);
    expect(stage.requests).toEqual([
      { method: 'POST', url: `${API_URL}projects`, authorization: 'id-token', body: { title: 't' }, timeoutMs: 10_000 },
      { method: 'GET', url: `${API_URL}projects`, authorization: undefined, body: undefined, timeoutMs: 10_000 },
    ]);
  });
});

describe('Reading the answers of the public API', () => {
  it('accepts any of the expected statuses', () => {
    expect(() => expectStatus('GET projects', answer(404, ''), 404, 403)).not.toThrow();
    expect(() => expectStatus('GET projects', answer(403, ''), 404, 403)).not.toThrow();
  });

  it('names the call, the expected and the received status, and the start of the body on one line', () => {
    expect(() =>
      expectStatus('GET projects/journey-p1 as another user', answer(200, '{\n  "projectId":  "p1"\n}\n'), 404, 403),
    ).toThrow(
      new CheckFailure(
        'GET projects/journey-p1 as another user: expected HTTP 404 or 403, got 200: { "projectId": "p1" }',
      ),
    );
    expect(() => expectStatus('GET projects', answer(502, '   '), 200)).toThrow(
      new CheckFailure('GET projects: expected HTTP 200, got 502'),
    );
  });

  it('quotes at most 120 characters of the body', () => {
    const body = `${'a'.repeat(120)}TAIL`;
    expect(() => expectStatus('GET projects', answer(500, body), 200)).toThrow(
      new CheckFailure(`GET projects: expected HTTP 200, got 500: ${'a'.repeat(120)}`),
    );
  });

  it('reads a JSON object and refuses a list, null, text or an empty body', () => {
    expect(jsonObject('GET projects/p1', answer(200, '{"projectId":"p1"}'))).toEqual({ projectId: 'p1' });
    expect(() => jsonObject('GET projects/p1', answer(200, '[1]'))).toThrow(
      new CheckFailure('GET projects/p1: expected a JSON object, got: [1]'),
    );
    expect(() => jsonObject('GET projects/p1', answer(200, 'null'))).toThrow(
      new CheckFailure('GET projects/p1: expected a JSON object, got: null'),
    );
    expect(() => jsonObject('GET projects/p1', answer(200, '<html>gateway</html>'))).toThrow(
      new CheckFailure('GET projects/p1: expected a JSON object, got: <html>gateway</html>'),
    );
    expect(() => jsonObject('GET projects/p1', answer(200, ''))).toThrow(
      new CheckFailure('GET projects/p1: expected a JSON object, got an empty body'),
    );
  });

  it('reads a list field and refuses an object without it', () => {
    expect(jsonList('GET projects', answer(200, '{"projects":[{"projectId":"p1"}]}'), 'projects')).toEqual([
      { projectId: 'p1' },
    ]);
    expect(jsonList('GET projects', answer(200, '{"projects":[]}'), 'projects')).toEqual([]);
    expect(() => jsonList('GET projects', answer(200, '{"items":[]}'), 'projects')).toThrow(
      new CheckFailure('GET projects: expected a list "projects", got: {"items":[]}'),
    );
    expect(() => jsonList('GET projects', answer(200, '[]'), 'projects')).toThrow(
      new CheckFailure('GET projects: expected a JSON object, got: []'),
    );
  });
});
