import { App } from 'aws-cdk-lib';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { STSClient } from '@aws-sdk/client-sts';
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadConfig } from '../lib/config';
import { changeReviewParametersFor } from '../lib/pipeline/change-review/change-review-step';
import { changeReviewPolicyOf } from '../lib/pipeline/change-review/change-review-policy-of';
import { PlatformStage } from '../stages/platform-stage';
import { reviewRegions, type ChangeReviewParameters } from '../contracts/change-review-parameters';
import { assumeReviewRoles, describeError, renderReport, runChangeReview } from '../lambda/pipeline/review-runner';
import { createLogger } from '../lambda/shared/logger';
import { EXIT, wantsHelp } from './operator-cli';

export const USAGE = `Usage: npm run review -- --stage <dev|staging|prod> [--assembly <dir>] [--role-arn <arn>] [--verbose]
  Runs the pipeline's change review of a stage with your own AWS credentials against a cloud assembly
  and prints the same report. Exits 0 when the pipeline step would pass, 1 when it would fail, 2 when the
  review could not check (no credentials, access denied, a read that failed, and nothing else failed),
  64 when the command line or cdk.json is wrong.
  --assembly  the cloud assembly to review (default: cdk.out; run npx cdk synth first)
  --role-arn  assume this role first, for every region of the stage (for example the stage's CDK lookup role;
              default: your credentials as they are)
  --verbose   write the structured JSON log lines to stderr`;

/** Parsed command line. */
export interface ReviewCommand {
  readonly stage: string;
  readonly assembly: string;
  readonly roleArn?: string;
  readonly verbose: boolean;
}

/** Parses the command line; @throws Error with what is wrong. */
export function parseReviewArgs(argv: readonly string[]): ReviewCommand {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (name === 'verbose') {
      flags.verbose = true;
      continue;
    }
    if (!['stage', 'assembly', 'role-arn'].includes(name)) throw new Error(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    flags[name] = value;
  }
  if (typeof flags.stage !== 'string') throw new Error('--stage is required');
  return {
    stage: flags.stage,
    assembly: (flags.assembly as string | undefined) ?? 'cdk.out',
    verbose: flags.verbose === true,
    ...(typeof flags['role-arn'] === 'string' ? { roleArn: flags['role-arn'] } : {}),
  };
}

/** The review parameters of a stage from the same config and Stage class the pipeline uses; no role unless `--role-arn` (then for every region). */
export function reviewParametersFromConfig(
  context: Record<string, unknown>,
  command: ReviewCommand,
): ChangeReviewParameters {
  const config = loadConfig(context);
  const stageConfig = config.stages.find((s) => s.name === command.stage);
  if (!stageConfig)
    throw new Error(`--stage ${command.stage} is not one of ${config.stages.map((s) => s.name).join(', ')}`);
  // Skip asset bundling: only stack names and regions are needed.
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stage = new PlatformStage(app, stageConfig.displayName, {
    config: stageConfig,
    pipelineAccount: config.pipeline.account,
  });
  const params = changeReviewParametersFor(stage, changeReviewPolicyOf(stageConfig));
  const roleArn = command.roleArn;
  return roleArn ? { ...params, roleArns: Object.fromEntries(reviewRegions(params).map((r) => [r, roleArn])) } : params;
}

/** Seams for tests. */
export interface ReviewCommandDeps {
  readonly context?: Record<string, unknown>;
  /** Replaces {@link reviewParametersFromConfig}. */
  readonly parameters?: (command: ReviewCommand) => ChangeReviewParameters;
  readonly cloudFormation?: (region: string) => CloudFormationClient;
  readonly sts?: STSClient;
  /** Resolves the caller's credentials; @default the AWS SDK default provider chain */
  readonly checkCredentials?: (region: string) => Promise<void>;
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
  readonly cwd?: string;
}

async function defaultCheckCredentials(region: string): Promise<void> {
  await new STSClient({ region }).config.credentials();
}

/** Runs the operator command; returns its exit code ({@link EXIT}, as `npm run check` and `npm run preflight`). */
export async function runReviewCommand(argv: readonly string[], deps: ReviewCommandDeps = {}): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = deps.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  if (wantsHelp(argv)) {
    out(USAGE);
    return EXIT.passed;
  }
  let command: ReviewCommand;
  let params: ChangeReviewParameters;
  try {
    command = parseReviewArgs(argv);
    params = deps.parameters
      ? deps.parameters(command)
      : reviewParametersFromConfig(
          deps.context ?? JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context,
          command,
        );
  } catch (error) {
    err(`review: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    await (deps.checkCredentials ?? defaultCheckCredentials)(params.region);
  } catch (error) {
    err(
      `review: no AWS credentials found (${describeError(error)}). Sign in first (aws sso login, or set AWS_PROFILE) with a role that can read CloudFormation in the ${params.stage} account.`,
    );
    return EXIT.couldNotCheck;
  }
  const log = createLogger(
    { stage: params.stage, component: 'change-review', source: 'cli' },
    command.verbose ? err : () => undefined,
  );
  try {
    const { credentials, refused } = await assumeReviewRoles(
      deps.sts ?? new STSClient({ region: params.region }),
      params,
      'operator-change-review',
    );
    const clients = new Map<string, CloudFormationClient>();
    const cloudFormationIn = (region: string) => {
      if (!clients.has(region))
        clients.set(
          region,
          deps.cloudFormation?.(region) ??
            new CloudFormationClient({ region, credentials: credentials.get(region), maxAttempts: 1 }),
        );
      return clients.get(region)!;
    };
    const report = await runChangeReview(
      {
        params,
        assemblyDir: path.resolve(deps.cwd ?? process.cwd(), command.assembly),
        cloudFormationIn,
        unreadableRegions: refused,
        log,
        now: () => new Date(),
      },
      { source: 'operator CLI' },
    );
    out(renderReport(report));
    if (!report.passed)
      err(`review: the ${params.stage} change review FAILS:\n${report.failures.map((f) => `  - ${f}`).join('\n')}`);
    if (report.passed) return EXIT.passed;
    return report.failures.every((f) => f.startsWith('could not check:')) ? EXIT.couldNotCheck : EXIT.failed;
  } catch (error) {
    err(`review: the ${params.stage} change review could not run: ${describeError(error)}`);
    return EXIT.couldNotCheck;
  }
}
