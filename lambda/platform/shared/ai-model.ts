import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { retiredModelProblem } from '../../../contracts/ai-models';
import { ConfigurationError, TransientError } from './errors';

/** One request to a language model. */
export interface AiRequest {
  /** System prompt: the agent's role and the answer format. */
  readonly system: string;
  /** The user's message. */
  readonly prompt: string;
}

/** A language model the agents talk to. Tests replace it with a fake; production uses {@link ClaudeModel}. */
export interface AiModel {
  /** The model id requests go to. */
  readonly modelId: string;
  /** Returns the model's text answer. */
  complete(request: AiRequest): Promise<string>;
  /**
   * Checks, without spending a request, that requests can reach the model: throws a ConfigurationError when they
   * cannot (retired model, missing or rejected key, unknown model), a TransientError when the check could not run.
   */
  checkReady(): Promise<void>;
}

/**
 * Content of the claude secret (`uk-home-improvement/claude`). A `model` field in it is ignored: the model is
 * the stage's `ai.modelId` config key, checked at synth.
 */
export interface ClaudeSettings {
  readonly apiKey: string;
  readonly maxTokens: number;
}

/** Anthropic Messages API endpoint and version header. */
export const ANTHROPIC_MESSAGES_URL = 'https://api.anthropic.com/v1/messages';
export const ANTHROPIC_VERSION = '2023-06-01';
/**
 * Anthropic Models API: `GET <url>/<model id>` describes a model the key may use, without spending tokens
 * (https://platform.claude.com/docs/en/api/models/retrieve).
 */
export const ANTHROPIC_MODELS_URL = 'https://api.anthropic.com/v1/models';

/** Parses and checks the secret's JSON, naming the missing field. */
export function parseClaudeSettings(secretString: string | undefined, secretId: string): ClaudeSettings {
  if (!secretString) throw new ConfigurationError(`secret ${secretId} has no string value`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(secretString);
  } catch {
    throw new ConfigurationError(`secret ${secretId} is not JSON`);
  }
  const apiKey = raw.apiKey;
  const maxTokens = Number(raw.maxTokens ?? 1024);
  if (typeof apiKey !== 'string' || apiKey === '') throw new ConfigurationError(`secret ${secretId} has no apiKey`);
  if (!Number.isInteger(maxTokens) || maxTokens <= 0)
    throw new ConfigurationError(`secret ${secretId} has an invalid maxTokens`);
  return { apiKey, maxTokens };
}

/**
 * Claude `modelId` through the Anthropic Messages API. Reads the API key from Secrets Manager once per
 * container (the secret's value is never logged).
 */
export class ClaudeModel implements AiModel {
  private settings?: Promise<ClaudeSettings>;

  constructor(
    private readonly secretId: string,
    readonly modelId: string,
    private readonly secrets: SecretsManagerClient = new SecretsManagerClient({}),
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async checkReady(): Promise<void> {
    const retired = retiredModelProblem(this.modelId);
    if (retired) throw new ConfigurationError(retired);
    const settings = await this.loadSettings();
    let response: Response;
    try {
      response = await this.fetchFn(`${ANTHROPIC_MODELS_URL}/${encodeURIComponent(this.modelId)}`, {
        method: 'GET',
        headers: { 'x-api-key': settings.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new TransientError(`Claude Models API unreachable: ${(error as Error).message}`);
    }
    if (response.status === 401 || response.status === 403)
      throw new ConfigurationError(`Claude API rejected the key in ${this.secretId} (HTTP ${response.status})`);
    if (response.status === 404)
      throw new ConfigurationError(`Claude API does not know model ${this.modelId} for the key in ${this.secretId}`);
    if (!response.ok) throw new TransientError(`Claude Models API answered HTTP ${response.status}`);
  }

  async complete(request: AiRequest): Promise<string> {
    const settings = await this.loadSettings();
    let response: Response;
    try {
      response = await this.fetchFn(ANTHROPIC_MESSAGES_URL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': settings.apiKey,
          'anthropic-version': ANTHROPIC_VERSION,
        },
        body: JSON.stringify({
          model: this.modelId,
          max_tokens: settings.maxTokens,
          system: request.system,
          messages: [{ role: 'user', content: request.prompt }],
        }),
        signal: AbortSignal.timeout(45_000),
      });
    } catch (error) {
      throw new TransientError(`Claude API unreachable: ${(error as Error).message}`);
    }
    if (response.status === 401 || response.status === 403)
      throw new ConfigurationError(`Claude API rejected the key in ${this.secretId} (HTTP ${response.status})`);
    if (!response.ok) throw new TransientError(`Claude API answered HTTP ${response.status}`);
    const body = (await response.json()) as { content?: Array<{ type: string; text?: string }> };
    const text = body.content
      ?.filter((c) => c.type === 'text')
      .map((c) => c.text ?? '')
      .join('');
    if (!text) throw new TransientError('Claude API answered without text content');
    return text;
  }

  private loadSettings(): Promise<ClaudeSettings> {
    this.settings ??= this.secrets
      .send(new GetSecretValueCommand({ SecretId: this.secretId }))
      .then((s) => parseClaudeSettings(s.SecretString, this.secretId))
      .catch((error: unknown) => {
        this.settings = undefined;
        if (error instanceof ConfigurationError) throw error;
        if ((error as Error).name === 'ResourceNotFoundException')
          throw new ConfigurationError(`secret ${this.secretId} does not exist`);
        throw new TransientError(`could not read secret ${this.secretId}: ${(error as Error).name}`);
      });
    return this.settings;
  }
}

/** Extracts the first JSON object of a model answer (models sometimes wrap it in prose or a code fence). */
export function parseModelJson(text: string): Record<string, unknown> {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) throw new TransientError('the model answer holds no JSON object');
  try {
    const value = JSON.parse(text.slice(start, end + 1));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new TransientError('the model answer holds malformed JSON');
  }
}
