import { AiModel, AiRequest } from '../../../lambda/platform/shared/ai-model';

/** A model that answers from a script and records what it was asked. No network. */
export class FakeModel implements AiModel {
  readonly requests: AiRequest[] = [];
  constructor(private readonly answer: string | Error) {}
  async complete(request: AiRequest): Promise<string> {
    this.requests.push(request);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}
