import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorResponse, jsonResponse } from '../shared/http-response';
import { ENV_NAMES, HEALTH_ENDPOINT_ENV_PREFIXES } from '../../../contracts/env-names';
import { describeError, functionLogger } from '../../shared/logger';
import { Environment } from '../shared/function-environment';

/** One dependency's health. */
export interface DependencyHealth {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

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
 * Builds GET /health: 200 when every table is ACTIVE and every secret present, otherwise 503; the body lists
 * each dependency. The dependencies (variables named by HEALTH_ENDPOINT_ENV_PREFIXES) are read once, when it is built;
 * with no table or no secret configured every request answers 500 naming the missing prefix.
 */
export function createHandler(
  env: Environment = process.env,
): (event?: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  const tables = dependencies(HEALTH_ENDPOINT_ENV_PREFIXES.table, env);
  const secretIds = dependencies(HEALTH_ENDPOINT_ENV_PREFIXES.secret, env);
  const stage = env[ENV_NAMES.stage];
  const missing = [
    ...(tables.length ? [] : [HEALTH_ENDPOINT_ENV_PREFIXES.table]),
    ...(secretIds.length ? [] : [HEALTH_ENDPOINT_ENV_PREFIXES.secret]),
  ];
  return async (event) => {
    if (missing.length > 0) {
      logger.error('health endpoint has no dependencies configured', {
        tables: tables.length,
        secrets: secretIds.length,
      });
      return errorResponse(
        500,
        `health endpoint is misconfigured: no environment variables ${missing.map((p) => `${p}*`).join(' or ')} name tables or secrets to check`,
        event?.requestContext?.requestId,
      );
    }
    const results = await Promise.all([
      ...tables.map(([n, t]) => checkTable(n, t)),
      ...secretIds.map(([n, s]) => checkSecret(n, s)),
    ]);
    const healthy = results.every((r) => r.ok);
    if (!healthy) logger.warn('unhealthy', { failing: results.filter((r) => !r.ok).map((r) => r.name) });
    return jsonResponse(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', stage, dependencies: results });
  };
}

/** Lambda entry point: GET /health; the environment is read at cold start. */
export const handler = createHandler();
