/**
 * `npm run cleanup` against CloudFormation emulated by moto_server (account 111111111111, three regions): the stacks
 * a stage left deployed are listed with what they hold, and --delete removes only those holding no retained data.
 * Credentials are refused with aws-sdk-client-mock, as STS answers then (moto accepts any).
 */
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  cleanupTargetFromConfig,
  CLEANUP_EXIT,
  parseCleanupArgs,
  runCleanupCommand,
  type CleanupCommandDeps,
} from '../../scripts/cleanup-command';
import { deleteLeftoverStack, keptBecause } from '../../scripts/delete-leftover-stacks';
import type { LeftoverStack } from '../../lambda/pipeline/review-runner';
import type { MotoServer } from '../../support/moto';
import { startMoto } from '../../support/moto';
import {
  motoCloudFormation,
  RETAINED_KEY,
  seedStacks,
  TOPIC,
} from '../lambda/pipeline/change-review/fixtures/seed-stacks';
import {
  ACCOUNT,
  listedStack,
  stageIdentity,
  synthStage,
} from '../lambda/pipeline/change-review/fixtures/stage-assembly';
import { fixtureContext } from '../config/fixtures/production-context';

const [PRIMARY, DR, EDGE] = ['eu-west-2', 'eu-west-1', 'us-east-1'];
const assembly = synthStage({ usersKey: 'pk' });
const target = () => ({
  stage: 'prod',
  account: ACCOUNT,
  identity: stageIdentity([PRIMARY, DR, EDGE]),
  configStacks: [`${PRIMARY}/Prod-Service`, `${PRIMARY}/Prod-Stateful`],
});

let moto: MotoServer;
let out: string[];
let err: string[];
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto(undefined, ACCOUNT);
  // The CLI's own clients read credentials from the environment, as for an operator: fake ones for the emulator.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}, 180_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

beforeEach(async () => {
  out = [];
  err = [];
  await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  await seedStacks(moto, [
    // The stage's stacks the assembly still contains.
    { name: 'Prod-Stateful', region: PRIMARY, resources: { DataKey: RETAINED_KEY } },
    { name: 'Prod-Service', region: PRIMARY, resources: { Alerts: TOPIC } },
    // Left by a config that turned backup and WAF off: a retained key in the DR region, a stack holding no data.
    { name: 'Prod-DrVault', region: DR, resources: { VaultKey: RETAINED_KEY, Alerts: TOPIC } },
    { name: 'Prod-EdgeSecurity', region: EDGE, resources: { Alerts: TOPIC } },
    // Not the stage's: another stage's, and another app's stack named like the stage's.
    {
      name: 'Staging-Backup',
      region: PRIMARY,
      tags: { 'uk-home-improvement:stage': 'staging' },
      resources: { Alerts: TOPIC },
    },
    { name: 'Prod-Billing', region: EDGE, tags: { 'billing:stage': 'prod' }, resources: { Alerts: TOPIC } },
  ]);
});

const cleanup = (argv: string[], deps: CleanupCommandDeps = {}) =>
  runCleanupCommand(['--stage', 'prod', '--assembly', assembly.dir, '--endpoint-url', moto.endpoint, ...argv], {
    target: target,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    deletion: { pollIntervalMs: 10 },
    call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 },
    ...deps,
  });

/** The stacks deployed in `region` (not deleted), by name. */
async function deployed(region: string): Promise<string[]> {
  const listed = await motoCloudFormation(moto, region).send(new ListStacksCommand({}));
  return (listed.StackSummaries ?? [])
    .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
    .map((s) => s.StackName!)
    .sort();
}

