import { AccountClient } from '@aws-sdk/client-account';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
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
import {
  formatPreflightTable,
  runPreflightChecks,
  type ClientsFor,
  type PreflightClients,
  type PreflightRow,
} from './preflight/preflight-checks';
import { preflightPlan, type PreflightPlan } from './preflight/preflight-plan';

export const USAGE = `Usage: npm run preflight -- (--stage <name> | --all) [--profile [<account>=]<profile>]... [--endpoint-url <url>]
  Checks, read-only, that every account and region the stage uses (and the tooling account) is ready for the
  first deploy: CDK bootstrap stack, its version and trust, the Git connection, Lambda concurrency, AWS Backup's
  DynamoDB features, opt-in regions. Prints one table; exits 0 when every row passes, 1 when a row fails,
  2 when a row could not be checked (no credentials, access denied, throttling) and none failed.
  --stage         a stage of pipeline.stages (repeatable)
  --all           every stage of pipeline.stages
  --profile       named AWS profile: for every account, or for one account as <account>=<profile> (repeatable)
  --endpoint-url  send every AWS call to this endpoint (an emulator such as moto_server; set the fake
                  credentials AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing)`;

/** Parsed command line. */
export interface PreflightCommand {
  /** Stages to check; empty means every stage. */
  readonly stages: readonly string[];
  readonly endpointUrl?: string;
  /** Profile for accounts not in `accountProfiles`. */
  readonly profile?: string;
  readonly accountProfiles: Readonly<Record<string, string>>;
}

/** Parses the command line; @throws Error with what is wrong. */
export function parsePreflightArgs(argv: readonly string[]): PreflightCommand {
  const options = parseOptions(argv, { values: ['endpoint-url'], repeated: ['stage', 'profile'], flags: ['all'] });
  if (options.positional.length > 0) throw new Error(`unexpected argument ${options.positional[0]}`);
  const stages = options.repeated.stage ?? [];
  if (options.flags.has('all') === stages.length > 0) throw new Error('pass either --stage <name> or --all');
  const accountProfiles: Record<string, string> = {};
  let profile: string | undefined;
  for (const value of options.repeated.profile ?? []) {
    const match = /^(\d{12})=(.+)$/.exec(value);
    if (match) accountProfiles[match[1]] = match[2];
    else profile = value;
  }
  return { stages, endpointUrl: options.values['endpoint-url'], profile, accountProfiles };
}

/** Seams for tests. */
export interface PreflightCommandDeps {
  readonly context?: Record<string, unknown>;
  /** Replaces {@link preflightPlan} (which synthesizes each stage). */
  readonly plan?: (command: PreflightCommand) => PreflightPlan;
  readonly createClients?: (target: AwsTarget) => PreflightClients;
  /** Resolves the credentials of a target; @default the AWS SDK default provider chain */
  readonly checkCredentials?: (target: AwsTarget) => Promise<void>;
  /** The account a target's credentials belong to; @default sts:GetCallerIdentity (not asked of an emulator) */
  readonly callerAccount?: (target: AwsTarget) => Promise<string | undefined>;
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/** SDK clients of one target. */
export function createPreflightClients(target: AwsTarget): PreflightClients {
  const config = clientConfig(target);
  return {
    cloudFormation: new CloudFormationClient(config),
    ssm: new SSMClient(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    backup: new BackupClient(config),
    connections: new CodeStarConnectionsClient(config),
    account: new AccountClient(config),
  };
}

async function stsCallerAccount(target: AwsTarget): Promise<string | undefined> {
  if (target.endpoint) return undefined;
  const out = await new STSClient(clientConfig(target)).send(new GetCallerIdentityCommand({}));
  return out.Account;
}

/** The verdict of a table: failed when a row failed, could-not-check when a row could not run, else passed. */
export function preflightExitCode(rows: readonly PreflightRow[]): number {
  if (rows.some((r) => r.result === 'FAIL')) return EXIT.failed;
  if (rows.some((r) => r.result === 'COULD NOT CHECK')) return EXIT.couldNotCheck;
  return EXIT.passed;
}

/** Runs `npm run preflight`; returns the exit code (see {@link EXIT}). */
export async function runPreflightCommand(argv: readonly string[], deps: PreflightCommandDeps = {}): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = deps.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  if (wantsHelp(argv)) {
    out(USAGE);
    return EXIT.passed;
  }
  let command: PreflightCommand;
  let plan: PreflightPlan;
  try {
    command = parsePreflightArgs(argv);
    plan = deps.plan ? deps.plan(command) : preflightPlan(deps.context ?? readCdkContext(), command.stages);
  } catch (error) {
    err(`preflight: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const targetOf = (account: string, region: string): AwsTarget => ({
    region,
    endpoint: command.endpointUrl,
    profile: command.accountProfiles[account] ?? command.profile,
  });
  const accounts = [plan.tooling.account, ...plan.stages.map((s) => s.account)];
  const checkCredentials = deps.checkCredentials ?? resolveCredentials;
  for (const account of new Set(accounts)) {
    try {
      await checkCredentials(targetOf(account, plan.tooling.regions[0]));
    } catch (error) {
      err(noCredentialsMessage('preflight', (error as Error).message));
      return EXIT.couldNotCheck;
    }
  }
  // Each account's rows need that account's credentials: a mismatch makes its rows could-not-check.
  const wrongAccount = new Map<string, string>();
  for (const account of new Set(accounts)) {
    try {
      const actual = await (deps.callerAccount ?? stsCallerAccount)(targetOf(account, plan.tooling.regions[0]));
      if (actual && actual !== account)
        wrongAccount.set(
          account,
          `the credentials are for account ${actual}, not ${account}: pass --profile ${account}=<profile>`,
        );
    } catch (error) {
      wrongAccount.set(account, `sts:GetCallerIdentity failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const clients = new Map<string, PreflightClients>();
  const clientsFor: ClientsFor = (account, region) => {
    const key = `${account}/${region}`;
    if (!clients.has(key)) clients.set(key, (deps.createClients ?? createPreflightClients)(targetOf(account, region)));
    return clients.get(key)!;
  };
  const rows = (await runPreflightChecks(plan, clientsFor)).map((row): PreflightRow => {
    const problem = wrongAccount.get(row.where.split('/')[0]);
    return problem
      ? { ...row, result: 'COULD NOT CHECK', detail: problem, fix: 'use credentials of that account' }
      : row;
  });
  out(formatPreflightTable(rows));
  const code = preflightExitCode(rows);
  const counts = (['PASS', 'FAIL', 'COULD NOT CHECK'] as const).map(
    (r) => `${rows.filter((row) => row.result === r).length} ${r.toLowerCase()}`,
  );
  out(
    `\npreflight ${code === EXIT.passed ? 'PASSED' : code === EXIT.failed ? 'FAILED' : 'COULD NOT CHECK everything'}: ${counts.join(', ')}`,
  );
  return code;
}
