import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { loadConfig } from '../lib/config';
import { HEALTHY_BODY } from '../support/check-fixtures';
import { seedBootstrap, type BootstrapSeed } from '../support/moto-bootstrap';
import type { STACKS } from '../support/moto-stage';
import { seedStage } from '../support/moto-stage';
import { parametersFromConfig } from './check-command';
import { EXIT, parseOptions, readCdkContext, wantsHelp } from './operator-cli';
import { bootstrapEnvironments } from './preflight/bootstrap-environments';

export const USAGE = `Usage: npm run seed-moto -- --stage <name> --endpoint-url <url>
  Seeds a running moto_server (an AWS emulator) with what the operator commands read for a stage, so that their
  --endpoint-url examples can pass: the CDK bootstrap of the stage's and the tooling account's regions (moto
  holds one account, so accounts sharing a region share one CDKToolkit stack), and a healthy stage (stacks with
  their outputs, tables, bucket, keys, user pool, state machine, secrets, alarms). It then serves the stage's
  /health endpoint on a loopback port until you stop it (Ctrl-C).`;

/** Stack name suffixes of the Stage class, by the key moto-stage seeds them under. */
const STACK_SUFFIXES: Record<keyof typeof STACKS, string> = {
  stateful: '-Stateful',
  audit: '-Audit',
  edgeSecurity: '-EdgeSecurity',
  service: '-Service',
  backup: '-Backup',
  drVault: '-DrVault',
};

/** A seeded emulator: the health endpoint keeps serving until `stop()`. */
export interface SeededMoto {
  readonly healthUrl: string;
  stop(): Promise<void>;
}

/** Seeds the stage of `argv` into the emulator; @throws Error with what is wrong. */
export async function seedMoto(argv: readonly string[], context = readCdkContext()): Promise<SeededMoto> {
  const options = parseOptions(argv, { values: ['stage', 'endpoint-url'] });
  const stageName = options.values.stage;
  const endpoint = options.values['endpoint-url'];
  if (!stageName || !endpoint) throw new Error('--stage and --endpoint-url are required');
  const config = loadConfig(context);
  const stage = config.stages.find((s) => s.name === stageName);
  if (!stage) throw new Error(`--stage ${stageName} is not one of ${config.stages.map((s) => s.name).join(', ')}`);
  const envs = bootstrapEnvironments(config, [stage]);
  const seeds: BootstrapSeed[] = [
    ...envs.tooling.regions.map((region) => ({ account: envs.tooling.account, region })),
    ...envs.stages.flatMap((s) =>
      s.regions.map((region) => ({ account: s.account, region, trust: [envs.tooling.account] })),
    ),
  ];
  await seedBootstrap(endpoint, seeds);

  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...JSON.parse(HEALTHY_BODY), stage: stageName }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const healthUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  const params = parametersFromConfig(context, { check: 'health', stage: stageName, verbose: false });
  const stacks = Object.fromEntries(
    Object.entries(STACK_SUFFIXES).flatMap(([key, suffix]) => {
      const name = params.stackNames.find((n) => n.endsWith(suffix));
      return name ? [[key, name]] : [];
    }),
  );
  await seedStage(endpoint, { stage: stageName, region: stage.region, drRegion: stage.drRegion, stacks, healthUrl });
  return { healthUrl, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs `npm run seed-moto`; resolves when the health endpoint stops (on SIGINT or SIGTERM). */
export async function runSeedMotoCommand(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.passed;
  }
  let seeded: SeededMoto;
  try {
    seeded = await seedMoto(argv);
  } catch (error) {
    process.stderr.write(`seed-moto: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  process.stdout.write(`seeded; serving the stage's /health at ${seeded.healthUrl} until Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await seeded.stop();
  return EXIT.passed;
}
