/**
 * `npm run preflight` against moto_server for what moto models (CloudFormation stacks, SSM parameters, IAM
 * roles), with aws-sdk-client-mock for what it does not (Lambda account settings, CodeConnections, AWS Backup
 * region settings). Every test starts from an empty account and adds only what it needs.
 */
import { BackupClient, DescribeRegionSettingsCommand } from '@aws-sdk/client-backup';
import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { EXIT } from '../../scripts/operator-cli';
import { parsePreflightArgs, runPreflightCommand, USAGE } from '../../scripts/preflight-command';
import { formatPreflightTable, trustsAccount, type PreflightRow } from '../../scripts/preflight/preflight-checks';
import { provisionedConcurrencyOf, type PreflightPlan } from '../../scripts/preflight/preflight-plan';
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from '../../support/moto';
import { seedBootstrap, type BootstrapSeed } from '../../support/moto-bootstrap';

const TOOLING = '999999999999';
const QA = '111111111111';
const CONNECTION = `arn:aws:codeconnections:eu-central-1:${TOOLING}:connection/00000000-0000-4000-8000-000000000000`;

/** A stage `qa` in eu-central-1 with backup to eu-west-1, provisioning 4, as an adopter's config would give. */
const PLAN: PreflightPlan = {
  qualifier: 'hnb659fds',
  versionParameter: '/cdk-bootstrap/hnb659fds/version',
  tooling: {
    account: TOOLING,
    regions: ['eu-central-1', 'eu-west-1'],
    connectionArn: CONNECTION,
    requiredBootstrapVersion: 21,
  },
  stages: [
    {
      stage: 'qa',
      account: QA,
      regions: ['eu-central-1', 'eu-west-1'],
      primaryRegion: 'eu-central-1',
      backupRegions: ['eu-central-1', 'eu-west-1'],
      requiredBootstrapVersion: 21,
      provisionedConcurrency: 4,
    },
  ],
};

const FULL_BOOTSTRAP: BootstrapSeed[] = [
  { account: TOOLING, region: 'eu-central-1' },
  { account: TOOLING, region: 'eu-west-1' },
  { account: QA, region: 'eu-central-1', trust: [TOOLING] },
  { account: QA, region: 'eu-west-1', trust: [TOOLING] },
];

let moto: MotoServer;
const lambda = mockClient(LambdaClient);
const connections = mockClient(CodeStarConnectionsClient);
const backup = mockClient(BackupClient);

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
}, 150_000);

afterAll(async () => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await moto?.stop();
});

beforeEach(async () => {
  // Every test starts from an empty emulator.
  await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  lambda.reset();
  connections.reset();
  backup.reset();
  lambda
    .on(GetAccountSettingsCommand)
    .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  connections
    .on(GetConnectionCommand)
    .resolves({ Connection: { ConnectionArn: CONNECTION, ConnectionStatus: 'AVAILABLE' } });
  backup.on(DescribeRegionSettingsCommand).resolves({ ResourceTypeManagementPreference: { DynamoDB: true } });
});