describe('npm run cleanup -- --stage prod', () => {
  it('lists the stacks of the stage the assembly no longer contains, with the retained data each holds, and deletes nothing', async () => {
    expect(await cleanup([])).toBe(CLEANUP_EXIT.left);
    const text = out.join('\n');
    const row = (name: string) => text.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('Prod-DrVault')).toMatch(
      /^Prod-DrVault +eu-west-1 +CREATE_COMPLETE +off +VaultKey \(AWS::KMS::Key\) +kept: it holds retained data: VaultKey \(AWS::KMS::Key \S+\)/,
    );
    expect(row('Prod-EdgeSecurity')).toMatch(
      /^Prod-EdgeSecurity +us-east-1 +CREATE_COMPLETE +off +nothing retained +deletable$/,
    );
    // The stacks the assembly contains, another stage's and another app's are never listed as left behind.
    for (const name of ['Prod-Stateful', 'Prod-Service', 'Staging-Backup', 'Prod-Billing']) expect(row(name)).toBe('');
    expect(text).toContain(
      "Not prod's, left alone: Prod-Billing (us-east-1) is named like its stacks but lacks its tags.",
    );
    expect(text).toContain('2 stack(s) left behind; 1 hold no retained data');
    expect(await deployed(DR)).toEqual(['Prod-DrVault']);
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });

  it('--delete --yes prod deletes the stack holding no retained data and refuses the one that holds some', async () => {
    expect(await cleanup(['--delete', '--yes', 'prod'])).toBe(CLEANUP_EXIT.left);
    expect(out).toContain(`deleted: Prod-EdgeSecurity (${EDGE})`);
    expect(out.join('\n')).toMatch(
      /left: Prod-DrVault \(eu-west-1\): it holds retained data: VaultKey \(AWS::KMS::Key/,
    );
    expect(await deployed(EDGE)).toEqual(['Prod-Billing']);
    expect(await deployed(DR)).toEqual(['Prod-DrVault']);
    expect(await deployed(PRIMARY)).toEqual(['Prod-Service', 'Prod-Stateful', 'Staging-Backup']);
  });

  it('exits 0 once nothing the stage no longer contains is deployed', async () => {
    await motoCloudFormation(moto, DR).send(new DeleteStackCommand({ StackName: 'Prod-DrVault' }));
    expect(await cleanup(['--delete', '--yes', 'prod'])).toBe(CLEANUP_EXIT.clean);
    expect(await cleanup([])).toBe(CLEANUP_EXIT.clean);
    expect(out).toContain('none.');
  });

  it('deletes nothing when the typed confirmation is not the stage name', async () => {
    expect(await cleanup(['--delete'], { prompt: async () => 'staging' })).toBe(CLEANUP_EXIT.left);
    expect(await cleanup(['--delete', '--yes', 'Prod'])).toBe(CLEANUP_EXIT.left);
    expect(err.join('\n')).toContain('not confirmed ("Prod" is not prod); nothing deleted.');
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });

  it('deletes after the operator types the stage name at the prompt', async () => {
    const questions: string[] = [];
    const prompt = async (q: string) => (questions.push(q), 'prod');
    expect(await cleanup(['--delete'], { prompt })).toBe(CLEANUP_EXIT.left);
    expect(questions).toEqual([`Delete Prod-EdgeSecurity (${EDGE})? Type the stage name (prod) to confirm: `]);
    expect(await deployed(EDGE)).toEqual(['Prod-Billing']);
  });

  it('refuses --delete without a terminal or --yes', async () => {
    const stdin = process.stdin.isTTY;
    process.stdin.isTTY = false;
    try {
      expect(await cleanup(['--delete'])).toBe(CLEANUP_EXIT.usage);
    } finally {
      process.stdin.isTTY = stdin;
    }
    expect(err.join('\n')).toContain('pass --yes prod');
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });

  it('refuses an assembly that holds no stack of the stage: every deployed stack would look left over', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'cleanup-'));
    writeFileSync(path.join(empty, 'manifest.json'), JSON.stringify({ version: '41.0.0', artifacts: {} }));
    expect(await cleanup(['--delete', '--yes', 'prod', '--assembly', empty])).toBe(CLEANUP_EXIT.usage);
    expect(err.join('\n')).toContain('holds no stack of prod');
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });

  it('refuses to delete against an assembly that does not hold the stacks the config gives the stage', async () => {
    const stale = () => ({ ...target(), configStacks: [...target().configStacks, `${EDGE}/Prod-EdgeSecurity`] });
    expect(await cleanup(['--delete', '--yes', 'prod'], { target: stale })).toBe(CLEANUP_EXIT.usage);
    expect(err.join('\n')).toContain('Run npx cdk synth first.');
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });

  it('could not check when the credentials are for another account', async () => {
    expect(await cleanup([], { target: () => ({ ...target(), account: '999999999999' }) })).toBe(
      CLEANUP_EXIT.usage, // the assembly's stacks deploy to 111111111111: none of them is 999999999999's
    );
    const sts = mockClient(STSClient);
    try {
      sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222' });
      expect(await cleanup([], { sts: () => new STSClient({ region: PRIMARY }) })).toBe(CLEANUP_EXIT.couldNotCheck);
      expect(err.join('\n')).toContain(
        'your credentials are for account 222222222222, but prod deploys to 111111111111',
      );
    } finally {
      sts.restore();
    }
  });

  it('could not check without usable credentials, and says so', async () => {
    const sts = mockClient(STSClient);
    try {
      sts.on(GetCallerIdentityCommand).rejects(
        Object.assign(new Error('The security token included in the request is invalid.'), {
          name: 'InvalidClientTokenId',
          $metadata: { httpStatusCode: 403 },
        }),
      );
      expect(await cleanup(['--delete', '--yes', 'prod'], { sts: () => new STSClient({ region: PRIMARY }) })).toBe(
        CLEANUP_EXIT.couldNotCheck,
      );
    } finally {
      sts.restore();
    }
    expect(err.join('\n')).toContain('cleanup could not check prod: no usable AWS credentials');
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });

  it('could not check a region where CloudFormation refuses the listing, and deletes nothing anywhere', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const refusingClient = new CloudFormationClient({ region: DR });
    const mock = mockClient(refusingClient);
    mock.on(DescribeStacksCommand).rejects(denied);
    expect(
      await cleanup(['--delete', '--yes', 'prod'], {
        cloudFormation: (region) => (region === DR ? refusingClient : motoCloudFormation(moto, region)),
      }),
    ).toBe(CLEANUP_EXIT.couldNotCheck);
    expect(err.join('\n')).toContain(`could not search ${DR} for stacks the stage no longer has`);
    expect(err.join('\n')).toContain('so it deleted nothing');
    expect(await deployed(EDGE)).toEqual(['Prod-Billing', 'Prod-EdgeSecurity']);
  });
});

