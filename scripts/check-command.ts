import { App } from 'aws-cdk-lib';
import { STSClient } from '@aws-sdk/client-sts';
import {
  clientConfig,
  EXIT,
  noCredentialsMessage,
  parseOptions,
  readCdkContext,
  resolveCredentials,
  wantsHelp,
  type AwsTarget,
} from './operator-cli';
import type { StageConfig } from '../lib/config';
import { loadConfig } from '../lib/config';
import { PostDeployChecks } from '../lib/pipeline/checks/post-deploy-checks';
import { PlatformStage } from '../stages/platform-stage';
import {
  createCheckClients,
  runDrReadinessCheck,
  runStageHealthCheck,
  fetchGet,
  assumeCheckRole,
  describeError,
  parseCheckParameters,
} from '../lambda/pipeline/check-runner';
import type { CheckClientOptions, CheckClients, HttpGet, CheckReport } from '../lambda/pipeline/check-runner';
import { createLogger } from '../lambda/shared/logger';
import type { CheckParameters } from '../contracts/check-parameters';
import type { CheckContext } from '../lambda/pipeline/check-runner';
import {
  DEFAULT_POLL_INTERVAL_MS,
  fetchRequest,
  formatJourney,
  journeyFinished,
  journeyPassed,
  newJourneyState,
  newRunId,
  runJourneySlice,
} from '../lambda/pipeline/journey-runner';
import type { HttpRequest, JourneyContext } from '../lambda/pipeline/journey-runner';

export const USAGE = `Usage: npm run check -- <health|dr|journey> --stage <dev|staging|prod> [--region <region>] [--profile <name>] [--endpoint-url <url>] [--role-arn <arn>] [--verbose]
  Runs the pipeline's post-deploy check against a stage with your own AWS credentials and prints a table.
  journey runs the acceptance journey (only where <stage>.journey.enabled; read-only where the stage says so).
  Exits 0 when every item passes, 1 when an item fails, 2 when it could not check (no credentials, no endpoint,
  access denied, throttling), 64 when the command line or cdk.json is wrong.
  --region        primary region of the stage (default: from cdk.json)
  --profile       named AWS profile (default: AWS_PROFILE or the SDK's default credentials)
  --endpoint-url  send every AWS call to this endpoint (for example moto_server; set the fake credentials
                  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing, and seed it: npm run seed-moto)
  --role-arn      assume this role first (default: use your credentials as they are)
  --verbose       write the structured JSON log lines to stderr`;

/** Parsed command line. */
export interface CheckCommand {
  readonly check: 'health' | 'dr' | 'journey';
  readonly stage: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly roleArn?: string;
  readonly profile?: string;
  readonly verbose: boolean;
}

/** Parses the command line; @throws Error with what is wrong and the usage. */
export function parseArgs(argv: readonly string[]): CheckCommand {
  const [check, ...rest] = argv;
  if (check !== 'health' && check !== 'dr' && check !== 'journey')
    throw new Error(`first argument must be health, dr or journey, got ${JSON.stringify(check)}`);
  const options = parseOptions(rest, {
    values: ['stage', 'region', 'endpoint-url', 'role-arn', 'profile'],
    flags: ['verbose'],
  });
  if (options.positional.length > 0) throw new Error(`unexpected argument ${options.positional[0]}`);
  const flags = options.values;
  if (flags.stage === undefined) throw new Error('--stage is required');
  return {
    check,
    stage: flags.stage,
    verbose: options.flags.has('verbose'),
    region: flags.region,
    endpointUrl: flags['endpoint-url'],
    roleArn: flags['role-arn'],
    ...(flags.profile ? { profile: flags.profile } : {}),
  };
}

/** The check parameters of a stage, from the same config and Stage class the pipeline uses. */
export function parametersFromConfig(context: Record<string, unknown>, command: CheckCommand): CheckParameters {
  const config = loadConfig(context);
  const stageConfig: StageConfig | undefined = config.stages.find((s) => s.name === command.stage);
  if (!stageConfig)
    throw new Error(`--stage ${command.stage} is not one of ${config.stages.map((s) => s.name).join(', ')}`);
  if (command.check === 'dr' && !stageConfig.backup)
    throw new Error(
      `stage ${command.stage} has no backup (${command.stage}.backup.enabled = false); it has no DR check`,
    );
  // Skip asset bundling: only stack names and regions are needed.
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stage = new PlatformStage(app, stageConfig.displayName, {
    config: stageConfig,
    pipelineAccount: config.pipeline.account,
  });
  if (command.check === 'journey') {
    const journey = PostDeployChecks.journeyParametersFor(stage);
    if (!journey)
      throw new Error(
        `stage ${command.stage} does not turn the acceptance journey on (${command.stage}.journey.enabled = false); the journey refuses to run against it`,
      );
    return parseCheckParameters(
      { ...journey, roleArn: command.roleArn, region: command.region ?? journey.region },
      { requireRole: false, requireDr: false, requireJourney: true },
    );
  }
  const params = PostDeployChecks.parametersFor(stage);
  const dr = PostDeployChecks.drPolicyFor(stage);
  return parseCheckParameters(
    {
      ...params,
      roleArn: command.roleArn,
      region: command.region ?? params.region,
      ...(command.check === 'dr' ? { dr } : {}),
    },
    { requireRole: false, requireDr: command.check === 'dr' },
  );
}