async function preflight(plan: PreflightPlan = PLAN, argv: string[] = ['--stage', 'qa']) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPreflightCommand([...argv, '--endpoint-url', moto.endpoint], {
    plan: () => plan,
    checkCredentials: async () => undefined,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const row = (text: string, check: string, where: string) =>
  text.split('\n').find((l) => l.startsWith(check) && l.includes(where)) ?? `no ${check} row for ${where}`;

describe('npm run preflight against an empty account (moto)', () => {
  it('exits 1 with a table that names the missing bootstrap in every region, with its fix', async () => {
    const result = await preflight();
    expect(result.code).toBe(EXIT.failed);
    for (const where of [`${TOOLING}/eu-central-1`, `${TOOLING}/eu-west-1`, `${QA}/eu-central-1`, `${QA}/eu-west-1`])
      expect(row(result.out, 'bootstrap stack', where)).toMatch(
        /FAIL +not bootstrapped: stack CDKToolkit does not exist/,
      );
    expect(row(result.out, 'bootstrap version', `${QA}/eu-west-1`)).toContain(
      'SSM parameter /cdk-bootstrap/hnb659fds/version does not exist',
    );
    expect(row(result.out, 'bootstrap trust', `${QA}/eu-central-1`)).toContain(
      `missing: cdk-hnb659fds-deploy-role-${QA}-eu-central-1`,
    );
    expect(result.out).toContain(`fix: npx cdk bootstrap aws://${QA}/eu-central-1 --trust ${TOOLING}`);
    expect(result.out).toMatch(/preflight FAILED: \d+ pass, \d+ fail, 0 could not check/);
    expect(result.err).toBe('');
  });

  it('passes every row once the bootstrap, connection, concurrency and Backup settings are in place', async () => {
    await seedBootstrap(moto.endpoint, FULL_BOOTSTRAP);
    const { code, out } = await preflight();
    expect(out).not.toMatch(/FAIL|COULD NOT CHECK/);
    expect(row(out, 'bootstrap version', `${QA}/eu-central-1`)).toContain('is 30 (needs 21 or later)');
    expect(row(out, 'bootstrap trust', `${QA}/eu-west-1`)).toContain(`trust ${TOOLING}`);
    expect(row(out, 'lambda concurrency', `${QA}/eu-central-1`)).toContain('PASS');
    expect(code).toBe(EXIT.passed);
  });

  it('fails the trust row of a stage region bootstrapped without --trust, naming the roles', async () => {
    await seedBootstrap(moto.endpoint, [...FULL_BOOTSTRAP.slice(0, 3), { account: QA, region: 'eu-west-1' }]);
    const { code, out } = await preflight();
    expect(row(out, 'bootstrap trust', `${QA}/eu-west-1`)).toContain(
      `FAIL    not trusting the tooling account ${TOOLING}: cdk-hnb659fds-deploy-role-${QA}-eu-west-1, cdk-hnb659fds-file-publishing-role-${QA}-eu-west-1, cdk-hnb659fds-lookup-role-${QA}-eu-west-1`,
    );
    expect(row(out, 'bootstrap trust', `${QA}/eu-central-1`)).toContain('PASS');
    expect(code).toBe(EXIT.failed);
  });

  it('fails a bootstrap older than the assembly requires', async () => {
    await seedBootstrap(moto.endpoint, [
      ...FULL_BOOTSTRAP.slice(1),
      { account: TOOLING, region: 'eu-central-1', version: 20 },
    ]);
    const { code, out } = await preflight();
    expect(row(out, 'bootstrap version', `${TOOLING}/eu-central-1`)).toContain(
      '/cdk-bootstrap/hnb659fds/version is 20; this aws-cdk-lib needs 21 or later',
    );
    expect(code).toBe(EXIT.failed);
  });
});

describe('npm run preflight: rows moto does not model (aws-sdk-client-mock)', () => {
  beforeEach(async () => {
    await seedBootstrap(moto.endpoint, FULL_BOOTSTRAP);
  });

  it('fails a connection whose handshake is still PENDING', async () => {
    connections
      .on(GetConnectionCommand)
      .resolves({ Connection: { ConnectionArn: CONNECTION, ConnectionStatus: 'PENDING' } });
    const { code, out } = await preflight();
    expect(row(out, 'git connection', `${TOOLING}/eu-central-1`)).toContain(`${CONNECTION} is PENDING, not AVAILABLE`);
    expect(out).toContain('click Update pending connection');
    expect(code).toBe(EXIT.failed);
  });

  it("fails a new account's Lambda quota of 10 for a stage that provisions concurrency", async () => {
    lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 } });
    const { code, out } = await preflight();
    expect(row(out, 'lambda concurrency', `${QA}/eu-central-1`)).toContain(
      'account limit 10, unreserved 10; the stage provisions 4: Lambda keeps 100 unreserved, so it needs 104 unreserved',
    );
    expect(out).toContain('lower qa.provisionedConcurrency');
    expect(code).toBe(EXIT.failed);
  });

  it('passes exactly at the boundary: unreserved equal to provisioned + 100', async () => {
    lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 104, UnreservedConcurrentExecutions: 104 } });
    expect((await preflight()).code).toBe(EXIT.passed);
    lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 103, UnreservedConcurrentExecutions: 103 } });
    expect((await preflight()).code).toBe(EXIT.failed);
  });

  it("fails the DR region when AWS Backup's advanced DynamoDB features are off there", async () => {
    backup.on(DescribeRegionSettingsCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      return { ResourceTypeManagementPreference: { DynamoDB: region !== 'eu-west-1' } };
    });
    const { code, out } = await preflight();
    expect(row(out, 'backup dynamodb features', `${QA}/eu-west-1`)).toContain(
      'advanced DynamoDB backup features are off',
    );
    expect(row(out, 'backup dynamodb features', `${QA}/eu-central-1`)).toContain('PASS');
    expect(code).toBe(EXIT.failed);
  });

  it('reports a refused call as could not check, never as a pass, and exits 2 when nothing failed', async () => {
    backup.on(DescribeRegionSettingsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: backup:DescribeRegionSettings'), {
        name: 'AccessDeniedException',
      }),
    );
    const { code, out } = await preflight();
    expect(row(out, 'backup dynamodb features', `${QA}/eu-central-1`)).toContain(
      'COULD NOT CHECK  backup:DescribeRegionSettings failed: AccessDeniedException: User is not authorized',
    );
    expect(code).toBe(EXIT.couldNotCheck);
  });

  it('reports throttling as could not check', async () => {
    lambda
      .on(GetAccountSettingsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const { code, out } = await preflight();
    expect(row(out, 'lambda concurrency', `${QA}/eu-central-1`)).toContain('COULD NOT CHECK');
    expect(code).toBe(EXIT.couldNotCheck);
  });
});

