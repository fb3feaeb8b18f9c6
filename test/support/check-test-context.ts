import { createCheckClients } from '../../lambda/pipeline/private/check-clients';
import type { CheckContext } from '../../lambda/pipeline/private/check-context';
import type { HttpGet } from '../../lambda/pipeline/private/http-get';
import { createLogger } from '../../lambda/shared/logger';
import type { CheckParameters } from '../../contracts/check-parameters';
import { HEALTHY_BODY, NOW, PARAMS } from '../../support/check-fixtures';

/** Log lines a context wrote, parsed. */
export type LogLines = Record<string, unknown>[];

/** A check context over the mocked clients: no real sleeping, short timeouts, logs captured. */
export function testContext(
  options: {
    params?: Partial<CheckParameters>;
    httpGet?: HttpGet;
    now?: Date;
    endpoint?: string;
    lines?: LogLines;
  } = {},
): CheckContext {
  const params = { ...PARAMS, ...options.params };
  const lines = options.lines ?? [];
  return {
    params,
    clients: createCheckClients({
      region: params.region,
      drRegion: params.dr?.drRegion,
      endpoint: options.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
    log: createLogger({ stage: params.stage, check: 'test' }, (l) => lines.push(JSON.parse(l))),
    callOptions: { sleep: async () => undefined, timeoutMs: 500, attempts: 3 },
    httpGet: options.httpGet ?? (async () => ({ status: 200, body: HEALTHY_BODY })),
    now: () => options.now ?? NOW,
  };
}
