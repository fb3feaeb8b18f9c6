import { Declarations, KeySpec, Settings } from './config-keys';
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

/** The known name closest to `name` (case-insensitive edit distance). */
export function nearest(name: string, known: readonly string[]): string {
  return known.reduce((best, k) => (editDistance(name, k) < editDistance(name, best) ? k : best), known[0]);
}

/**
 * Whether a context key is one of ours: `scope.key` names. CDK's own context (feature flags such as
 * `@aws-cdk/...`, lookups such as `availability-zones:...`, `cli-telemetry`) is not.
 */
export function looksLikeConfigKey(key: string): boolean {
  return /^[a-z][A-Za-z0-9]*\.[A-Za-z0-9.]+$/.test(key);
}
