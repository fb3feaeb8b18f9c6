#!/usr/bin/env node
/**
 * `npm run bench`: how fast the app synthesizes, tests and runs, and how long a push takes to reach
 * each stage on a simple model. Prints a table and writes the figures to bench/results/<timestamp>.json.
 * Goals are reported beside the figures as met or missed; a missed goal never fails the run.
 *
 * Usage: tsx bench/run.ts [--skip-build] [--synth-only] [--runs <n>] [--load-runs <n>]
 *
 * Synth: the whole app (`npx cdk synth`, its cdk.json) and the floor, a one-stack plain JavaScript
 * app with default CDK settings (`npx cdk synth --app "node empty-app.js"` in a directory with no
 * cdk.json), interleaved. Then the whole app with 3, 6 and 12 stages (stages s4.. added by context).
 * Build action: the commands of buildspec/synth.yml timed as the buildspec runs them (npm ci in a
 * scratch copy), scaled to the Build action's CodeBuild compute type, and used in the pipeline model.
 * Then `npm test` on its own (the tests synthesize the gated assembly themselves), the npm test goal.
 * `--skip-build` (alias `--skip-tests`) skips both; the model then uses its CodeBuild weight.
 * `--synth-only` measures the synth ratio alone (app against empty app, and the app with Node.js's compile
 * cache off) and prints it, without the rest of the run and without writing a results file.
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
import type { BuildEstimate, TimedBuildCommand } from './build-action';
import {
  BUILD_OVERHEAD_MINUTES,
  buildspecCommands,
  COMPUTE_TYPES,
  estimateBuild,
  timeBuildCommands,
} from './build-action';
import { formatTable } from './format-table';
import { median, moduleLoadTimes, timeCommand } from './measure';
import type { PipelineShape } from './pipeline-shape';
import { pipelineShape } from './pipeline-shape';
import { secondsPerStage, stageContextArgs } from './stage-scaling';
import { stageWaits } from './stage-waits';
import { changeReviewTime } from './change-review-time';
import { readMutationRun, readMutationSummary, type MutationRun, type MutationSummary } from './mutation-score';

const ROOT = path.join(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const CHECK_HOOK = path.join(__dirname, 'hooks', 'check-runtime.ts');
const BUILDSPEC = path.join(ROOT, 'buildspec', 'synth.yml');
/** The compute type of the Build action (lib/pipeline/synth-step.ts), for the estimate. */
const BUILD_COMPUTE = COMPUTE_TYPES.MEDIUM;
/** Stage counts the synth is measured at. */
const STAGE_COUNTS = [3, 6, 12];

/** Performance goals the benchmark checks (synth, tests, bundles, cold-start load, pipeline time), measured on this machine. */
const GOALS = {
  synthRatio: 1.4,
  npmTestSeconds: 60,
  buildActionMinutes: 2.5,
  bundleKb: 50,
  loadMs: 50,
  pushToDevMinutes: 11,
  pushToProdMinutes: 22,
  codeBuildProjects: 4,
  /** Stryker's score over each of MUTATION_FOLDERS. */
  mutationScore: 80,
  /** A full `npm run mutate` (no result reused from the incremental file), from Stryker's log. */
  mutationMinutes: 60,
};

/** The folders `npm run mutate` mutates (stryker.config.json), each scored on its own. */
const MUTATION_FOLDERS = ['lambda/pipeline', 'lib/config'];

interface Options {
  readonly skipBuild: boolean;
  readonly synthOnly: boolean;
  readonly runs: number;
  readonly loadRuns: number;
}

