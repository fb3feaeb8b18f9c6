import { App } from 'aws-cdk-lib';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { createInterface } from 'readline/promises';
import { loadConfig } from '../lib/config';
import { stageStackIdentity } from '../lib/pipeline/change-review/change-review-step';
import { PlatformStage } from '../stages/platform-stage';
import { STAGE_TAG_KEY, type StageStackIdentity } from '../contracts/stage-stacks';
import { callAws, describeError, findLeftoverStacks, readAssemblyStacks } from '../lambda/pipeline/review-runner';
import type { CallOptions, LeftoverStack } from '../lambda/pipeline/review-runner';
import type { DeleteOptions } from './delete-leftover-stacks';
import { deleteLeftoverStack, keptBecause } from './delete-leftover-stacks';

/** The exit codes of `npm run cleanup`. */
export const CLEANUP_EXIT = {
  /** Nothing the stage no longer contains is deployed (or cleanup deleted all of it). */
  clean: 0,
  /** Stacks the stage no longer contains stay deployed: listed, or kept with the reason. */
  left: 1,
  /** Cleanup could not check: no credentials, the wrong account, access denied, throttling, an endpoint that does not answer. */
  couldNotCheck: 2,
  /** Bad arguments, config or assembly: nothing was checked. */
  usage: 3,
} as const;

export const USAGE = `Usage: npm run cleanup -- --stage <name> [--delete [--yes <name>]] [--assembly <dir>] [--region <region>]...
                       [--profile <profile>] [--endpoint-url <url>]
  Lists the stacks deployed for a stage (named <Stage>-..., tagged ${STAGE_TAG_KEY}=<name>) that the
  cloud assembly no longer contains, in every region of the stage, with the retained data each holds.
  CDK Pipelines never deletes such a stack (aws/aws-cdk#10190): they stay deployed until someone does.
  --delete        delete those that hold no retained data, have termination protection off and no operation
                  in progress; you type the stage name to confirm. Stacks with termination protection are never
                  unprotected by cleanup: turn it off yourself first, if you mean it.
  --yes <name>    confirm --delete without the prompt (automation); must be the stage name
  --assembly      the cloud assembly to compare with (default: cdk.out; run npx cdk synth first)
  --region        search only this region (repeatable; default: every region of the stage)
  --profile       the AWS profile to use (default: your credentials as they are)
  --endpoint-url  send every AWS call to this endpoint (for example moto_server)
Exit codes: 0 nothing left behind, 1 stacks left behind (listed or kept), 2 could not check, 3 bad arguments or config.`;

/** Parsed command line. */
export interface CleanupCommand {
  readonly stage: string;
  readonly delete: boolean;
  readonly yes?: string;
  readonly assembly: string;
  readonly regions?: readonly string[];
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly help: boolean;
}

const WITH_VALUE = ['stage', 'yes', 'assembly', 'region', 'profile', 'endpoint-url'];

/** Parses the command line; @throws Error with what is wrong. */
export function parseCleanupArgs(argv: readonly string[]): CleanupCommand {
  const flags: Record<string, string> = {};
  const regions: string[] = [];
  let del = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (name === 'delete') {
      del = true;
      continue;
    }
    if (!WITH_VALUE.includes(name)) throw new Error(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    if (name === 'region') regions.push(value);
    else flags[name] = value;
  }
  if (help) return { stage: flags.stage ?? '', delete: false, assembly: 'cdk.out', help };
  if (!flags.stage) throw new Error('--stage is required');
  if (flags.yes !== undefined && !del) throw new Error('--yes confirms --delete; it means nothing without it');
  return {
    stage: flags.stage,
    delete: del,
    assembly: flags.assembly ?? 'cdk.out',
    help,
    ...(flags.yes !== undefined ? { yes: flags.yes } : {}),
    ...(regions.length ? { regions } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags['endpoint-url'] ? { endpointUrl: flags['endpoint-url'] } : {}),
  };
}

/** The stage cleanup works on: where its stacks are, how they are recognised, and which ones the config gives it. */
export interface CleanupTarget {
  readonly stage: string;
  readonly account: string;
  readonly identity: StageStackIdentity;
  /** The stage's stacks as the config (cdk.json) builds them, by `<region>/<name>`. */
  readonly configStacks: readonly string[];
}

/** The target of `--stage` from the same config and Stage class the pipeline deploys. */
export function cleanupTargetFromConfig(context: Record<string, unknown>, stageName: string): CleanupTarget {
  const config = loadConfig(context);
  const stageConfig = config.stages.find((s) => s.name === stageName);
  if (!stageConfig)
    throw new Error(`--stage ${stageName} is not one of ${config.stages.map((s) => s.name).join(', ')}`);
  // Skip asset bundling: only stack names, regions and tags are needed.
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stage = new PlatformStage(app, stageConfig.displayName, {
    config: stageConfig,
    pipelineAccount: config.pipeline.account,
  });
  return {
    stage: stageName,
    account: stageConfig.account,
    identity: stageStackIdentity(stage),
    configStacks: stage.stacks.map((s) => `${s.region}/${s.stackName}`).sort(),
  };
}

