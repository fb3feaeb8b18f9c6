import { randomUUID } from 'crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AgentDependencies } from '../shared/agent-dependencies';
import { productionAgentDependencies } from '../shared/agent-dependencies';
import { parseModelJson } from '../shared/ai-model';
import { InvalidInputError, NotFoundError, TransientError } from '../shared/errors';
import { functionLogger } from '../../shared/logger';
import { ENV_NAMES } from '../../../contracts/env-names';
import { SYNTHETIC } from '../../../contracts/synthetic-data';
import type { Environment } from '../shared/function-environment';
import { readFunctionEnvironment } from '../shared/function-environment';
import { parseProjectWorkInput } from '../shared/worker-input';
import { workerHandler } from '../shared/worker-handler';
import { answerAiModelProbe, isAiModelProbe } from '../shared/ai-model-probe';
import type { AiModelProbeAnswer } from '../../../contracts/pre-traffic-probes';

/** UK standard VAT rate applied to AI estimates. */
export const VAT_RATE = 0.2;

/** One priced line of an estimate, in pence. */
export interface LineItem {
  readonly description: string;
  readonly amountPence: number;
}

/** Result handed to the next workflow step. */
export interface EstimationResult {
  readonly projectId: string;
  readonly quoteId: string;
  readonly totalPence: number;
}

export const ESTIMATION_SYSTEM_PROMPT = [
  'You estimate prices for scoped UK home improvement projects, in pence, excluding VAT.',
  'Answer with one JSON object only: {"lineItems": [{"description": string, "amountPence": integer}]}.',
].join(' ');

/** Checks the model's line items; a malformed answer is transient (the workflow retries it). */
export function parseLineItems(text: string): LineItem[] {
  const items = parseModelJson(text).lineItems;
  if (!Array.isArray(items) || items.length === 0) throw new TransientError('the model answer has no lineItems');
  for (const item of items) {
    if (
      !item ||
      typeof item.description !== 'string' ||
      !item.description ||
      !Number.isInteger(item.amountPence) ||
      item.amountPence < 0
    ) {
      throw new TransientError(
        'the model answer has a line item without description or whole, non-negative amountPence',
      );
    }
  }
  return items.map((i) => ({ description: i.description, amountPence: i.amountPence }));
}

/** Builds the estimation agent: reads the scoped project, asks the model for prices, stores a quote. */
export function createHandler(deps: () => AgentDependencies, env: Environment = process.env) {
  const environment = readFunctionEnvironment([ENV_NAMES.projectsTable, ENV_NAMES.quotesTable], env);
  const logger = functionLogger('quote-estimation');
  return workerHandler(logger, async (event: unknown): Promise<EstimationResult | AiModelProbeAnswer> => {
    if (isAiModelProbe(event)) return answerAiModelProbe(deps().model);
    const { projectId } = parseProjectWorkInput(event);
    const projectsTable = environment.require(ENV_NAMES.projectsTable);
    const quotesTable = environment.require(ENV_NAMES.quotesTable);
    const { model, documents } = deps();
    const { Item: project } = await documents.send(new GetCommand({ TableName: projectsTable, Key: { projectId } }));
    if (!project) throw new NotFoundError(`project ${projectId} not found`);
    if (!project.scope)
      throw new InvalidInputError(`project ${projectId} has not been scoped yet; run project scoping first`);
    const prompt = JSON.stringify({ title: project.title, postcode: project.postcode, scope: project.scope });
    const lineItems = parseLineItems(await model.complete({ system: ESTIMATION_SYSTEM_PROMPT, prompt }));
    const subtotalPence = lineItems.reduce((sum, i) => sum + i.amountPence, 0);
    const vatPence = Math.round(subtotalPence * VAT_RATE);
    // A synthetic project's quote is marked the same way, so the acceptance journey's role may remove it.
    const synthetic = project[SYNTHETIC.attribute] === true;
    const quote = {
      quoteId: `${synthetic ? SYNTHETIC.keyPrefix : ''}${randomUUID()}`,
      projectId,
      createdAt: new Date().toISOString(),
      source: 'ai-estimate',
      lineItems,
      subtotalPence,
      vatPence,
      totalPence: subtotalPence + vatPence,
      ...(synthetic ? { [SYNTHETIC.attribute]: true } : {}),
    };
    // No contractorId: AI estimates stay out of the byContractor index.
    await documents.send(
      new PutCommand({ TableName: quotesTable, Item: quote, ConditionExpression: 'attribute_not_exists(quoteId)' }),
    );
    logger.info('quote estimated', { projectId, quoteId: quote.quoteId, totalPence: quote.totalPence });
    return { projectId, quoteId: quote.quoteId, totalPence: quote.totalPence };
  });
}

/** Lambda entry point: Claude behind the secret named by CLAUDE_SECRET_ARN. */
export const handler = createHandler(productionAgentDependencies);
