import type { Declarations, KeySpec, Settings } from './config-keys';
import { INVALID } from './parsers';

/** The raw config: cdk.json's `context` with `-c key=value` overrides on top. */
export type RawConfig = Readonly<Record<string, unknown>>;

/** One declared key with its full name (`prod.delivery.bakeTimeMinutes`). */
export interface DeclaredKey {
  readonly name: string;
  readonly spec: KeySpec<unknown>;
}

/** Every key declared under `prefix`, switches and grouped keys included, in declaration order. */
export function declaredKeys(prefix: string, declarations: Declarations): DeclaredKey[] {
  return Object.entries(declarations).flatMap(([name, spec]) =>
    spec.kind === 'key' ? [{ name: `${prefix}.${name}`, spec }] : declaredKeys(`${prefix}.${name}`, spec.keys),
  );
}

/** How a raw value is shown in a message. */
export function show(raw: unknown): string {
  return JSON.stringify(raw) ?? String(raw);
}

function readKey(raw: RawConfig, name: string, spec: KeySpec<unknown>, problems: string[]): unknown {
  const value = raw[name];
  if (value === undefined || value === null) {
    if (spec.required) problems.push(`${name} is missing: expected ${spec.accepted}.`);
    return spec.default;
  }
  const parsed = spec.parse(value);
  if (parsed === INVALID) {
    const why = spec.explain?.(value);
    problems.push(`${name} = ${show(value)} is not valid: ${why ? `${why}; ` : ''}expected ${spec.accepted}.`);
    return spec.default;
  }
  return parsed;
}

/**
 * Reads every key declared under `prefix`, applying defaults and recording one problem per missing
 * or bad value. A switched group whose `enabled` is false reads as `undefined`. The result's shape is the declarations' shape.
 */
export function readScope<D extends Declarations>(
  raw: RawConfig,
  prefix: string,
  declarations: D,
  problems: string[],
): Settings<D> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declarations)) {
    const path = `${prefix}.${name}`;
    if (spec.kind === 'key') {
      out[name] = readKey(raw, path, spec, problems);
    } else if (spec.kind === 'group') {
      out[name] = readScope(raw, path, spec.keys, problems);
    } else {
      const { enabled, ...rest } = spec.keys as Declarations;
      const on = readKey(raw, `${path}.enabled`, enabled as KeySpec<boolean>, problems) === true;
      // Keys of a switched-off group are not read, so `-c <stage>.backup.enabled=false` turns the
      // group off without removing its settings; cdk.json itself keeps none (a test checks).
      out[name] = on ? readScope(raw, path, rest, problems) : undefined;
    }
  }
  return out as Settings<D>;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known names closest to `name` (case-insensitive edit distance; a name without a scope is also compared
 * with the last part of each known name, so `manualApproval` finds `<stage>.delivery.manualApproval`), at most
 * `max` of them when several are as close, in the order of `known`; a name that extends a known key by more
 * segments gets that key alone.
 */
export function nearestKeys(name: string, known: readonly string[], max = 3): string[] {
  // A declared key with more segments after it (`live.retainData.enabled`) means that key, whatever is nearer by spelling.
  const parents = known.filter((k) => name.startsWith(`${k}.`));
  if (parents.length > 0) return [parents.reduce((a, b) => (b.length > a.length ? b : a))];
  const distance = (k: string) =>
    Math.min(
      editDistance(name, k),
      name.includes('.') ? Infinity : editDistance(name, k.slice(k.lastIndexOf('.') + 1)),
    );
  const scored = known.map((k) => ({ k, d: distance(k) }));
  const best = Math.min(...scored.map((s) => s.d));
  return scored
    .filter((s) => s.d === best)
    .slice(0, max)
    .map((s) => s.k);
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Prefixes of the context keys the CDK owns: feature flags and settings (`@aws-cdk/...`), and what the CLI and the library set (`aws:cdk:...`). */
const CDK_KEY_PREFIXES = ['@aws-cdk/', '@aws-cdk-containers/', 'aws:cdk:', 'aws-cdk:'];

/**
 * Context keys the CDK owns outside those prefixes: the CLI's own settings (`cli-telemetry`, the notices it was
 * told to hide) and aws-cdk-lib's ECR repository override of container assets.
 */
const CDK_KEYS = new Set(['cli-telemetry', 'acknowledged-issue-numbers', 'assets-ecr-repository-name']);

/**
 * Whether a context key belongs to the CDK rather than to this app's config: feature flags and settings
 * (`@aws-cdk/...`, `@aws-cdk-containers/...`), the keys the CDK CLI passes to the app and that aws-cdk-lib reads
 * (`aws:cdk:...`, `aws-cdk:...`, cx-api's constants), the CLI's settings, and the lookup cache of
 * cdk.context.json (`<provider>:<props>`, such as `availability-zones:account=...:region=...`, one per context provider).
 */
export function isCdkContextKey(key: string, lookupProviders: readonly string[]): boolean {
  return (
    CDK_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)) ||
    CDK_KEYS.has(key) ||
    lookupProviders.some((provider) => key.startsWith(`${provider}:`))
  );
}

/** Full names of the keys under `prefix` whose value is set but not accepted (reported by {@link readScope}). */
export function invalidKeys(raw: RawConfig, prefix: string, declarations: Declarations): Set<string> {
  return new Set(
    declaredKeys(prefix, declarations)
      .filter(({ name, spec }) => raw[name] !== undefined && raw[name] !== null && spec.parse(raw[name]) === INVALID)
      .map(({ name }) => name),
  );
}
