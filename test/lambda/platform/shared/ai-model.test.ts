import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ANTHROPIC_MESSAGES_URL,
  ANTHROPIC_MODELS_URL,
  ClaudeModel,
  parseModelJson,
} from '../../../../lambda/platform/shared/ai-model';

const secretsMock = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:claude';
const MODEL = 'claude-test-model';
// A `model` in the secret is ignored: the model is the stage's ai.modelId.
const settings = { apiKey: 'test-key-not-real', model: 'claude-3-sonnet-20240229', maxTokens: '2048' };

/** A fetch double that records the call and answers `status` with `body`. */
function fakeFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

beforeEach(() => {
  secretsMock.reset();
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(settings) });
});

describe('ClaudeModel', () => {
  it('calls the Messages API with the key from the secret and the configured model, and returns the text', async () => {
    const { fn, calls } = fakeFetch(200, { content: [{ type: 'text', text: '{"ok":true}' }] });
    const model = new ClaudeModel(SECRET, MODEL, new SecretsManagerClient({}), fn);
    await expect(model.complete({ system: 'sys', prompt: 'hello' })).resolves.toBe('{"ok":true}');
    expect(calls[0].url).toBe(ANTHROPIC_MESSAGES_URL);
    expect(calls[0].init.headers).toMatchObject({
      'x-api-key': 'test-key-not-real',
      'anthropic-version': '2023-06-01',
    });
    expect(JSON.parse(calls[0].init.body as string)).toEqual({
      model: MODEL,
      max_tokens: 2048,
      system: 'sys',
      messages: [{ role: 'user', content: 'hello' }],
    });
  });

  it('reads the secret once per container', async () => {
    const { fn } = fakeFetch(200, { content: [{ type: 'text', text: 'x' }] });
    const model = new ClaudeModel(SECRET, MODEL, new SecretsManagerClient({}), fn);
    await model.complete({ system: 's', prompt: 'a' });
    await model.complete({ system: 's', prompt: 'b' });
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('fails with a ConfigurationError naming the secret when it does not exist', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    const model = new ClaudeModel(SECRET, MODEL, new SecretsManagerClient({}), fakeFetch(200, {}).fn);
    await expect(model.complete({ system: 's', prompt: 'p' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: `secret ${SECRET} does not exist`,
    });
  });

  it('fails with a ConfigurationError when the secret has no apiKey', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ maxTokens: 10 }) });
    const model = new ClaudeModel(SECRET, MODEL, new SecretsManagerClient({}), fakeFetch(200, {}).fn);
    await expect(model.complete({ system: 's', prompt: 'p' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/no apiKey/),
    });
  });

  it('treats a rejected key as configuration and a 529 overload as transient', async () => {
    await expect(
      new ClaudeModel(SECRET, MODEL, new SecretsManagerClient({}), fakeFetch(401, {}).fn).complete({
        system: 's',
        prompt: 'p',
      }),
    ).rejects.toMatchObject({ name: 'ConfigurationError' });
    await expect(
      new ClaudeModel(SECRET, MODEL, new SecretsManagerClient({}), fakeFetch(529, {}).fn).complete({
        system: 's',
        prompt: 'p',
      }),
    ).rejects.toMatchObject({ name: 'TransientError', message: expect.stringMatching(/529/) });
  });
});

describe('ClaudeModel.checkReady (the pre-traffic model probe)', () => {
  const check = (status: number, modelId = MODEL) => {
    const fetched = fakeFetch(status, { id: modelId, type: 'model' });
    return { fetched, ready: new ClaudeModel(SECRET, modelId, new SecretsManagerClient({}), fetched.fn).checkReady() };
  };

  it("asks the Models API for the configured model with the secret's key, spending no Messages request", async () => {
    const { fetched, ready } = check(200);
    await expect(ready).resolves.toBeUndefined();
    expect(fetched.calls).toHaveLength(1);
    expect(fetched.calls[0].url).toBe(`${ANTHROPIC_MODELS_URL}/${MODEL}`);
    expect(fetched.calls[0].init).toMatchObject({
      method: 'GET',
      headers: { 'x-api-key': 'test-key-not-real', 'anthropic-version': '2023-06-01' },
    });
  });

  it('refuses a retired model without calling anything, naming it, its retirement date and the source', async () => {
    const { fetched, ready } = check(200, 'claude-3-sonnet-20240229');
    await expect(ready).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/^Anthropic retired claude-3-sonnet-20240229 on 2025-07-21, .*model-deprecations/),
    });
    expect(fetched.calls).toHaveLength(0);
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it.each([
    [404, 'ConfigurationError', /does not know model claude-test-model/],
    [401, 'ConfigurationError', /rejected the key/],
    [500, 'TransientError', /HTTP 500/],
  ])('answers HTTP %i with a %s', async (status, name, message) => {
    await expect(check(status).ready).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
  });

  it('fails with a ConfigurationError when the secret has no key', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ maxTokens: 10 }) });
    await expect(check(200).ready).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/no apiKey/),
    });
  });
});

describe('parseModelJson', () => {
  it('finds the JSON object inside prose or a code fence', () => {
    expect(parseModelJson('Sure!\n```json\n{"a": 1}\n```')).toEqual({ a: 1 });
  });
  it('fails with a TransientError when there is no object', () => {
    expect(() => parseModelJson('no json here')).toThrow(expect.objectContaining({ name: 'TransientError' }));
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  secretsMock.restore();
});