function parseArgs(argv: readonly string[]): Options {
  const number = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${flag} expects a positive whole number, got ${JSON.stringify(argv[i + 1])}.`);
    return value;
  };
  const known = new Set(['--skip-build', '--skip-tests', '--synth-only', '--runs', '--load-runs']);
  const unknown = argv.filter(
    (a, i) => a.startsWith('--') && !known.has(a) && !(i > 0 && ['--runs', '--load-runs'].includes(argv[i - 1])),
  );
  if (unknown.length)
    throw new Error(
      `Unknown option ${unknown.join(', ')}. Usage: tsx bench/run.ts [--skip-build] [--synth-only] [--runs <n>] [--load-runs <n>]`,
    );
  return {
    skipBuild: argv.includes('--skip-build') || argv.includes('--skip-tests'),
    synthOnly: argv.includes('--synth-only'),
    runs: number('--runs', 5),
    loadRuns: number('--load-runs', 7),
  };
}

/**
 * The synth floor: bench/empty-app.js (plain JavaScript, one stack) in a directory of its own with
 * no cdk.json, so it runs with default CDK settings, started by node directly.
 */
function createEmptyApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-empty-app-'));
  writeFileSync(path.join(dir, 'empty-app.js'), readFileSync(path.join(__dirname, 'empty-app.js')));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function synthOnce(
  cwd: string,
  outdir: string,
  extraArgs: readonly string[] = [],
  extraEnv: Record<string, string> = {},
): number {
  // Telemetry off for both apps (the whole app's cdk.json has cli-telemetry false): no network waits in either figure.
  const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', ...extraEnv };
  const run = timeCommand('npx', ['cdk', 'synth', '--quiet', '--output', outdir, ...extraArgs], {
    cwd,
    env,
    timeoutMs: 10 * 60_000,
  });
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

function runCheckHook():
  { status: 'measured'; ms: Record<string, number> } | { status: 'n/a' | 'error'; reason: string } {
  if (!existsSync(CHECK_HOOK)) {
    const present = ['scripts/check.ts', 'lambda/pipeline/stage-health', 'lambda/pipeline/dr-check'].filter((p) =>
      existsSync(path.join(ROOT, p)),
    );
    const found = present.length ? `check code found (${present.join(', ')}) but ` : '';
    return { status: 'n/a', reason: `${found}no bench hook ${path.relative(ROOT, CHECK_HOOK)}` };
  }
  const run = timeCommand(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [CHECK_HOOK], {
    cwd: ROOT,
    timeoutMs: 5 * 60_000,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as Record<string, unknown>;
    const ms = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'number')) as Record<
      string,
      number
    >;
    if (run.status === 0 && Object.keys(ms).length) return { status: 'measured', ms };
  } catch {
    /* reported below */
  }
  return {
    status: 'error',
    reason: `hook exited ${run.status} without a JSON line of milliseconds: ${run.tail.split('\n').slice(-3).join(' | ')}`,
  };
}

/** Temporary directories to remove when the run ends, however it ends. */
const temporary: string[] = [];
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The run-time row of the latest `npm run mutate`, from Stryker's log: only a full run meets the goal. */
function mutationRunGoal(run: MutationRun | undefined): GoalRow {
  const measure = 'npm run mutate (stryker.log, latest run)';
  const goal = `full run <= ${GOALS.mutationMinutes} min`;
  if (!run) return { measure, figure: 'no finished run in stryker.log', goal };
  const minutes = run.seconds / 60;
  return {
    measure,
    figure: `${minutes.toFixed(1)} min${run.reused ? ` (incremental: ${run.reused} results reused)` : ' (full run)'}`,
    goal,
    met: run.reused === 0 && minutes <= GOALS.mutationMinutes,
  };
}

/** Goal rows from the latest `npm run mutate` report (read, not rerun). */
function mutationGoals(mutation: MutationSummary | undefined, run: MutationRun | undefined): GoalRow[] {
  if (!mutation)
    return MUTATION_FOLDERS.map((folder) => ({
      measure: `Mutation score ${folder}`,
      figure: 'no report (npm run mutate)',
      goal: `>= ${GOALS.mutationScore}%`,
    })).concat(mutationRunGoal(run));
  return [
    ...mutation.folders.map((f) => ({
      measure: `Mutation score ${f.folder} (${mutation.reportFile}, ${mutation.writtenAt})`,
      figure:
        f.score === undefined
          ? 'no mutants'
          : `${f.score.toFixed(1)}% (${f.killed}/${f.mutants}; ${f.survived} survived, ${f.noCoverage} no test)`,
      goal: `>= ${GOALS.mutationScore}%`,
      met: f.score === undefined ? undefined : f.score >= GOALS.mutationScore,
    })),
    mutationRunGoal(run),
  ];
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const mutation = readMutationSummary(MUTATION_FOLDERS);
  const mutationRun = readMutationRun();
  const started = new Date();
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

  // Synth: warm-up, then interleaved runs of the app and of the empty app so load drift hits both alike.
  const emptyApp = createEmptyApp();
  const appOut = mkdtempSync(path.join(tmpdir(), 'bench-app-out-'));
  const emptyOut = mkdtempSync(path.join(tmpdir(), 'bench-empty-out-'));
  temporary.push(emptyApp, appOut, emptyOut);
  const appMs: number[] = [];
  const emptyMs: number[] = [];
  const emptyArgs = ['--app', 'node empty-app.js'];
  log('synth warm-up');
  synthOnce(ROOT, appOut);
  synthOnce(emptyApp, emptyOut, emptyArgs);
  for (let i = 1; i <= options.runs; i++) {
    log(`synth run ${i}/${options.runs}`);
    appMs.push(synthOnce(ROOT, appOut));
    emptyMs.push(synthOnce(emptyApp, emptyOut, emptyArgs));
  }
  // The share of Node.js's compile cache (bin/compile-cache.ts; Node.js 22.1 and later): one warm run without it.
  log('synth, compile cache off');
  const noCompileCacheMs = synthOnce(ROOT, appOut, [], { NODE_DISABLE_COMPILE_CACHE: '1' });
  const synth = {
    appMs,
    emptyMs,
    noCompileCacheMs,
    appMedianMs: median(appMs),
    emptyMedianMs: median(emptyMs),
    ratio: median(appMs) / median(emptyMs),
  };
  if (options.synthOnly) {
    console.log(
      `Synth, median of ${options.runs}: app ${seconds(synth.appMedianMs)}, empty app ${seconds(synth.emptyMedianMs)}, ` +
        `ratio ${synth.ratio.toFixed(2)}x (goal <= ${GOALS.synthRatio}x); app with the compile cache off ${seconds(noCompileCacheMs)} ` +
        `(Node.js ${process.version}, load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
    );
    return;
  }

  // Stage scaling: one warm synth per stage count; the pipeline shape of each shows the limits' headroom.
  const scaling = STAGE_COUNTS.map((stages) => {
    log(`synth with ${stages} stages`);
    const out = mkdtempSync(path.join(tmpdir(), `bench-stages-${stages}-`));
    temporary.push(out);
    const ms = synthOnce(ROOT, out, stageContextArgs(stages));
    const pipelineStack = assemblyStacks(out).find((st) =>
      Object.values(st.template.Resources ?? {}).some((r) => r.Type === 'AWS::CodePipeline::Pipeline'),
    );
    const shape = pipelineStack ? pipelineShape(pipelineStack.template) : undefined;
    return { stages, ms, pipelineStages: shape?.stages, pipelineActions: shape?.actions };
  });
  const perStageSeconds = secondsPerStage(scaling);

  // Build action: the buildspec's build commands, as it runs them.
  let build: { skipped: true } | { commands: TimedBuildCommand[]; estimate: BuildEstimate; loadavg: number[] } = {
    skipped: true,
  };
  if (!options.skipBuild) {
    const { commands, env } = buildspecCommands(BUILDSPEC);
    const timed = timeBuildCommands(ROOT, commands, env, log);
    build = { commands: timed, estimate: estimateBuild(timed, cpus().length, BUILD_COMPUTE), loadavg: loadavg() };
  }
  // npm test on its own, as a developer or CI runs it: without the Build action's BUILD_ASSEMBLY, its
  // gates run the Build action's synth themselves (test/compliance/gates.test.ts).
  let npmTest: { skipped: true } | { ms: number; exitCode: number | null } = { skipped: true };
  if (!options.skipBuild) {
    log('npm test (on its own, as a developer or CI runs it)');
    const env = { ...process.env };
    delete env.BUILD_ASSEMBLY;
    const run = timeCommand('npm', ['test'], { cwd: ROOT, env, timeoutMs: 30 * 60_000 });
    npmTest = { ms: run.ms, exitCode: run.status };
  }
  const buildFailed = 'commands' in build ? build.commands.filter((c) => c.exitCode !== 0) : [];

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
    Object.values(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::CodePipeline::Pipeline'),
  );
  if (pipelineStacks.length === 0)
    throw new Error('The synthesized assembly has no stack with an AWS::CodePipeline::Pipeline.');
  const shape: PipelineShape = pipelineShape(
    pipelineStacks[0].template,
    undefined,
    stageWaits(JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context),
    'estimate' in build ? { 'Build/Synth': build.estimate.minutes } : {},
  );

  // The change review before each manual approval, modeled from the resource counts of the reviewed stage's stacks.
  const approved = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
  const reviewed = ((approved['pipeline.stages'] as string[] | undefined) ?? ['dev', 'staging', 'prod']).filter(
    (name) => approved[`${name}.delivery.manualApproval`] === true,
  );
  const reviewRows: GoalRow[] = reviewed.map((name) => {
    const display = name.charAt(0).toUpperCase() + name.slice(1);
    const counts = assemblyStacks(appOut)
      .filter((s) => s.displayName.startsWith(`PipelineStack/${display}/`))
      .map((s) => Object.keys(s.template.Resources ?? {}).length);
    const review = changeReviewTime(counts);
    return {
      measure: `of which change review of ${display} before its approval (model)`,
      figure: `${review.totalMinutes} min (${review.provisioningSeconds} s CodeBuild start, ${review.driftSeconds} s drift)`,
      goal: 'included above',
    };
  });

  // The push-to-Prod goal predates the Bake actions: it is compared with the path without them.
  const withoutBakes =
    shape.pushToProdMinutes === undefined
      ? undefined
      : Math.round((shape.pushToProdMinutes - (shape.bakeToProdMinutes ?? 0)) * 100) / 100;

  // Goals.
  const goals: GoalRow[] = [
    {
      measure: `Synth ratio (app / empty app)`,
      figure: `${synth.ratio.toFixed(2)}x`,
      goal: `<= ${GOALS.synthRatio}x`,
      met: synth.ratio <= GOALS.synthRatio,
    },
    'estimate' in build
      ? {
          measure: `Build action on ${build.estimate.computeType.name} (estimate)`,
          figure: `${build.estimate.minutes.toFixed(1)} min`,
          goal: `<= ${GOALS.buildActionMinutes} min`,
          met: build.estimate.minutes <= GOALS.buildActionMinutes && buildFailed.length === 0,
        }
      : { measure: 'Build action (estimate)', figure: 'skipped', goal: `<= ${GOALS.buildActionMinutes} min` },
    { measure: 'Synth increment per stage', figure: `${perStageSeconds.toFixed(2)} s`, goal: 'reported' },
    ...mutationGoals(mutation, mutationRun),
    'ms' in npmTest
      ? {
          measure: 'npm test wall time',
          figure: seconds(npmTest.ms),
          goal: `< ${GOALS.npmTestSeconds} s`,
          met: npmTest.exitCode === 0 && npmTest.ms < GOALS.npmTestSeconds * 1000,
        }
      : { measure: 'npm test wall time', figure: 'skipped', goal: `< ${GOALS.npmTestSeconds} s` },
    ...lambdas
      .filter((l) => !l.cdkProvided)
      .flatMap((l): GoalRow[] => [
        {
          measure: `Bundle ${l.label}`,
          figure: `${(l.bundleBytes / 1024).toFixed(1)} KB`,
          goal: `<= ${GOALS.bundleKb} KB`,
          met: l.bundleBytes <= GOALS.bundleKb * 1024,
        },
        {
          measure: `Load ${l.label}`,
          figure: l.loadMedianMs === undefined ? 'error' : `${l.loadMedianMs.toFixed(1)} ms`,
          goal: `< ${GOALS.loadMs} ms`,
          met: l.loadMedianMs === undefined ? false : l.loadMedianMs < GOALS.loadMs,
        },
      ]),
    {
      measure: 'Push to Dev validated (model)',
      figure: shape.pushToDevMinutes === undefined ? 'n/a' : `${shape.pushToDevMinutes} min`,
      goal: `<= ${GOALS.pushToDevMinutes} min`,
      met: shape.pushToDevMinutes === undefined ? undefined : shape.pushToDevMinutes <= GOALS.pushToDevMinutes,
    },
    {
      measure: 'Push to Prod validated (model, bakes included)',
      figure: shape.pushToProdMinutes === undefined ? 'n/a' : `${shape.pushToProdMinutes} min`,
      goal: 'reported',
    },
    {
      measure: 'of which canary traffic shift (model)',
      figure: shape.trafficShiftToProdMinutes === undefined ? 'n/a' : `${shape.trafficShiftToProdMinutes} min`,
      goal: 'included above',
    },
    {
      measure: 'of which Bake actions (config)',
      figure: shape.bakeToProdMinutes === undefined ? 'n/a' : `${shape.bakeToProdMinutes} min`,
      goal: 'included above',
    },
    {
      measure: 'Push to Prod validated, without the bakes (model)',
      figure: withoutBakes === undefined ? 'n/a' : `${withoutBakes} min`,
      goal: `<= ${GOALS.pushToProdMinutes} min`,
      met: withoutBakes === undefined ? undefined : withoutBakes <= GOALS.pushToProdMinutes,
    },
    ...reviewRows,
    {
      measure: 'CodeBuild projects',
      figure: String(shape.codeBuildProjects),
      goal: `<= ${GOALS.codeBuildProjects}`,
      met: shape.codeBuildProjects <= GOALS.codeBuildProjects,
    },
  ];

  // Output.
  const out: string[] = [];
  out.push(
    `Benchmark ${started.toISOString()}  node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  out.push('');
  out.push(
    formatTable(
      ['Measure', 'Figure', 'Detail'],
      [
        [
          `Synth, whole app (median of ${options.runs}, warm)`,
          seconds(synth.appMedianMs),
          synth.appMs.map((ms) => (ms / 1000).toFixed(1)).join(' '),
        ],
        [
          `Synth, empty app (floor: node empty-app.js, default CDK settings)`,
          seconds(synth.emptyMedianMs),
          synth.emptyMs.map((ms) => (ms / 1000).toFixed(1)).join(' '),
        ],
        ['Synth ratio', `${synth.ratio.toFixed(2)}x`, ''],
        [
          'Synth, whole app, compile cache off (NODE_DISABLE_COMPILE_CACHE=1, 1 run)',
          seconds(synth.noCompileCacheMs),
          `${(synth.noCompileCacheMs / synth.emptyMedianMs).toFixed(2)}x the empty app`,
        ],
        ...scaling.map((sc) => [
          `Synth, ${sc.stages} stages (1 run, warm)`,
          seconds(sc.ms),
          `pipeline: ${sc.pipelineStages ?? '?'} stages, ${sc.pipelineActions ?? '?'} actions`,
        ]),
        [
          'Synth increment per stage (least squares)',
          `${perStageSeconds.toFixed(2)} s`,
          STAGE_COUNTS.join(', ') + ' stages',
        ],
        [
          'npm test (on its own, as a developer or CI runs it)',
          'ms' in npmTest ? seconds(npmTest.ms) : 'skipped',
          'ms' in npmTest ? `exit ${npmTest.exitCode}` : '--skip-build',
        ],
        ...(checks.status === 'measured'
          ? Object.entries(checks.ms).map(([name, ms]) => [
              `Check run time vs moto: ${name}`,
              `${Math.round(ms)} ms`,
              'bench/hooks/check-runtime.ts',
            ])
          : [['Health/DR check run time vs moto', checks.status, checks.reason]]),
      ],
    ),
  );
  out.push('');
  out.push(
    `Lambda code assets (load = median of ${options.loadRuns} fresh node processes timing the load in-process, the external AWS SDK v3 included and shown apart)`,
  );
  out.push(
    formatTable(
      ['Function', 'Bundle', 'Load', 'of which SDK', 'Functions', 'Provided by'],
      lambdas.map((l) => [
        l.label,
        `${(l.bundleBytes / 1024).toFixed(1)} KB`,
        l.loadMedianMs === undefined ? `error: ${l.loadError}` : `${l.loadMedianMs.toFixed(1)} ms`,
        l.loadSdkMedianMs === undefined ? '' : `${l.loadSdkMedianMs.toFixed(1)} ms (${l.externals.length} modules)`,
        String(l.functions.length),
        l.cdkProvided ? 'CDK (no goal)' : 'this project',
      ]),
    ),
  );
  out.push('');
  if ('commands' in build) {
    const e = build.estimate;
    out.push(
      `Build action: buildspec/synth.yml build commands timed here (${cpus().length} CPUs, load after ${build.loadavg.map((l) => l.toFixed(2)).join(' ')}), ` +
        `scaled to ${e.computeType.name} (${e.computeType.vcpus} vCPU, ${e.computeType.memoryGb} GB): jest by ${cpus().length}/${e.computeType.vcpus}, the rest as measured; ` +
        `plus assumed provisioning ${BUILD_OVERHEAD_MINUTES.provisioning} min and install phase ${BUILD_OVERHEAD_MINUTES.install} min`,
    );
    out.push(
      formatTable(
        ['Command', 'Here', 'Scaling', 'Exit', 'Ran in'],
        build.commands.map((c) => [c.command, seconds(c.ms), c.scaling, String(c.exitCode), c.where]),
      ),
    );
    out.push(
      `Build action: ${e.measuredMinutes.toFixed(2)} min of commands here, ${e.commandMinutes.toFixed(2)} min on ${e.computeType.name}, ${e.minutes.toFixed(2)} min with overhead; ` +
        `about $${e.usdPerRun.toFixed(3)} a run (${Object.values(COMPUTE_TYPES)
          .map((t) => {
            const x = estimateBuild(build.commands, cpus().length, t);
            return `${t.name.replace('BUILD_GENERAL1_', '')} ${x.minutes.toFixed(1)} min $${x.usdPerRun.toFixed(3)}`;
          })
          .join(', ')})`,
    );
    for (const f of buildFailed) out.push(`  FAILED (exit ${f.exitCode}): ${f.command}\n${f.tail ?? ''}`);
    out.push('');
  }
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
      "Same run order = parallel (slowest counts); a stage's canary traffic shift is part of its deploy, its Bake action lasts its bake time; approval wait excluded." +
      (Object.keys(shape.measured).length
        ? ` Measured instead of weighted: ${Object.entries(shape.measured)
            .map(([a, m]) => `${a} ${m.toFixed(2)} min`)
            .join(', ')}.`
        : ' Build action: CodeBuild weight (not measured).'),
  );
  out.push(
    formatTable(
      ['Stage', 'Run orders', 'Minutes', 'of which canary', 'of which bake', 'From push'],
      shape.criticalPath.map((s) => [
        s.stage,
        String(s.runOrders),
        s.minutes.toFixed(1),
        s.trafficShiftMinutes.toFixed(1),
        s.bakeMinutes.toFixed(1),
        s.cumulativeMinutes.toFixed(1),
      ]),
    ),
  );
  out.push('');
  out.push('Goals (reported, never enforced)');
  out.push(
    formatTable(
      ['Measure', 'Figure', 'Goal', 'Status'],
      goals.map((g) => [g.measure, g.figure, g.goal, status(g.met)]),
    ),
  );
  console.log(out.join('\n'));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const result = {
    timestamp: started.toISOString(),
    machine: { node: process.version, cpus: cpus().length, loadavg: loadavg() },
    options,
    synth,
    scaling,
    perStageSeconds,
    build,
    npmTest,
    lambdas,
    checks,
    pipeline: shape,
    mutation,
    mutationRun,
    goals,
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
