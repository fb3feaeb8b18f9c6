import type { HookPorts, HookStatus } from '../../../lambda/platform/pre-traffic-hook/run-hook';
import { runPreTrafficHook } from '../../../lambda/platform/pre-traffic-hook/run-hook';
import type { Probe } from '../../../contracts/pre-traffic-probes';
import type { LogLevel } from '../../../lambda/shared/logger';
import { createLogger } from '../../../lambda/shared/logger';

const EVENT = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'hook-1' };
const API_PROBE: Probe = {
  event: { httpMethod: 'GET', resource: '/health', path: '/health' },
  expect: { statusCode: 200 },
};
const WORKER_PROBE: Probe = { event: {}, expect: { errorType: 'InvalidInputError' } };
const TARGET = 'arn:aws:lambda:eu-west-2:111111111111:function:notify:7';

/** Fake AWS side: records reports; `invoke` answers as given. */
function ports(invoke: HookPorts['invoke'], overrides: Partial<HookPorts> = {}) {
  const reports: Array<[string, string, HookStatus]> = [];
  const invoked: Array<[string, unknown, number]> = [];
  const p: HookPorts = {
    targetVersion: async () => TARGET,
    invoke: async (target, event, timeoutMs) => {
      invoked.push([target, event, timeoutMs]);
      return invoke(target, event, timeoutMs);
    },
    report: async (id, hook, status) => {
      reports.push([id, hook, status]);
    },
    remainingMs: () => 30_000,
    ...overrides,
  };
  return { p, reports, invoked };
}
const lines: Array<[LogLevel, string]> = [];
const logger = createLogger({ stage: 'test', component: 'pre-traffic-hook' }, (line, level) =>
  lines.push([level, line]),
);

describe('The pre-traffic hook', () => {
  beforeEach(() => {
    lines.length = 0;
  });

  it('reports Succeeded when the new version answers the API probe with the expected status', async () => {
    const { p, reports, invoked } = ports(async () => ({
      payload: JSON.stringify({ statusCode: 200, body: '{"status":"ok"}' }),
    }));
    const outcome = await runPreTrafficHook(EVENT, API_PROBE, p, 5_000, logger);
    expect(outcome.status).toBe('Succeeded');
    expect(reports).toEqual([['d-ABC123', 'hook-1', 'Succeeded']]);
    // It invokes the deployment's target version with the probe, within the time left minus the reserve.
    expect(invoked).toEqual([[TARGET, API_PROBE.event, 25_000]]);
  });

  it('reports Succeeded when a worker rejects the harmless request with its input error', async () => {
    const { p, reports } = ports(async () => ({
      functionError: 'Unhandled',
      payload: JSON.stringify({ errorType: 'InvalidInputError', errorMessage: 'event.projectId is missing' }),
    }));
    expect((await runPreTrafficHook(EVENT, WORKER_PROBE, p, 5_000, logger)).status).toBe('Succeeded');
    expect(reports.map((r) => r[2])).toEqual(['Succeeded']);
  });

  it.each([
    [
      'a function error (the code cannot start)',
      API_PROBE,
      { functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'Runtime.ImportModuleError' }) },
      /function failed \(Unhandled: Runtime.ImportModuleError\)/,
    ],
    [
      'a wrong status code',
      API_PROBE,
      { payload: JSON.stringify({ statusCode: 503 }) },
      /statusCode 503, expected 200/,
    ],
    ['a response that is not JSON', API_PROBE, { payload: 'Task timed out' }, /not JSON/],
    ['a worker that accepts the empty request', WORKER_PROBE, { payload: '{}' }, /accepted the harmless request/],
    [
      'a worker failing with another error',
      WORKER_PROBE,
      { functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'ConfigurationError' }) },
      /ConfigurationError, expected InvalidInputError/,
    ],
  ])('reports Failed on %s', async (_name, probe, result, reason) => {
    const { p, reports } = ports(async () => result);
    const outcome = await runPreTrafficHook(EVENT, probe, p, 5_000, logger);
    expect(outcome).toEqual({ status: 'Failed', reason: expect.stringMatching(reason) });
    expect(reports).toEqual([['d-ABC123', 'hook-1', 'Failed']]);
    expect(lines.some(([level]) => level === 'error')).toBe(true);
  });

  it('reports Failed when the invocation throws (throttled, no permission)', async () => {
    const { p, reports } = ports(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    });
    expect(await runPreTrafficHook(EVENT, API_PROBE, p, 5_000, logger)).toEqual({
      status: 'Failed',
      reason: 'TooManyRequestsException: Rate exceeded',
    });
    expect(reports.map((r) => r[2])).toEqual(['Failed']);
  });

  it('reports Failed when the new version cannot be found', async () => {
    const { p, reports, invoked } = ports(async () => ({ payload: '{"statusCode":200}' }), {
      targetVersion: async () => {
        throw new Error('deployment has no Lambda target');
      },
    });
    expect((await runPreTrafficHook(EVENT, API_PROBE, p, 5_000, logger)).reason).toMatch(/no Lambda target/);
    expect(invoked).toHaveLength(0);
    expect(reports.map((r) => r[2])).toEqual(['Failed']);
  });

  it('gives up on a hanging invocation in time to report Failed', async () => {
    const { p, reports } = ports(() => new Promise(() => undefined), { remainingMs: () => 5_050 });
    const started = Date.now();
    const outcome = await runPreTrafficHook(EVENT, API_PROBE, p, 5_000, logger);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome).toEqual({ status: 'Failed', reason: expect.stringMatching(/took longer than 50 ms/) });
    expect(reports.map((r) => r[2])).toEqual(['Failed']);
  });

  it('reports Failed without invoking when no time is left beyond the reserve', async () => {
    let left = 6_000;
    const { p, reports, invoked } = ports(async () => ({ payload: '{"statusCode":200}' }), {
      targetVersion: async () => {
        left = 4_000;
        return TARGET;
      },
      remainingMs: () => left,
    });
    expect((await runPreTrafficHook(EVENT, API_PROBE, p, 5_000, logger)).reason).toMatch(/no time left/);
    expect(invoked).toHaveLength(0);
    expect(reports.map((r) => r[2])).toEqual(['Failed']);
  });

  it('fails the hook (never Succeeded) when the report itself fails', async () => {
    const { p } = ports(async () => ({ payload: '{"statusCode":200}' }), {
      report: async () => {
        throw new Error('AccessDenied');
      },
    });
    await expect(runPreTrafficHook(EVENT, API_PROBE, p, 5_000, logger)).rejects.toThrow('AccessDenied');
    expect(lines.some(([level, line]) => level === 'error' && line.includes('could not report'))).toBe(true);
  });

  it('rejects an event without the hook ids, naming what it expects', async () => {
    const { p, reports } = ports(async () => ({ payload: '{}' }));
    await expect(runPreTrafficHook({ DeploymentId: 'd-1' } as never, API_PROBE, p, 5_000, logger)).rejects.toThrow(
      /LifecycleEventHookExecutionId/,
    );
    expect(reports).toHaveLength(0);
  });
});