describe('keptBecause', () => {
  const stack = (over: Partial<LeftoverStack> = {}): LeftoverStack => ({
    stackName: 'Prod-Old',
    stackId: 'arn:aws:cloudformation:eu-west-2:111111111111:stack/Prod-Old/1',
    region: PRIMARY,
    status: 'UPDATE_COMPLETE',
    terminationProtection: false,
    retained: [],
    ...over,
  });
  it('keeps a stack with termination protection, one in the middle of an operation, and one it could not read', () => {
    expect(keptBecause(stack())).toBeUndefined();
    expect(keptBecause(stack({ terminationProtection: true }))).toMatch(
      /^termination protection is on; .*turn it off yourself/,
    );
    expect(keptBecause(stack({ status: 'UPDATE_IN_PROGRESS' }))).toContain('it is UPDATE_IN_PROGRESS');
    expect(keptBecause(stack({ unreadable: 'AccessDenied' }))).toContain('could not be read (AccessDenied)');
  });
});

describe('deleteLeftoverStack', () => {
  // Mocks every CloudFormation client only while these tests run: the tests above talk to moto.
  const mockCloudFormation = () => mockClient(CloudFormationClient);
  let cfn: ReturnType<typeof mockCloudFormation>;
  beforeAll(() => {
    cfn = mockCloudFormation();
  });
  afterAll(() => cfn.restore());
  beforeEach(() => cfn.reset());
  const leftover: LeftoverStack = {
    stackName: 'Prod-Old',
    stackId: listedStack('Prod-Old').StackId!,
    region: PRIMARY,
    status: 'UPDATE_COMPLETE',
    terminationProtection: false,
    retained: [],
  };

  it('checks again just before: protection turned on since the listing leaves the stack alone', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ ...listedStack('Prod-Old'), EnableTerminationProtection: true }] });
    const outcome = await deleteLeftoverStack(new CloudFormationClient({ region: PRIMARY }), leftover, stageIdentity());
    expect(outcome).toMatchObject({ deleted: false, reason: expect.stringContaining('termination protection') });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it("leaves alone a stack that no longer carries the stage's tags", async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [listedStack('Prod-Old', PRIMARY, { 'billing:stage': 'prod' })] });
    const outcome = await deleteLeftoverStack(new CloudFormationClient({ region: PRIMARY }), leftover, stageIdentity());
    expect(outcome.deleted).toBe(false);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('reports DELETE_FAILED with the reason CloudFormation gives', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [listedStack('Prod-Old')] })
      .resolves({
        Stacks: [
          { ...listedStack('Prod-Old', PRIMARY, undefined, 'DELETE_FAILED'), StackStatusReason: 'bucket not empty' },
        ],
      });
    cfn.on(DeleteStackCommand).resolves({});
    const outcome = await deleteLeftoverStack(
      new CloudFormationClient({ region: PRIMARY }),
      leftover,
      stageIdentity(),
      {
        sleep: async () => undefined,
      },
    );
    expect(outcome).toMatchObject({ deleted: false, reason: 'DELETE_FAILED: bucket not empty' });
    expect(cfn.commandCalls(DeleteStackCommand)[0].args[0].input).toEqual({ StackName: leftover.stackId });
  });
});

describe('parseCleanupArgs', () => {
  it('needs --stage, and --yes only with --delete', () => {
    expect(() => parseCleanupArgs([])).toThrow('--stage is required');
    expect(() => parseCleanupArgs(['--stage', 'prod', '--yes', 'prod'])).toThrow('--yes confirms --delete');
    expect(() => parseCleanupArgs(['--stage', 'prod', '--force'])).toThrow('unknown option --force');
    expect(parseCleanupArgs(['--stage=prod', '--region', DR, '--region', EDGE, '--profile', 'ops'])).toEqual({
      stage: 'prod',
      delete: false,
      assembly: 'cdk.out',
      help: false,
      regions: [DR, EDGE],
      profile: 'ops',
    });
  });
});

describe('cleanupTargetFromConfig', () => {
  it("recognises the stage by its stacks' name prefix and tag in every region of the stage", () => {
    const context = fixtureContext();
    const t = cleanupTargetFromConfig(context, 'live');
    expect(t).toMatchObject({ stage: 'live', account: '333333333333' });
    expect(t.identity.namePrefix).toBe('Live-');
    expect(t.identity.tags).toEqual({ 'uk-home-improvement:stage': 'live' });
    expect(t.identity.regions).toEqual(expect.arrayContaining(['us-east-1']));
    expect(t.identity.regions.length).toBeGreaterThan(1);
    expect(t.configStacks.length).toBeGreaterThan(0);
    for (const s of t.configStacks) expect(s).toMatch(/^[a-z0-9-]+\/Live-/);
    expect(() => cleanupTargetFromConfig(context, 'qa')).toThrow('--stage qa is not one of test, live');
  });
});
