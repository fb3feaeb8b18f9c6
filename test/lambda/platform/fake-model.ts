import type { AiModel, AiRequest } from '../../../lambda/platform/shared/ai-model';

/** A model that answers from a script and records what it was asked. No network. */
export class FakeModel implements AiModel {
  readonly requests: AiRequest[] = [];
  /** How often {@link checkReady} ran. */
  checks = 0;
  constructor(
    private readonly answer: string | Error,
    readonly modelId = 'claude-fake-model',
    private readonly readiness?: Error,
  ) {}
  async complete(request: AiRequest): Promise<string> {
    this.requests.push(request);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
  async checkReady(): Promise<void> {
    this.checks += 1;
    if (this.readiness) throw this.readiness;
  }
}
