import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AiModel } from './ai-model';
import { ClaudeModel } from './ai-model';
import { ENV_NAMES } from '../../../contracts/env-names';
import { readFunctionEnvironment } from './function-environment';

/** What an AI agent handler needs; tests pass a fake model and a mocked document client. */
export interface AgentDependencies {
  readonly model: AiModel;
  readonly documents: DynamoDBDocumentClient;
}

let production: AgentDependencies | undefined;

/**
 * The real dependencies, created once per container: Claude model AI_MODEL_ID with the key in the secret named
 * by CLAUDE_SECRET_ARN.
 */
export function productionAgentDependencies(): AgentDependencies {
  const environment = readFunctionEnvironment([ENV_NAMES.claudeSecretArn, ENV_NAMES.aiModelId]);
  return (production ??= {
    model: new ClaudeModel(environment.require(ENV_NAMES.claudeSecretArn), environment.require(ENV_NAMES.aiModelId)),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  });
}
