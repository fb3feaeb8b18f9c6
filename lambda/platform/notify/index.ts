import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError, NotFoundError } from '../shared/errors';
import { functionLogger } from '../../shared/logger';
import { ENV_NAMES } from '../../../contracts/env-names';
import type { Environment } from '../shared/function-environment';
import { readFunctionEnvironment } from '../shared/function-environment';
import { optionalString } from '../shared/request-input';
import { parseProjectWorkInput } from '../shared/worker-input';
import { workerHandler } from '../shared/worker-handler';

/** Notifications the platform records on a project, and the project status each one sets. */
export const NOTIFICATION_STATUS = {
  QuoteReady: 'quoted',
  ContractSigned: 'contracted',
} as const;

/** Kind of notification. */
export type NotificationKind = keyof typeof NOTIFICATION_STATUS;

/** Result of the notify step. */
export interface NotifyResult {
  readonly projectId: string;
  readonly status: string;
}

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const logger = functionLogger('notify');

/**
 * Records a notification on the project (status and last notification), which the web app shows
 * to the homeowner. Input: `{ projectId, kind: "QuoteReady" | "ContractSigned", quoteId?, contractId? }`.
 */
export function createHandler(env: Environment = process.env) {
  const environment = readFunctionEnvironment([ENV_NAMES.projectsTable], env);
  return workerHandler(logger, async (event: unknown): Promise<NotifyResult> => {
    const { projectId, raw } = parseProjectWorkInput(event);
    const kind = raw.kind;
    if (typeof kind !== 'string' || !(kind in NOTIFICATION_STATUS)) {
      throw new InvalidInputError(`kind must be one of ${Object.keys(NOTIFICATION_STATUS).join(', ')}`);
    }
    const status = NOTIFICATION_STATUS[kind as NotificationKind];
    const notification = {
      kind,
      quoteId: optionalString(raw, 'quoteId', 64),
      contractId: optionalString(raw, 'contractId', 64),
      at: new Date().toISOString(),
    };
    try {
      await documents.send(
        new UpdateCommand({
          TableName: environment.require(ENV_NAMES.projectsTable),
          Key: { projectId },
          UpdateExpression: 'SET #status = :status, lastNotification = :notification, updatedAt = :now',
          ConditionExpression: 'attribute_exists(projectId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':notification': notification, ':now': notification.at },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new NotFoundError(`project ${projectId} not found`);
      throw error;
    }
    logger.info('notification recorded', { projectId, kind });
    return { projectId, status };
  });
}

/** Lambda entry point; the environment is read once, at cold start. */
export const handler = createHandler();
