import type { DependencyHealth } from '../../platform/health-endpoint';

/** Statuses the health endpoint answers with (lambda/platform/health-endpoint). */
const STATUSES = new Set(['ok', 'unhealthy']);

/** The documented shape of GET /health: `{ status, stage?, dependencies: [{ name, ok, detail }] }`, at least one dependency. */
export interface HealthBody {
  readonly status: 'ok' | 'unhealthy';
  readonly stage?: string;
  readonly dependencies: readonly DependencyHealth[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with one dependency entry's shape, or undefined. */
function entryProblem(d: unknown, i: number): string | undefined {
  if (!isObject(d)) return `dependencies[${i}] is not an object`;
  if (typeof d.name !== 'string' || !d.name) return `dependencies[${i}].name is not a non-empty string`;
  if (typeof d.ok !== 'boolean') return `dependencies[${i}] (${d.name}).ok is not true or false`;
  if (typeof d.detail !== 'string') return `dependencies[${i}] (${d.name}).detail is not a string`;
  return undefined;
}

/**
 * Reads the body of a 200 answer from /health against the health endpoint's contract ({@link HealthBody}):
 * a body of another shape, with no dependency, or with any dependency not OK is a problem.
 *
 * @returns undefined when healthy, otherwise what is wrong.
 */
export function evaluateHealthBody(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `answered 200 but the body is not JSON: ${body.slice(0, 60)}`;
  }
  if (!isObject(parsed)) return 'answered 200 but the body is not a JSON object';
  const contract = 'not the health endpoint contract {status, dependencies: [{name, ok, detail}]}';
  if (typeof parsed.status !== 'string' || !STATUSES.has(parsed.status)) {
    return `answered 200 but status is ${JSON.stringify(parsed.status) ?? 'missing'}, expected "ok" (${contract})`;
  }
  if (parsed.stage !== undefined && typeof parsed.stage !== 'string')
    return `answered 200 but stage is not a string (${contract})`;
  const deps = parsed.dependencies;
  if (deps === undefined) return `answered 200 with no dependencies list: nothing was checked (${contract})`;
  if (!Array.isArray(deps)) return `answered 200 but dependencies is not a list (${contract})`;
  if (deps.length === 0) return 'answered 200 with an empty dependencies list: nothing was checked';
  const shape = deps.map(entryProblem).find((p) => p !== undefined);
  if (shape) return `answered 200 but ${shape} (${contract})`;
  const bad = (deps as DependencyHealth[]).filter((d) => !d.ok);
  if (bad.length) return `reports dependencies not OK: ${bad.map((d) => `${d.name} (${d.detail})`).join(', ')}`;
  if (parsed.status !== 'ok') return `answered 200 but reports status "${parsed.status}"`;
  return undefined;
}
