#!/usr/bin/env node
/**
 * `npm run bench`: how fast the app synthesizes, tests and runs, and how long a push takes to reach
 * each stage on a simple model. Prints a table and writes the figures to bench/results/<timestamp>.json.
 * Goals are reported beside the figures as met or missed; a missed goal never fails the run.
 *
 * Usage: tsx bench/run.ts [--skip-tests] [--runs <n>] [--load-runs <n>]
 *
 * Health/DR check run time: when `bench/hooks/check-runtime.ts` exists, it is run with tsx from the
 * repository root; it must start its own emulator (moto_server), run a full health check and a full
 * DR check against it, and print as its last stdout line a JSON object of milliseconds per check,
 * for example `{"health": 420, "dr": 910}`. Without the hook the figure is reported as n/a.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import * as path from 'path';
import { assemblyStacks, assetLabel, lambdaAssets } from './cloud-assembly';
import { formatTable } from './format-table';
import { median, moduleLoadTimes, timeCommand } from './measure';
import { pipelineShape, PipelineShape } from './pipeline-shape';
import { stageWaits } from './stage-waits';

const ROOT = path.join(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const CHECK_HOOK = path.join(__dirname, 'hooks', 'check-runtime.ts');

/** Performance goals the benchmark checks (synth, tests, bundles, cold-start load, pipeline time), measured on this machine. */
const GOALS = {
  synthRatio: 3,
  npmTestSeconds: 90,
  bundleKb: 50,
  loadMs: 50,
  pushToDevMinutes: 11,
  pushToProdMinutes: 22,
  codeBuildProjects: 4,
};

interface Options {
  readonly skipTests: boolean;
  readonly runs: number;
  readonly loadRuns: number;
}

