import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { formatReport, parseArgs, parametersFromConfig, runCheckCommand, USAGE } from '../../scripts/check-command';
import { createCheckClients } from '../../lambda/pipeline/private/check-clients';
import { defaultContext } from '../support/context';
import { EXIT } from '../../scripts/operator-cli';
import type { StageMocks } from '../../support/check-fixtures';
import { HEALTHY_BODY, HOUR, mockHealthyStage, STACK_OUTPUTS, TABLES } from '../../support/check-fixtures';

describe('The operator check command line', () => {
  it('reads the check, stage and options', () => {
    expect(
      parseArgs([
        'dr',
        '--stage',
        'prod',
        '--endpoint-url=http://127.0.0.1:5000',
        '--region',
        'eu-west-1',
        '--verbose',
      ]),
    ).toEqual({
      check: 'dr',
      stage: 'prod',
      endpointUrl: 'http://127.0.0.1:5000',
      region: 'eu-west-1',
      roleArn: undefined,
      verbose: true,
    });
  });

  it.each([
    [['deploy', '--stage', 'prod'], 'first argument must be health, dr or journey, got "deploy"'],
    [['health'], '--stage is required'],
    [['health', '--stage'], '--stage needs a value'],
    [['health', '--stage', 'dev', '--colour', 'red'], 'unknown option --colour'],
  ])('rejects %j with "%s"', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('derives stack names, region and DR policy from cdk.json through the same Stage class as the pipeline', () => {
    const params = parametersFromConfig(defaultContext(), parseArgs(['dr', '--stage', 'prod']));
    expect(params).toMatchObject({
      stage: 'prod',
      region: 'eu-west-2',
      stackNames: expect.arrayContaining(['Prod-Stateful', 'Prod-Service']),
      roleArn: undefined,
    });
    expect(params.dr).toMatchObject({ drRegion: 'eu-west-1', restoreJobMaxAgeDays: 35 });
  });

  it("derives the journey's parameters from the stage's config, and refuses a stage that does not turn it on", () => {
    const context = { ...defaultContext(), 'staging.journey.enabled': true, 'staging.journey.timeoutMinutes': 7 };
    expect(parametersFromConfig(context, parseArgs(['journey', '--stage', 'staging']))).toEqual({
      stage: 'staging',
      region: 'eu-west-2',
      stackNames: ['Staging-Stateful', 'Staging-Service'],
      roleArn: undefined,
      journey: { readOnly: false, timeoutMinutes: 7 },
    });
    expect(() =>
      parametersFromConfig({ ...context, 'dev.journey.enabled': false }, parseArgs(['journey', '--stage', 'dev'])),
    ).toThrow('stage dev does not turn the acceptance journey on (dev.journey.enabled = false)');
  });

  it('refuses a DR check for a stage without backup, saying why', () => {
    expect(() => parametersFromConfig(defaultContext(), parseArgs(['dr', '--stage', 'dev']))).toThrow(
      'stage dev has no backup (dev.backup.enabled = false)',
    );
  });

  it('prints a table with one row per item and the verdict', () => {
    const text = formatReport({
      check: 'dr',
      stage: 'prod',
      passed: false,
      durationMs: 12,
      outcomes: [
        { name: 'pitr t', status: 'fail', detail: 'point-in-time recovery is DISABLED on table t' },
        { name: 'vault', status: 'pass', detail: 'v exists' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'STATUS  ITEM    DETAIL',
      'FAIL    pitr t  point-in-time recovery is DISABLED on table t',
      'PASS    vault   v exists',
      '',
      'prod dr check FAILED in 12 ms',
    ]);
  });

  describe('run against a mocked stage', () => {
    let mocks: StageMocks;
    beforeEach(() => {
      mocks = mockHealthyStage();
      // Whatever stack names cdk.json gives the stage, each answers with all of the fake stage's outputs.
      const outputs = Object.values(STACK_OUTPUTS)
        .flatMap((o) => Object.entries(o))
        .map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
      mocks.cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => ({
        Stacks: [
          {
            StackName: input.StackName,
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(Date.now() - 1000 * HOUR),
            Outputs: outputs,
          },
        ],
      }));
    });
    afterEach(() => mocks.restore());
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const code = await runCheckCommand(argv, {
        context: defaultContext(),
        createClients: (o) =>
          createCheckClients({ ...o, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }),
        httpGet: async () => ({ status: 200, body: HEALTHY_BODY }),
        checkCredentials: async () => undefined,
        out: (t) => out.push(t),
        err: (t) => out.push(t),
      });
      return { code, text: out.join('\n') };
    };

    it('exits 64 with the usage when the arguments are wrong', async () => {
      const { code, text } = await run(['health']);
      expect(code).toBe(EXIT.usage);
      expect(text).toContain('Usage: npm run check --');
    });

    it('exits 0 and prints PASSED when the stage health check passes', async () => {
      const { code, text } = await run(['health', '--stage', 'staging']);
      expect(text).toContain('staging health check PASSED');
      expect(code).toBe(0);
    });

    it('prints the usage for --help and exits 0', async () => {
      const { code, text } = await run(['--help']);
      expect(text).toBe(USAGE);
      expect(code).toBe(EXIT.passed);
    });

    it('exits 2 with one line naming what to set when there are no credentials', async () => {
      const err: string[] = [];
      const code = await runCheckCommand(['health', '--stage', 'staging'], {
        context: defaultContext(),
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
      expect(err[0]).toMatch(
        /^check: could not check: no AWS credentials \(Could not load credentials from any providers\)\. Set AWS_PROFILE or pass --profile <name>/,
      );
      expect(err[0]).not.toContain('\n');
    });

    it('exits 2, not 1, when the only failures are calls AWS refused', async () => {
      mocks.ddb.on(DescribeTableCommand).rejects(
        Object.assign(new Error('not authorized to perform dynamodb:DescribeTable'), {
          name: 'AccessDeniedException',
        }),
      );
      const { code, text } = await run(['health', '--stage', 'staging']);
      expect(text).toMatch(/FAIL\s+\S+.*access denied/);
      expect(text).toContain('check: could not check ');
      expect(code).toBe(EXIT.couldNotCheck);
    });

    it('exits 1 and names the table when the DR check fails', async () => {
      mocks.ddb.on(DescribeContinuousBackupsCommand, { TableName: TABLES[2] }).resolves({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      });
      const { code, text } = await run(['dr', '--stage', 'staging']);
      expect(text).toMatch(new RegExp(`FAIL\\s+pitr ${TABLES[2]}`));
      expect(text).toContain('staging dr check FAILED');
      expect(code).toBe(1);
    });
  });
});
