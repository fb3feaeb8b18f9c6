import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorResponse, jsonResponse } from '../shared/http-response';
import { ENV_NAMES, HEALTH_ENDPOINT_ENV_PREFIXES } from '../../../contracts/env-names';
import type { DependencyHealth, HealthBody } from '../../../contracts/health-contract';
import { describeError, functionLogger } from '../../shared/logger';
import type { Environment } from '../shared/function-environment';

const dynamodb = new DynamoDBClient({});
const secrets = new SecretsManagerClient({});
const logger = functionLogger('health');

/** Dependencies named in the environment, by prefix, as `[dependency name, resource id]`. */
function dependencies(prefix: string, env: Environment): Array<[string, string]> {
  return Object.entries(env)
    .filter((e): e is [string, string] => e[0].startsWith(prefix) && !!e[1])
    .map(([key, value]) => [key.slice(prefix.length).toLowerCase(), value]);
}

async function checkTable(name: string, tableName: string): Promise<DependencyHealth> {
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const status = Table?.TableStatus ?? 'UNKNOWN';
    return { name: `table:${name}`, ok: status === 'ACTIVE', detail: status };
  } catch (error) {
    return { name: `table:${name}`, ok: false, detail: describeError(error).errorName };
  }
}

async function checkSecret(name: string, secretId: string): Promise<DependencyHealth> {
  try {
    // DescribeSecret proves the secret exists and is reachable without reading its value.
    const secret = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (secret.DeletedDate) return { name: `secret:${name}`, ok: false, detail: 'scheduled for deletion' };
    return { name: `secret:${name}`, ok: true, detail: 'present' };
  } catch (error) {
    return { name: `secret:${name}`, ok: false, detail: describeError(error).errorName };
  }
}

/**
 * Builds GET /health: 200 when every table is ACTIVE and every secret present, otherwise 503; the body
 * ({@link HealthBody}) names the stage and region that answered and lists each dependency, so a reader can
 * tell this deployment's answer from another's. The stage, region and dependencies (variables named by
 * HEALTH_ENDPOINT_ENV_PREFIXES) are read once, when it is built; with no stage, no table or no secret
 * configured every request answers 500 naming what is missing.
 */
export function createHandler(
  env: Environment = process.env,
): (event?: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  const tables = dependencies(HEALTH_ENDPOINT_ENV_PREFIXES.table, env);
  const secretIds = dependencies(HEALTH_ENDPOINT_ENV_PREFIXES.secret, env);
  const stage = env[ENV_NAMES.stage];
  // Set by the Lambda runtime in every function's environment.
  const region = env.AWS_REGION;
  const missing = [
    ...(stage ? [] : [`${ENV_NAMES.stage} (the stage name)`]),
    ...(tables.length ? [] : [`${HEALTH_ENDPOINT_ENV_PREFIXES.table}* (tables)`]),
    ...(secretIds.length ? [] : [`${HEALTH_ENDPOINT_ENV_PREFIXES.secret}* (secrets)`]),
  ];
  return async (event) => {
    if (missing.length > 0) {
      logger.error('health endpoint is misconfigured', { missing });
      return errorResponse(
        500,
        `health endpoint is misconfigured: no environment variable ${missing.join(', ')}`,
        event?.requestContext?.requestId,
      );
    }
    const results = await Promise.all([
      ...tables.map(([n, t]) => checkTable(n, t)),
      ...secretIds.map(([n, s]) => checkSecret(n, s)),
    ]);
    const healthy = results.every((r) => r.ok);
    if (!healthy) logger.warn('unhealthy', { failing: results.filter((r) => !r.ok).map((r) => r.name) });
    const body: HealthBody = {
      status: healthy ? 'ok' : 'unhealthy',
      stage: stage!,
      ...(region ? { region } : {}),
      dependencies: results,
    };
    return jsonResponse(healthy ? 200 : 503, body);
  };
}

/** Lambda entry point: GET /health; the environment is read at cold start. */
export const handler = createHandler();