function parseArgs(argv: readonly string[]): Options {
  const number = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} expects a positive whole number, got ${JSON.stringify(argv[i + 1])}.`);
    return value;
  };
  const known = new Set(['--skip-tests', '--runs', '--load-runs']);
  const unknown = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !(i > 0 && ['--runs', '--load-runs'].includes(argv[i - 1])));
  if (unknown.length) throw new Error(`Unknown option ${unknown.join(', ')}. Usage: tsx bench/run.ts [--skip-tests] [--runs <n>] [--load-runs <n>]`);
  return { skipTests: argv.includes('--skip-tests'), runs: number('--runs', 5), loadRuns: number('--load-runs', 7) };
}

/** A throwaway CDK app with one empty stack, using this project's toolchain: the synth floor. */
function createEmptyApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-empty-app-'));
  const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
  const appCommand = typeof cdkJson.app === 'string' && cdkJson.app.includes('bin/app.ts') ? cdkJson.app : 'npx tsx bin/app.ts';
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'app.ts'), [
    "import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';",
    '',
    'const app = new App();',
    "// One resource-free placeholder, so the template passes CloudFormation's \"Resources must not be empty\" check.",
    "new CfnWaitConditionHandle(new Stack(app, 'EmptyStack'), 'Placeholder');",
    '',
  ].join('\n'));
  writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: appCommand, notices: false, context: cdkJson.context ?? {} }, null, 2));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-empty-app', private: true }));
  for (const file of ['tsconfig.json']) if (existsSync(path.join(ROOT, file))) writeFileSync(path.join(dir, file), readFileSync(path.join(ROOT, file)));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function synthOnce(cwd: string, outdir: string): number {
  const run = timeCommand('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { cwd, timeoutMs: 10 * 60_000 });
  if (run.status !== 0) throw new Error(`npx cdk synth failed in ${cwd} (exit ${run.status}):\n${run.tail}`);
  return run.ms;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}

function status(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'met' : 'MISSED';
}

interface GoalRow {
  readonly measure: string;
  readonly figure: string;
  readonly goal: string;
  readonly met?: boolean;
}

function runCheckHook(): { status: 'measured'; ms: Record<string, number> } | { status: 'n/a' | 'error'; reason: string } {
  if (!existsSync(CHECK_HOOK)) {
    const present = ['scripts/check.ts', 'lambda/pipeline/stage-health', 'lambda/pipeline/dr-check'].filter((p) => existsSync(path.join(ROOT, p)));
    const found = present.length ? `check code found (${present.join(', ')}) but ` : '';
    return { status: 'n/a', reason: `${found}no bench hook ${path.relative(ROOT, CHECK_HOOK)}` };
  }
  const run = timeCommand(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [CHECK_HOOK], { cwd: ROOT, timeoutMs: 5 * 60_000 });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as Record<string, unknown>;
    const ms = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
    if (run.status === 0 && Object.keys(ms).length) return { status: 'measured', ms };
  } catch { /* reported below */ }
  return { status: 'error', reason: `hook exited ${run.status} without a JSON line of milliseconds: ${run.tail.split('\n').slice(-3).join(' | ')}` };
}

/** Temporary directories to remove when the run ends, however it ends. */
const temporary: string[] = [];
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

  // Synth: warm-up, then interleaved runs of the app and of the empty app so load drift hits both alike.
  const emptyApp = createEmptyApp();
  const appOut = mkdtempSync(path.join(tmpdir(), 'bench-app-out-'));
  const emptyOut = mkdtempSync(path.join(tmpdir(), 'bench-empty-out-'));
  temporary.push(emptyApp, appOut, emptyOut);
  const appMs: number[] = [];
  const emptyMs: number[] = [];
  log('synth warm-up');
  synthOnce(ROOT, appOut);
  synthOnce(emptyApp, emptyOut);
  for (let i = 1; i <= options.runs; i++) {
    log(`synth run ${i}/${options.runs}`);
    appMs.push(synthOnce(ROOT, appOut));
    emptyMs.push(synthOnce(emptyApp, emptyOut));
  }
  const synth = { appMs, emptyMs, appMedianMs: median(appMs), emptyMedianMs: median(emptyMs), ratio: median(appMs) / median(emptyMs) };

  let npmTest: { skipped: true } | { ms: number; exitCode: number | null } = { skipped: true };
  if (!options.skipTests) {
    log('npm test');
    const run = timeCommand('npm', ['test'], { cwd: ROOT, timeoutMs: 30 * 60_000 });
    npmTest = { ms: run.ms, exitCode: run.status };
  }

  log('Lambda bundles');
  const nodePath = path.join(ROOT, 'node_modules');
  const lambdas = lambdaAssets(appOut).map((asset) => {
    const load = moduleLoadTimes(asset.handlerFile, options.loadRuns, nodePath, asset.functions[0].environment);
    return {
      label: assetLabel(asset),
      cdkProvided: asset.cdkProvided,
      functions: asset.functions.map((f) => f.constructPath),
      handlerFile: path.basename(asset.handlerFile),
      bundleBytes: asset.bundleBytes,
      loadRunsMs: load.runsMs,
      loadMedianMs: load.medianMs,
      loadSdkMedianMs: load.externalMedianMs,
      externals: load.externals,
      loadError: load.error,
    };
  });

  log('health/DR check hook');
  const checks = runCheckHook();

  const pipelineStacks = assemblyStacks(appOut).filter((s) =>
    Object.values(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::CodePipeline::Pipeline'));
  if (pipelineStacks.length === 0) throw new Error('The synthesized assembly has no stack with an AWS::CodePipeline::Pipeline.');
  const shape: PipelineShape = pipelineShape(pipelineStacks[0].template, undefined, stageWaits(JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context));

  // Goals.
  const goals: GoalRow[] = [
    { measure: `Synth ratio (app / empty app)`, figure: `${synth.ratio.toFixed(2)}x`, goal: `<= ${GOALS.synthRatio}x`, met: synth.ratio <= GOALS.synthRatio },
    'ms' in npmTest
      ? { measure: 'npm test wall time', figure: seconds(npmTest.ms), goal: `< ${GOALS.npmTestSeconds} s`, met: npmTest.ms < GOALS.npmTestSeconds * 1000 }
      : { measure: 'npm test wall time', figure: 'skipped', goal: `< ${GOALS.npmTestSeconds} s` },
    ...lambdas.filter((l) => !l.cdkProvided).flatMap((l): GoalRow[] => [
      { measure: `Bundle ${l.label}`, figure: `${(l.bundleBytes / 1024).toFixed(1)} KB`, goal: `<= ${GOALS.bundleKb} KB`, met: l.bundleBytes <= GOALS.bundleKb * 1024 },
      { measure: `Load ${l.label}`, figure: l.loadMedianMs === undefined ? 'error' : `${l.loadMedianMs.toFixed(1)} ms`, goal: `< ${GOALS.loadMs} ms`, met: l.loadMedianMs === undefined ? false : l.loadMedianMs < GOALS.loadMs },
    ]),
    { measure: 'Push to Dev validated (model)', figure: shape.pushToDevMinutes === undefined ? 'n/a' : `${shape.pushToDevMinutes} min`, goal: `<= ${GOALS.pushToDevMinutes} min`, met: shape.pushToDevMinutes === undefined ? undefined : shape.pushToDevMinutes <= GOALS.pushToDevMinutes },
    { measure: 'Push to Prod validated (model)', figure: shape.pushToProdMinutes === undefined ? 'n/a' : `${shape.pushToProdMinutes} min`, goal: `<= ${GOALS.pushToProdMinutes} min`, met: shape.pushToProdMinutes === undefined ? undefined : shape.pushToProdMinutes <= GOALS.pushToProdMinutes },
    { measure: 'of which canary traffic shift (model)', figure: shape.trafficShiftToProdMinutes === undefined ? 'n/a' : `${shape.trafficShiftToProdMinutes} min`, goal: 'included above' },
    { measure: 'Bake time up to Prod (config)', figure: shape.bakeToProdMinutes === undefined ? 'n/a' : `${shape.bakeToProdMinutes} min`, goal: 'not included above' },
    { measure: 'CodeBuild projects', figure: String(shape.codeBuildProjects), goal: `<= ${GOALS.codeBuildProjects}`, met: shape.codeBuildProjects <= GOALS.codeBuildProjects },
  ];

  // Output.
  const out: string[] = [];
  out.push(`Benchmark ${started.toISOString()}  node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  out.push('');
  out.push(formatTable(['Measure', 'Figure', 'Detail'], [
    [`Synth, whole app (median of ${options.runs}, warm)`, seconds(synth.appMedianMs), synth.appMs.map((ms) => (ms / 1000).toFixed(1)).join(' ')],
    [`Synth, empty app (floor, same toolchain)`, seconds(synth.emptyMedianMs), synth.emptyMs.map((ms) => (ms / 1000).toFixed(1)).join(' ')],
    ['Synth ratio', `${synth.ratio.toFixed(2)}x`, ''],
    ['npm test', 'ms' in npmTest ? seconds(npmTest.ms) : 'skipped', 'ms' in npmTest ? `exit ${npmTest.exitCode}` : '--skip-tests'],
    ...(checks.status === 'measured'
      ? Object.entries(checks.ms).map(([name, ms]) => [`Check run time vs moto: ${name}`, `${Math.round(ms)} ms`, 'bench/hooks/check-runtime.ts'])
      : [['Health/DR check run time vs moto', checks.status, checks.reason]]),
  ]));
  out.push('');
  out.push(`Lambda code assets (load = median of ${options.loadRuns} fresh node processes timing the load in-process, the external AWS SDK v3 included and shown apart)`);
  out.push(formatTable(['Function', 'Bundle', 'Load', 'of which SDK', 'Functions', 'Provided by'], lambdas.map((l) => [
    l.label,
    `${(l.bundleBytes / 1024).toFixed(1)} KB`,
    l.loadMedianMs === undefined ? `error: ${l.loadError}` : `${l.loadMedianMs.toFixed(1)} ms`,
    l.loadSdkMedianMs === undefined ? '' : `${l.loadSdkMedianMs.toFixed(1)} ms (${l.externals.length} modules)`,
    String(l.functions.length),
    l.cdkProvided ? 'CDK (no goal)' : 'this project',
  ])));
  out.push('');
  const w = shape.weights;
  out.push(
    `Pipeline: ${shape.stages} stages, ${shape.actions} actions (${shape.codeBuildActions} CodeBuild, ${shape.deployActions} CloudFormation, ` +
    `${shape.lambdaActions} Lambda, ${shape.approvals} approval), ${shape.codeBuildProjects} CodeBuild projects; ` +
    `stage conditions on: ${shape.stagesWithConditions.join(', ') || 'none'}`,
  );
  out.push(
    `Model weights (minutes): source ${w.source.toFixed(1)}, CodeBuild ${w.codebuild.toFixed(1)}, CloudFormation deploy ${w.deploy.toFixed(1)}, ` +
    `change-set create ${w['change-set-create'].toFixed(1)}, change-set execute ${w['change-set-execute'].toFixed(1)}, Lambda invoke ${w.lambda.toFixed(1)}, ` +
    `approval ${w.approval.toFixed(1)}, other ${w.other.toFixed(1)}. ` +
    'Same run order = parallel (slowest counts); a stage\'s canary traffic shift is part of its deploy; approval wait and bake time excluded.',
  );
  out.push(formatTable(['Stage', 'Run orders', 'Minutes', 'of which canary', 'Bake (apart)', 'From push'], shape.criticalPath.map((s) => [
    s.stage, String(s.runOrders), s.minutes.toFixed(1), s.trafficShiftMinutes.toFixed(1), s.bakeMinutes.toFixed(1), s.cumulativeMinutes.toFixed(1),
  ])));
  out.push('');
  out.push('Goals (reported, never enforced)');
  out.push(formatTable(['Measure', 'Figure', 'Goal', 'Status'], goals.map((g) => [g.measure, g.figure, g.goal, status(g.met)])));
  console.log(out.join('\n'));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const result = {
    timestamp: started.toISOString(),
    machine: { node: process.version, cpus: cpus().length, loadavg: loadavg() },
    options, synth, npmTest, lambdas, checks, pipeline: shape, goals,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
}

try {
  main();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
}
