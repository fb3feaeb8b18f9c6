import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AgentDependencies } from '../shared/agent-dependencies';
import { productionAgentDependencies } from '../shared/agent-dependencies';
import { parseModelJson } from '../shared/ai-model';
import { NotFoundError, TransientError } from '../shared/errors';
import { functionLogger } from '../../shared/logger';
import { ENV_NAMES } from '../../../contracts/env-names';
import type { Environment } from '../shared/function-environment';
import { readFunctionEnvironment } from '../shared/function-environment';
import { parseProjectWorkInput } from '../shared/worker-input';
import { workerHandler } from '../shared/worker-handler';
import { answerAiModelProbe, isAiModelProbe } from '../shared/ai-model-probe';
import type { AiModelProbeAnswer } from '../../../contracts/pre-traffic-probes';

/** One piece of work in a project's scope. */
export interface ScopeTask {
  readonly name: string;
  readonly trade: string;
}

/** What the scoping agent writes onto the project. */
export interface ProjectScope {
  readonly summary: string;
  readonly tasks: readonly ScopeTask[];
  readonly estimatedDurationDays: number;
}

/** Result handed to the next workflow step. */
export interface ScopingResult {
  readonly projectId: string;
  readonly status: 'scoped';
  readonly taskCount: number;
}

export const SCOPING_SYSTEM_PROMPT = [
  'You scope UK home improvement projects for homeowners.',
  'Answer with one JSON object only: {"summary": string, "tasks": [{"name": string, "trade": string}], "estimatedDurationDays": integer}.',
  'List the trades a contractor would need (e.g. plumber, electrician, joiner) and follow UK building regulations.',
].join(' ');

/** Checks the model's answer; a malformed answer is transient (the workflow retries it). */
export function parseScope(text: string): ProjectScope {
  const raw = parseModelJson(text);
  const tasks = Array.isArray(raw.tasks) ? raw.tasks : [];
  const valid = tasks.every((t) => t && typeof t.name === 'string' && t.name && typeof t.trade === 'string' && t.trade);
  const days = raw.estimatedDurationDays;
  if (
    typeof raw.summary !== 'string' ||
    !raw.summary ||
    tasks.length === 0 ||
    !valid ||
    typeof days !== 'number' ||
    !Number.isInteger(days) ||
    days <= 0
  ) {
    throw new TransientError(
      'the model answer is not a valid scope (summary, tasks with name and trade, estimatedDurationDays)',
    );
  }
  return {
    summary: raw.summary,
    tasks: tasks.map((t) => ({ name: t.name, trade: t.trade })),
    estimatedDurationDays: days,
  };
}

/** Builds the scoping agent: reads the project, asks the model for a scope, stores it. */
export function createHandler(deps: () => AgentDependencies, env: Environment = process.env) {
  const environment = readFunctionEnvironment([ENV_NAMES.projectsTable], env);
  const logger = functionLogger('project-scoping');
  return workerHandler(logger, async (event: unknown): Promise<ScopingResult | AiModelProbeAnswer> => {
    if (isAiModelProbe(event)) return answerAiModelProbe(deps().model);
    const { projectId } = parseProjectWorkInput(event);
    const table = environment.require(ENV_NAMES.projectsTable);
    const { model, documents } = deps();
    const { Item: project } = await documents.send(new GetCommand({ TableName: table, Key: { projectId } }));
    if (!project) throw new NotFoundError(`project ${projectId} not found`);
    const prompt = JSON.stringify({
      title: project.title,
      description: project.description,
      postcode: project.postcode,
      budgetPence: project.budgetPence,
    });
    const scope = parseScope(await model.complete({ system: SCOPING_SYSTEM_PROMPT, prompt }));
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { projectId },
        UpdateExpression: 'SET #scope = :scope, #status = :status, updatedAt = :now',
        ConditionExpression: 'attribute_exists(projectId)',
        ExpressionAttributeNames: { '#scope': 'scope', '#status': 'status' },
        ExpressionAttributeValues: { ':scope': scope, ':status': 'scoped', ':now': new Date().toISOString() },
      }),
    );
    logger.info('project scoped', { projectId, taskCount: scope.tasks.length });
    return { projectId, status: 'scoped', taskCount: scope.tasks.length };
  });
}

/** Lambda entry point: Claude behind the secret named by CLAUDE_SECRET_ARN. */
export const handler = createHandler(productionAgentDependencies);