/** Seams for tests. */
export interface CleanupCommandDeps {
  readonly context?: Record<string, unknown>;
  /** Replaces {@link cleanupTargetFromConfig}. */
  readonly target?: (command: CleanupCommand) => CleanupTarget;
  readonly cloudFormation?: (region: string, command: CleanupCommand) => CloudFormationClient;
  readonly sts?: (command: CleanupCommand) => STSClient;
  /** Asks the operator a question and returns the answer; @default the terminal, when stdin is one */
  readonly prompt?: (question: string) => Promise<string>;
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
  readonly cwd?: string;
  readonly call?: CallOptions;
  readonly deletion?: DeleteOptions;
}

async function terminalPrompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** Renders the leftover stacks as a fixed-width table with what cleanup does with each. */
export function formatLeftovers(leftovers: readonly LeftoverStack[]): string {
  const rows = leftovers.map((l) => {
    const holds = l.unreadable
      ? 'could not be read'
      : l.retained.length
        ? l.retained.map((r) => `${r.logicalId} (${r.type})`).join(', ')
        : 'nothing retained';
    const kept = keptBecause(l);
    return [
      l.stackName,
      l.region,
      l.status,
      l.terminationProtection ? 'on' : 'off',
      holds,
      kept ? `kept: ${kept}` : 'deletable',
    ];
  });
  const head = ['STACK', 'REGION', 'STATUS', 'PROTECTION', 'HOLDS', 'CLEANUP'];
  const width = (i: number) => Math.max(...[head, ...rows].map((r) => r[i].length));
  const line = (r: string[]) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(width(i)) : c)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** Runs the operator command; returns the exit code ({@link CLEANUP_EXIT}). */
