/**
 * The contract of GET /health: answered by the health endpoint (lambda/platform/health-endpoint), read by
 * the pipeline's health check (lambda/pipeline/private/stage-health) and by the pre-traffic hook that holds
 * a new version of the endpoint to it (lambda/platform/pre-traffic-hook), all through one parser.
 *
 * @packageDocumentation
 */

/** One dependency's health, as the endpoint lists it. */
export interface DependencyHealth {
  /** `table:<name>` or `secret:<name>`. */
  readonly name: string;
  readonly ok: boolean;
  /** What was found (`ACTIVE`, `present`, an error name); never a secret value. */
  readonly detail: string;
}

/**
 * The body of GET /health: its status, which deployment answered (the stage and, where the runtime
 * names it, the region) and every dependency it checked.
 */
export interface HealthBody {
  readonly status: 'ok' | 'unhealthy';
  /** Stage name of the deployment that answered (`staging`). */
  readonly stage: string;
  /** AWS region of the function that answered. */
  readonly region?: string;
  readonly dependencies: readonly DependencyHealth[];
}

/** Which deployment a reader expects the body from. */
export interface HealthExpectation {
  /** Stage the body must name. */
  readonly stage: string;
  /** Region the body must name, when it names one. @default any region */
  readonly region?: string;
}

/** What is wrong with a /health body: its shape, the deployment it names, or its health. */
export interface HealthBodyProblem {
  /** `contract`: not the documented body; `another-deployment`: another stage's (or region's) body; `unhealthy`: a dependency or the status is not OK. */
  readonly kind: 'contract' | 'another-deployment' | 'unhealthy';
  /** One sentence, for a check outcome or a hook's reason. */
  readonly message: string;
}

const STATUSES = new Set(['ok', 'unhealthy']);
const SHAPE = '{status, stage, dependencies: [{name, ok, detail}]}';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with one dependency entry's shape, or undefined. */
function entryProblem(d: unknown, i: number): string | undefined {
  if (!isObject(d)) return `dependencies[${i}] is not an object`;
  if (typeof d.name !== 'string' || !d.name) return `dependencies[${i}].name is not a non-empty string`;
  if (typeof d.ok !== 'boolean') return `dependencies[${i}] (${d.name}).ok is not true or false`;
  if (typeof d.detail !== 'string') return `dependencies[${i}] (${d.name}).detail is not a string`;
  return undefined;
}

const contract = (message: string): HealthBodyProblem => ({
  kind: 'contract',
  message: `${message} (not the health endpoint contract ${SHAPE})`,
});

/**
 * Reads a /health body against the contract ({@link HealthBody}) and the deployment it must come from.
 * A body of another shape, without its stage, naming another stage or region, with no dependency, with
 * any dependency not OK, or with a status other than `ok` is a problem.
 *
 * @returns undefined when the body is this deployment's and healthy, otherwise what is wrong.
 */
export function healthBodyProblem(body: string, expected: HealthExpectation): HealthBodyProblem | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'contract', message: `the body is not JSON: ${body.slice(0, 60)}` };
  }
  if (!isObject(parsed)) return { kind: 'contract', message: 'the body is not a JSON object' };
  if (typeof parsed.status !== 'string' || !STATUSES.has(parsed.status))
    return contract(`status is ${JSON.stringify(parsed.status) ?? 'missing'}, expected "ok"`);
  if (typeof parsed.stage !== 'string' || !parsed.stage)
    return contract(`stage is ${JSON.stringify(parsed.stage) ?? 'missing'}, expected "${expected.stage}"`);
  if (parsed.stage !== expected.stage)
    return { kind: 'another-deployment', message: `expected stage ${expected.stage}, got ${parsed.stage}` };
  if (parsed.region !== undefined && typeof parsed.region !== 'string') return contract('region is not a string');
  if (expected.region && parsed.region !== undefined && parsed.region !== expected.region)
    return {
      kind: 'another-deployment',
      message: `expected region ${expected.region}, got ${parsed.region} (stage ${parsed.stage})`,
    };
  const deps = parsed.dependencies;
  if (deps === undefined) return contract('there is no dependencies list: nothing was checked');
  if (!Array.isArray(deps)) return contract('dependencies is not a list');
  if (deps.length === 0) return { kind: 'contract', message: 'the dependencies list is empty: nothing was checked' };
  const shape = deps.map(entryProblem).find((p) => p !== undefined);
  if (shape) return contract(shape);
  const bad = (deps as DependencyHealth[]).filter((d) => !d.ok);
  if (bad.length)
    return {
      kind: 'unhealthy',
      message: `dependencies not OK: ${bad.map((d) => `${d.name} (${d.detail})`).join(', ')}`,
    };
  if (parsed.status !== 'ok') return { kind: 'unhealthy', message: `status "${parsed.status}"` };
  return undefined;
}
