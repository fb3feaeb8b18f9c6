import { readFileSync } from 'fs';
import * as path from 'path';
import { loadConfig } from '../../lib/config';
import { bootstrapCommands, executionPolicyArn } from '../../scripts/preflight/bootstrap-commands';
import { stageRegions } from '../../scripts/preflight/bootstrap-environments';
import { preflightPlan } from '../../scripts/preflight/preflight-plan';
import { fixtureContext } from '../config/fixtures/production-context';
import { defaultContext } from '../support/context';

/** An adopter's config: everything moved to eu-central-1, and a stage `qa` added between `test` and `live`. */
const ADOPTED = fixtureContext({
  'pipeline.region': 'eu-central-1',
  'pipeline.connectionArn':
    'arn:aws:codeconnections:eu-central-1:999999999999:connection/00000000-0000-4000-8000-000000000000',
  'pipeline.stages': ['test', 'qa', 'live'],
  'test.region': 'eu-central-1',
  'test.drRegion': 'eu-west-1',
  'qa.account': '222222222222',
  'qa.region': 'eu-central-1',
  'qa.drRegion': 'eu-west-3',
  'qa.backup.enabled': true,
  'live.region': 'eu-central-1',
  'live.drRegion': 'eu-west-1',
  'live.waf.enabled': true,
});

describe('npm run bootstrap-commands', () => {
  const commands = bootstrapCommands(loadConfig(ADOPTED)).filter((c) => !c.startsWith('#'));
  const policy = (account: string) => `--cloudformation-execution-policies ${executionPolicyArn(account)}`;
  const createPolicy = (profile: string) =>
    `aws iam create-policy --policy-name uk-home-improvement-cfn-execution --policy-document file://bootstrap/cloudformation-execution-policy.json --profile ${profile}`;

  it('prints the exact commands for every account and region, in an order that works', () => {
    expect(commands).toEqual([
      'npx cdk bootstrap aws://999999999999/eu-central-1 aws://999999999999/eu-west-3 aws://999999999999/eu-west-1 aws://999999999999/us-east-1 --profile tooling-admin',
      createPolicy('test-admin'),
      `npx cdk bootstrap aws://111111111111/eu-central-1 --profile test-admin --trust 999999999999 ${policy('111111111111')}`,
      createPolicy('qa-admin'),
      `npx cdk bootstrap aws://222222222222/eu-central-1 aws://222222222222/eu-west-3 --profile qa-admin --trust 999999999999 ${policy('222222222222')}`,
      createPolicy('live-admin'),
      `npx cdk bootstrap aws://333333333333/eu-central-1 aws://333333333333/eu-west-1 aws://333333333333/us-east-1 --profile live-admin --trust 999999999999 ${policy('333333333333')}`,
      'npm run preflight -- --all --profile 999999999999=tooling-admin --profile 111111111111=test-admin --profile 222222222222=qa-admin --profile 333333333333=live-admin',
      'npx cdk deploy PipelineStack --profile tooling-admin',
    ]);
  });

  it('bootstraps every region of the tooling account before the pipeline is deployed, and runs preflight first', () => {
    const deploy = commands.findIndex((c) => c.startsWith('npx cdk deploy PipelineStack'));
    const preflight = commands.findIndex((c) => c.startsWith('npm run preflight'));
    const tooling = commands.findIndex((c) => c.includes('aws://999999999999/'));
    expect(tooling).toBeLessThan(preflight);
    expect(preflight).toBeLessThan(deploy);
    for (const region of ['eu-central-1', 'eu-west-3', 'eu-west-1', 'us-east-1'])
      expect(commands[tooling]).toContain(`aws://999999999999/${region}`);
    expect(commands.join('\n')).not.toContain('eu-west-2');
  });

  it('uses the generated execution policy, created in each stage account before its bootstrap, never AdministratorAccess', () => {
    expect(commands.join('\n')).not.toContain('AdministratorAccess');
    expect(policy('111111111111')).toContain('arn:aws:iam::111111111111:policy/uk-home-improvement-cfn-execution');
    for (const [profile, account] of [
      ['test-admin', '111111111111'],
      ['live-admin', '333333333333'],
    ]) {
      const create = commands.indexOf(createPolicy(profile));
      const bootstrap = commands.findIndex((c) => c.includes(policy(account)));
      expect(create).toBeGreaterThanOrEqual(0);
      expect(create).toBeLessThan(bootstrap);
    }
  });

  it('creates the execution policy once in an account that two stages share', () => {
    const shared = fixtureContext({
      'pipeline.allowSharedStageAccounts': true,
      'test.account': '333333333333',
      'test.region': 'eu-west-3',
      'live.region': 'eu-west-2',
    });
    const printed = bootstrapCommands(loadConfig(shared));
    expect(printed.filter((c) => c.startsWith('aws iam create-policy'))).toEqual([createPolicy('test-admin')]);
  });

  it('passes a non-default qualifier to every bootstrap', () => {
    const withQualifier = bootstrapCommands(loadConfig(ADOPTED), { qualifier: 'acme1' }).filter((c) =>
      c.startsWith('npx cdk bootstrap'),
    );
    expect(withQualifier).toHaveLength(4);
    for (const c of withQualifier) expect(c).toMatch(/ --qualifier acme1$/);
  });

  it.each(['test', 'live'])(
    'derives from config the same regions as the synthesized %s stage deploys to',
    (stage) => {
      const config = loadConfig(ADOPTED);
      const plan = preflightPlan(ADOPTED, [stage]);
      expect([...plan.stages[0].regions].sort()).toEqual(
        stageRegions(config.stages.find((s) => s.name === stage)!).sort(),
      );
    },
    120_000,
  );
});

describe("The README's roll-out", () => {
  it('shows the bootstrap commands npm run bootstrap-commands prints for cdk.json, preflight before the first deploy', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const printed = bootstrapCommands(loadConfig(defaultContext())).filter(
      (c) => c.startsWith('npx cdk bootstrap') || c.startsWith('aws iam create-policy'),
    );
    expect(printed.filter((c) => c.startsWith('aws iam create-policy'))).toHaveLength(3);
    for (const command of printed) expect(readme).toContain(command);
    expect(readme.indexOf('npm run preflight -- --all')).toBeLessThan(
      readme.indexOf('npx cdk deploy PipelineStack --profile tooling-admin'),
    );
  });
});