export async function runCleanupCommand(argv: readonly string[], deps: CleanupCommandDeps = {}): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = deps.err ?? ((t: string) => process.stderr.write(`${t}\n`));
  let command: CleanupCommand;
  let target: CleanupTarget;
  try {
    command = parseCleanupArgs(argv);
    if (command.help) {
      out(USAGE);
      return CLEANUP_EXIT.clean;
    }
    target = deps.target
      ? deps.target(command)
      : cleanupTargetFromConfig(
          deps.context ?? JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context,
          command.stage,
        );
  } catch (error) {
    err(`cleanup: ${(error as Error).message}\n${USAGE}`);
    return CLEANUP_EXIT.usage;
  }
  const { identity } = target;
  const unknownRegions = (command.regions ?? []).filter((r) => !identity.regions.includes(r));
  if (unknownRegions.length) {
    err(
      `cleanup: --region ${unknownRegions.join(', ')} is not a region of ${target.stage} (${identity.regions.join(', ')})`,
    );
    return CLEANUP_EXIT.usage;
  }
  const regions = command.regions ?? identity.regions;

  // The stacks of the stage in the assembly: a deployed stack of the same name and region is not left over.
  const assemblyDir = path.resolve(deps.cwd ?? process.cwd(), command.assembly);
  let assemblyStacks: { stackName: string; region: string }[];
  try {
    if (!existsSync(path.join(assemblyDir, 'manifest.json')))
      throw new Error(
        `${assemblyDir} is not a cloud assembly (no manifest.json); run npx cdk synth or pass --assembly`,
      );
    assemblyStacks = readAssemblyStacks(assemblyDir)
      .filter(
        (s) =>
          s.account === target.account &&
          s.stackName.startsWith(identity.namePrefix) &&
          Object.entries(identity.tags).every(([k, v]) => s.tags[k] === v),
      )
      .map((s) => ({ stackName: s.stackName, region: s.region ?? '' }));
    // With no stack of the stage in it, every deployed stack would look left over.
    if (!assemblyStacks.length)
      throw new Error(
        `${assemblyDir} holds no stack of ${target.stage} (account ${target.account}, named ${identity.namePrefix}..., tagged ${JSON.stringify(identity.tags)}); run npx cdk synth, or pass the assembly of this app with --assembly`,
      );
  } catch (error) {
    err(`cleanup: ${(error as Error).message}`);
    return CLEANUP_EXIT.usage;
  }
  const inAssembly = assemblyStacks.map((s) => `${s.region}/${s.stackName}`).sort();
  const stale = inAssembly.join(',') !== target.configStacks.join(',');
  if (stale) {
    err(
      `cleanup: ${command.assembly} does not hold the stacks cdk.json gives ${target.stage} (assembly: ${inAssembly.join(', ')}; cdk.json: ${target.configStacks.join(', ')}). Run npx cdk synth first.`,
    );
    if (command.delete) {
      err('cleanup: nothing deleted: --delete compares with an assembly of the current cdk.json only.');
      return CLEANUP_EXIT.usage;
    }
  }

  // Credentials, and the right account: another account's stacks would never carry this stage's tags.
  const clientConfig = (region: string) => ({
    region,
    maxAttempts: 1,
    ...(command.profile ? { profile: command.profile } : {}),
    ...(command.endpointUrl ? { endpoint: command.endpointUrl } : {}),
  });
  try {
    const sts = deps.sts?.(command) ?? new STSClient(clientConfig(regions[0]));
    const who = await callAws(
      'GetCallerIdentity',
      (abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
      deps.call,
    );
    if (who.Account !== target.account) {
      err(
        `cleanup could not check ${target.stage}: your credentials are for account ${who.Account}, but ${target.stage} deploys to ${target.account}. Sign in to ${target.account} (aws sso login, --profile) and run it again.`,
      );
      return CLEANUP_EXIT.couldNotCheck;
    }
  } catch (error) {
    err(
      `cleanup could not check ${target.stage}: no usable AWS credentials (${describeError(error)}). Sign in first (aws sso login, AWS_PROFILE or --profile) with a role that can read CloudFormation in account ${target.account}.`,
    );
    return CLEANUP_EXIT.couldNotCheck;
  }

  const clients = new Map<string, CloudFormationClient>();
  const cloudFormationIn = (region: string) => {
    if (!clients.has(region))
      clients.set(region, deps.cloudFormation?.(region, command) ?? new CloudFormationClient(clientConfig(region)));
    return clients.get(region)!;
  };
  const found = await findLeftoverStacks({
    identity: { ...identity, regions },
    assemblyStacks,
    cloudFormationIn,
    call: deps.call,
  });

  out(
    `Stacks of ${target.stage} (named ${identity.namePrefix}..., tagged ${Object.entries(identity.tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}) in ${regions.join(', ')} that ${command.assembly} no longer contains:`,
  );
  out(found.leftovers.length ? formatLeftovers(found.leftovers) : 'none.');
  for (const u of found.untagged)
    out(`Not ${target.stage}'s, left alone: ${u.stackName} (${u.region}) is named like its stacks but lacks its tags.`);
  if (found.errors.length) {
    err(
      `cleanup could not check everything, so it deleted nothing:\n${found.errors.map((e) => `  - ${e}`).join('\n')}`,
    );
    return CLEANUP_EXIT.couldNotCheck;
  }
  const deletable = found.leftovers.filter((l) => !keptBecause(l));
  const kept = found.leftovers.filter((l) => keptBecause(l));
  if (!found.leftovers.length) return CLEANUP_EXIT.clean;
  if (!command.delete) {
    out(
      deletable.length
        ? `${found.leftovers.length} stack(s) left behind; ${deletable.length} hold no retained data: npm run cleanup -- --stage ${target.stage} --delete deletes them.`
        : `${found.leftovers.length} stack(s) left behind; cleanup deletes none of them (see CLEANUP).`,
    );
    return CLEANUP_EXIT.left;
  }
  if (!deletable.length) {
    out('Nothing to delete: every stack left behind is kept (see CLEANUP).');
    return CLEANUP_EXIT.left;
  }

  // A typed confirmation: the stage name, at the prompt or with --yes.
  const names = deletable.map((l) => `${l.stackName} (${l.region})`).join(', ');
  let answer = command.yes;
  if (answer === undefined) {
    const prompt = deps.prompt ?? (process.stdin.isTTY ? terminalPrompt : undefined);
    if (!prompt) {
      err(
        `cleanup: --delete needs a confirmation: run it in a terminal and type the stage name, or pass --yes ${target.stage}`,
      );
      return CLEANUP_EXIT.usage;
    }
    answer = (await prompt(`Delete ${names}? Type the stage name (${target.stage}) to confirm: `)).trim();
  }
  if (answer !== target.stage) {
    err(`cleanup: not confirmed (${JSON.stringify(answer)} is not ${target.stage}); nothing deleted.`);
    return CLEANUP_EXIT.left;
  }
  let left = kept.length;
  for (const stack of deletable) {
    const outcome = await deleteLeftoverStack(
      cloudFormationIn(stack.region),
      stack,
      { ...identity, regions },
      {
        call: deps.call,
        ...deps.deletion,
      },
    );
    if (outcome.deleted) out(`deleted: ${stack.stackName} (${stack.region})`);
    else {
      left++;
      out(`not deleted: ${stack.stackName} (${stack.region}): ${outcome.reason}`);
    }
  }
  for (const stack of kept) out(`left: ${stack.stackName} (${stack.region}): ${keptBecause(stack)}`);
  return left ? CLEANUP_EXIT.left : CLEANUP_EXIT.clean;
}