/** Renders a report as a fixed-width table. */
export function formatReport(report: CheckReport): string {
  const rows = report.outcomes.map((o) => [o.status.toUpperCase(), o.name, o.detail]);
  const width = (i: number) => Math.max(...[['STATUS', 'ITEM', 'DETAIL'], ...rows].map((r) => r[i].length));
  const line = (r: string[]) => `${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2]}`;
  const verdict = report.passed ? 'PASSED' : 'FAILED';
  return [
    line(['STATUS', 'ITEM', 'DETAIL']),
    ...rows.map(line),
    '',
    `${report.stage} ${report.check} check ${verdict} in ${report.durationMs} ms`,
  ].join('\n');
}

/** Seams for tests. */
export interface CheckCommandDeps {
  readonly context?: Record<string, unknown>;
  readonly createClients?: (options: CheckClientOptions) => CheckClients;
  readonly sts?: STSClient;
  readonly httpGet?: HttpGet;
  /** Resolves the credentials of a target; @default the AWS SDK default provider chain */
  readonly checkCredentials?: (target: AwsTarget) => Promise<void>;
  /** The journey's requests to the public API. @default fetch */
  readonly http?: HttpRequest;
  /** The journey's pause between polls. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The journey's pause between two polls of the workflow. @default 5 s */
  readonly pollIntervalMs?: number;
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/** A failing item that reports a refused or unanswered call rather than something found wrong. */
const COULD_NOT_CHECK_ITEM = /access denied|could not (run|finish|read)|throttl|not attempted/i;

/** Invocation length the CLI gives each slice of the journey, as the pipeline's function would have. */
const CLI_SLICE_MS = 4 * 60_000;

/**
 * Runs the whole journey in this process with the code the pipeline runs: slice after slice (the state
 * stays in memory here instead of a continuation token) until every step, clean-up included, has run.
 */
async function runJourneyCommand(
  check: CheckContext,
  deps: CheckCommandDeps,
  out: (text: string) => void,
): Promise<number> {
  const ctx: JourneyContext = {
    ...check,
    journey: check.params.journey!,
    http: deps.http ?? fetchRequest,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    clock: Date.now,
    pollIntervalMs: deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  };
  const state = newJourneyState(newRunId(Date.now()), ctx.journey.readOnly, Date.now());
  while (!journeyFinished(state)) {
    const before = JSON.stringify(state);
    await runJourneySlice(ctx, state, Date.now() + CLI_SLICE_MS);
    if (!journeyFinished(state) && JSON.stringify(state) === before)
      throw new Error(`the journey made no progress in a ${CLI_SLICE_MS / 60_000}-minute slice`);
  }
  out(formatJourney(check.params.stage, state));
  return journeyPassed(state) ? EXIT.passed : EXIT.failed;
}

/** Runs the operator command; returns the exit code (see {@link EXIT}). */
export async function runCheckCommand(argv: readonly string[], deps: CheckCommandDeps = {}): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = deps.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  if (wantsHelp(argv)) {
    out(USAGE);
    return EXIT.passed;
  }
  let command: CheckCommand;
  let params: CheckParameters;
  try {
    command = parseArgs(argv);
    params = parametersFromConfig(deps.context ?? readCdkContext(), command);
  } catch (error) {
    err(`check: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const target: AwsTarget = { region: params.region, endpoint: command.endpointUrl, profile: command.profile };
  // The check clients read the profile from the environment, as the AWS CLI does.
  if (command.profile) process.env.AWS_PROFILE = command.profile;
  try {
    await (deps.checkCredentials ?? resolveCredentials)(target);
  } catch (error) {
    err(noCredentialsMessage('check', (error as Error).message));
    return EXIT.couldNotCheck;
  }
  const log = createLogger(
    { stage: params.stage, check: command.check, source: 'cli' },
    command.verbose ? err : () => undefined,
  );
  try {
    const credentials = params.roleArn
      ? await assumeCheckRole(
          deps.sts ?? new STSClient(clientConfig(target)),
          params.roleArn,
          `operator-${command.check}-check`,
        )
      : undefined;
    const clients = (deps.createClients ?? createCheckClients)({
      region: params.region,
      drRegion: params.dr?.drRegion,
      credentials,
      endpoint: command.endpointUrl,
    });
    const ctx = { params, clients, log, httpGet: deps.httpGet ?? fetchGet, now: () => new Date() };
    if (command.check === 'journey') return await runJourneyCommand(ctx, deps, out);
    const report = command.check === 'health' ? await runStageHealthCheck(ctx) : await runDrReadinessCheck(ctx);
    out(formatReport(report));
    if (report.passed) return EXIT.passed;
    const failing = report.outcomes.filter((o) => o.status === 'fail');
    if (failing.every((o) => COULD_NOT_CHECK_ITEM.test(o.detail))) {
      err(
        `check: could not check ${failing.map((o) => o.name).join(', ')} of ${params.stage} (see the table); nothing was found wrong`,
      );
      return EXIT.couldNotCheck;
    }
    return EXIT.failed;
  } catch (error) {
    err(`check: could not check: the ${params.stage} ${command.check} check could not run: ${describeError(error)}`);
    return EXIT.couldNotCheck;
  }
}
