import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ANTHROPIC_MESSAGES_URL, ClaudeModel, parseModelJson } from '../../../../lambda/platform/shared/ai-model';

const secretsMock = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:claude';
const settings = { apiKey: 'test-key-not-real', model: 'claude-test', maxTokens: '2048' };

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
  it('calls the Messages API with the key and model from the secret and returns the text', async () => {
    const { fn, calls } = fakeFetch(200, { content: [{ type: 'text', text: '{"ok":true}' }] });
    const model = new ClaudeModel(SECRET, new SecretsManagerClient({}), fn);
    await expect(model.complete({ system: 'sys', prompt: 'hello' })).resolves.toBe('{"ok":true}');
    expect(calls[0].url).toBe(ANTHROPIC_MESSAGES_URL);
    expect(calls[0].init.headers).toMatchObject({
      'x-api-key': 'test-key-not-real',
      'anthropic-version': '2023-06-01',
    });
    expect(JSON.parse(calls[0].init.body as string)).toEqual({
      model: 'claude-test',
      max_tokens: 2048,
      system: 'sys',
      messages: [{ role: 'user', content: 'hello' }],
    });
  });

  it('reads the secret once per container', async () => {
    const { fn } = fakeFetch(200, { content: [{ type: 'text', text: 'x' }] });
    const model = new ClaudeModel(SECRET, new SecretsManagerClient({}), fn);
    await model.complete({ system: 's', prompt: 'a' });
    await model.complete({ system: 's', prompt: 'b' });
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('fails with a ConfigurationError naming the secret when it does not exist', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    const model = new ClaudeModel(SECRET, new SecretsManagerClient({}), fakeFetch(200, {}).fn);
    await expect(model.complete({ system: 's', prompt: 'p' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: `secret ${SECRET} does not exist`,
    });
  });

  it('fails with a ConfigurationError when the secret has no apiKey', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ model: 'm' }) });
    const model = new ClaudeModel(SECRET, new SecretsManagerClient({}), fakeFetch(200, {}).fn);
    await expect(model.complete({ system: 's', prompt: 'p' })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/no apiKey/),
    });
  });

  it('treats a rejected key as configuration and a 529 overload as transient', async () => {
    await expect(
      new ClaudeModel(SECRET, new SecretsManagerClient({}), fakeFetch(401, {}).fn).complete({
        system: 's',
        prompt: 'p',
      }),
    ).rejects.toMatchObject({ name: 'ConfigurationError' });
    await expect(
      new ClaudeModel(SECRET, new SecretsManagerClient({}), fakeFetch(529, {}).fn).complete({
        system: 's',
        prompt: 'p',
      }),
    ).rejects.toMatchObject({ name: 'TransientError', message: expect.stringMatching(/529/) });
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
