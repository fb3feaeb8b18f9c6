const OK = new Set(['ok', 'healthy', 'pass', 'up', 'true']);

function isOk(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'string') return OK.has(value.toLowerCase());
  if (typeof value === 'object' && value !== null) return isOk((value as Record<string, unknown>).status);
  return false;
}

/**
 * Reads the body of a 200 answer from /health. Accepted shape: a JSON object with a `status`
 * (`ok`, `healthy`, `pass` or `up`) and/or `dependencies` (or `checks`): an object or list whose
 * entries are such a status, `true`, or an object with such a `status`.
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
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'answered 200 but the body is not a JSON object';
  const obj = parsed as Record<string, unknown>;
  const deps = obj.dependencies ?? obj.checks;
  if (obj.status === undefined && deps === undefined) return 'answered 200 but the body has neither status nor dependencies';
  if (obj.status !== undefined && !isOk(obj.status)) return `reports status ${JSON.stringify(obj.status)}`;
  if (deps !== undefined) {
    if (typeof deps !== 'object' || deps === null) return 'answered 200 but dependencies is not an object or list';
    const entries: [string, unknown][] = Array.isArray(deps)
      ? deps.map((d, i) => [String((d as Record<string, unknown>)?.name ?? i), d])
      : Object.entries(deps);
    const bad = entries.filter(([, v]) => !isOk(v)).map(([k]) => k);
    if (bad.length) return `reports dependencies not OK: ${bad.join(', ')}`;
  }
  return undefined;
}
