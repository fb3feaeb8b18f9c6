/**
 * `cdk synth` context arguments that extend the default promotion order (dev, staging, prod) to
 * `count` stages by adding `s4` .. `s<count>`, each with its own fake account; every other key of
 * the added stages takes its declared default.
 * @throws Error when `count` is below 3 (the default stages are kept).
 */
export function stageContextArgs(count: number): string[] {
  if (!Number.isInteger(count) || count < 3)
    throw new Error(`stageContextArgs: count must be a whole number >= 3, got ${count}.`);
  const extra = Array.from({ length: count - 3 }, (_, i) => `s${i + 4}`);
  if (extra.length === 0) return [];
  return [
    '-c',
    `pipeline.stages=${JSON.stringify(['dev', 'staging', 'prod', ...extra])}`,
    ...extra.flatMap((name, i) => ['-c', `${name}.account=${400000000000 + i}`]),
  ];
}

/** Seconds each stage adds to synth: the least-squares slope of synth time over stage count. */
export function secondsPerStage(points: ReadonlyArray<{ stages: number; ms: number }>): number {
  if (points.length < 2) throw new Error('secondsPerStage needs at least two stage counts.');
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.stages, 0) / n;
  const my = points.reduce((s, p) => s + p.ms, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.stages - mx) ** 2, 0);
  if (sxx === 0) throw new Error('secondsPerStage needs at least two different stage counts.');
  return points.reduce((s, p) => s + (p.stages - mx) * (p.ms - my), 0) / sxx / 1000;
}