describe('npm run preflight: credentials and command line', () => {
  it('prints one line naming what to set when there are no credentials, and exits 2', async () => {
    const err: string[] = [];
    const code = await runPreflightCommand(['--stage', 'qa'], {
      plan: () => PLAN,
      checkCredentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
      out: () => undefined,
      err: (t) => err.push(t),
    });
    expect(code).toBe(EXIT.couldNotCheck);
    expect(err).toHaveLength(1);
    expect(err[0].split('\n')).toHaveLength(1);
    expect(err[0]).toContain('Set AWS_PROFILE or pass --profile <name>');
    expect(err[0]).toContain('AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing');
  });

  it("turns every row of an account into could-not-check when the credentials are another account's", async () => {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    await seedBootstrap(moto.endpoint, FULL_BOOTSTRAP);
    const out: string[] = [];
    const code = await runPreflightCommand(['--stage', 'qa', '--endpoint-url', moto.endpoint], {
      plan: () => PLAN,
      checkCredentials: async () => undefined,
      callerAccount: async () => TOOLING,
      out: (t) => out.push(t),
      err: () => undefined,
    });
    const text = out.join('\n');
    expect(row(text, 'bootstrap trust', `${QA}/eu-central-1`)).toContain(
      `COULD NOT CHECK  the credentials are for account ${TOOLING}, not ${QA}: pass --profile ${QA}=<profile>`,
    );
    expect(row(text, 'bootstrap stack', `${TOOLING}/eu-central-1`)).toContain('PASS');
    expect(code).toBe(EXIT.couldNotCheck);
  });

  it('prints the usage for --help and exits 0', async () => {
    const out: string[] = [];
    expect(await runPreflightCommand(['--help'], { out: (t) => out.push(t) })).toBe(EXIT.passed);
    expect(out.join('\n')).toBe(USAGE);
  });

  it.each([
    [[], 'pass either --stage <name> or --all'],
    [['--all', '--stage', 'dev'], 'pass either --stage <name> or --all'],
    [['--stage'], '--stage needs a value'],
    [['--stage', 'dev', '--region', 'x'], 'unknown option --region'],
  ])('rejects %j with "%s"', (argv, message) => {
    expect(() => parsePreflightArgs(argv)).toThrow(message);
  });

  it('reads per-account profiles and a default profile', () => {
    expect(parsePreflightArgs(['--all', '--profile', 'ops', '--profile', `${QA}=qa-admin`])).toEqual({
      stages: [],
      endpointUrl: undefined,
      profile: 'ops',
      accountProfiles: { [QA]: 'qa-admin' },
    });
  });
});

describe('preflight helpers', () => {
  it('reads a URL-encoded trust policy as IAM returns it', () => {
    const doc = encodeURIComponent(
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${TOOLING}:root` } }],
      }),
    );
    expect(trustsAccount(doc, TOOLING)).toBe(true);
    expect(trustsAccount(doc, QA)).toBe(false);
    expect(trustsAccount(doc.replace('Allow', 'Deny'), TOOLING)).toBe(false);
  });

  it('sums provisioned concurrency over aliases', () => {
    const alias = (n?: number) => ({
      Type: 'AWS::Lambda::Alias',
      Properties: n === undefined ? {} : { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: n } },
    });
    expect(
      provisionedConcurrencyOf({ Resources: { A: alias(2), B: alias(3), C: alias(), D: { Type: 'AWS::SNS::Topic' } } }),
    ).toBe(5);
  });

  it('puts the fix under its row', () => {
    const rows: PreflightRow[] = [
      {
        check: 'bootstrap stack',
        where: `${QA}/eu-central-1`,
        result: 'FAIL',
        detail: 'not bootstrapped',
        fix: 'bootstrap it',
      },
      { check: 'git connection', where: `${TOOLING}/eu-central-1`, result: 'PASS', detail: 'AVAILABLE', fix: '' },
    ];
    expect(formatPreflightTable(rows).split('\n')).toEqual([
      'CHECK            ACCOUNT/REGION             RESULT  DETAIL',
      `bootstrap stack  ${QA}/eu-central-1  FAIL    not bootstrapped`,
      '                                                    fix: bootstrap it',
      `git connection   ${TOOLING}/eu-central-1  PASS    AVAILABLE`,
    ]);
  });
});

describe('npm run preflight -- --stage dev --endpoint-url (the command as an operator runs it)', () => {
  it('exits 1 against an empty moto server with a table naming the missing bootstrap and no stack trace', async () => {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    const root = path.join(__dirname, '..', '..');
    const run = spawnSync('npx', ['tsx', 'scripts/preflight.ts', '--stage', 'dev', '--endpoint-url', moto.endpoint], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_PROFILE: '' },
      timeout: 240_000,
    });
    expect(run.stdout).toMatch(
      /bootstrap stack +\d{12}\/[a-z0-9-]+ +FAIL +not bootstrapped: stack CDKToolkit does not exist/,
    );
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.status).toBe(EXIT.failed);
  }, 300_000);
});
