import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { findLeftoverStacks } from '../../../../lambda/pipeline/private/change-review/leftover-stacks';
import { leftoverLines } from '../../../../lambda/pipeline/private/change-review/render-report';
import type { DeployedStackState } from './fixtures/hand-assembly';
import { answerDeployed, REGION, TAGS } from './fixtures/hand-assembly';
import { BUCKET, queue, table, template } from './fixtures/templates';

const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());
afterAll(() => cfn.restore());

const OTHER_REGION = 'us-east-1';
const call = { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 };

/** Searches `regions` for the prod stage's stacks, with `inAssembly` the stacks the assembly still holds. */
function search(
  deployed: Record<string, DeployedStackState>,
  inAssembly: { stackName: string; region: string }[] = [{ stackName: 'Prod-Service', region: REGION }],
  regions = [REGION],
  unreadableRegions?: Map<string, string>,
) {
  answerDeployed(cfn, deployed);
  return findLeftoverStacks({
    identity: { namePrefix: 'Prod-', tags: TAGS, regions },
    assemblyStacks: inAssembly,
    cloudFormationIn: (region) => new CloudFormationClient({ region }),
    unreadableRegions,
    call,
  });
}

describe('findLeftoverStacks (hand-written stacks)', () => {
  it('finds a stage stack the assembly no longer has, with each retained resource, nested ones by path', async () => {
    const result = await search({
      'Prod-Service': { template: template({ Jobs: queue() }) },
      'Prod-Search': {
        template: template({ Jobs: queue(), Index: { Type: 'AWS::CloudFormation::Stack', Properties: {} } }),
        nested: { Index: template({ IndexTable: table('pk') }) },
        physicalIds: {},
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.leftovers).toEqual([
      expect.objectContaining({
        stackName: 'Prod-Search',
        region: REGION,
        status: 'UPDATE_COMPLETE',
        terminationProtection: false,
        retained: [
          {
            logicalId: 'Index/IndexTable',
            type: 'AWS::DynamoDB::Table',
            physicalId: 'IndexTable-phys',
            retainedBecause: 'DeletionPolicy Retain',
          },
        ],
      }),
    ]);
  });

  it('finds nothing left over on a first run: an account with no stack', async () => {
    expect(await search({})).toEqual({ leftovers: [], untagged: [], errors: [] });
  });

  it('counts a stack of the same name in another region as left over (the stage moved it)', async () => {
    const result = await search(
      { 'Prod-Service': { template: template({ Files: BUCKET }), region: OTHER_REGION } },
      [{ stackName: 'Prod-Service', region: REGION }],
      [REGION, OTHER_REGION],
    );
    expect(result.leftovers.map((l) => [l.stackName, l.region, l.retained.map((r) => r.logicalId)])).toEqual([
      ['Prod-Service', OTHER_REGION, ['Files']],
    ]);
  });

  it('lists a left stack that holds nothing retained, with the command that deletes it', async () => {
    const result = await search({ 'Prod-Old': { template: template({ Jobs: queue() }) } });
    expect(result.leftovers.map((l) => l.retained)).toEqual([[]]);
    expect(leftoverLines('prod', result.leftovers)).toEqual([
      `- Prod-Old (${REGION}, UPDATE_COMPLETE): holds nothing retained; \`npm run cleanup -- --stage prod --delete\` deletes it`,
    ]);
  });

  it('never judges a stack that has the prefix but not the stage tags, nor one that lacks the prefix', async () => {
    const result = await search({
      'Prod-Legacy': { template: template({ Files: BUCKET }), tags: { team: 'other' } },
      'Staging-Old': { template: template({ Files: BUCKET }) },
    });
    expect(result.leftovers).toEqual([]);
    expect(result.untagged.map((u) => u.stackName)).toEqual(['Prod-Legacy']);
  });

  it('names a left stack whose resources cannot be read as unreadable, never as holding nothing', async () => {
    answerDeployed(cfn, { 'Prod-Old': { template: template({ Files: BUCKET }) } });
    cfn
      .on(GetTemplateCommand)
      .rejects(
        Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      );
    const result = await findLeftoverStacks({
      identity: { namePrefix: 'Prod-', tags: TAGS, regions: [REGION] },
      assemblyStacks: [],
      cloudFormationIn: (region) => new CloudFormationClient({ region }),
      call,
    });
    const reason = `could not read what Prod-Old (${REGION}) holds: GetTemplate Prod-Old failed: access denied (AccessDenied: not authorized); check the stage's check role policy`;
    expect(result.errors).toEqual([reason]);
    expect(result.leftovers).toEqual([
      expect.objectContaining({ stackName: 'Prod-Old', retained: [], unreadable: reason }),
    ]);
    expect(leftoverLines('prod', result.leftovers)[0]).toContain('what it holds could not be read');
  });

  it('reports a refused region without calling it, and still searches the others', async () => {
    const result = await search(
      { 'Prod-Old': { template: template({ Files: BUCKET }), region: OTHER_REGION } },
      [],
      [REGION, OTHER_REGION],
      new Map([[REGION, 'role refused in eu-west-2']]),
    );
    expect(result.errors).toEqual(['role refused in eu-west-2']);
    expect(result.leftovers.map((l) => l.stackName)).toEqual(['Prod-Old']);
  });

  it('reads every page of the listing and skips nested stacks it lists', async () => {
    const listed = (StackName: string, extra: object = {}) => ({
      StackName,
      StackId: `arn:aws:cloudformation:${REGION}:111111111111:stack/${StackName}/1`,
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(0),
      Tags: Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value })),
      ...extra,
    });
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [listed('Prod-A', { EnableTerminationProtection: true })], NextToken: 'page-2' })
      .resolves({ Stacks: [listed('Prod-A-Nested', { ParentId: 'arn:parent' }), listed('Prod-B')] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{"Resources":{}}' });
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    const result = await findLeftoverStacks({
      identity: { namePrefix: 'Prod-', tags: TAGS, regions: [REGION] },
      assemblyStacks: [],
      cloudFormationIn: (region) => new CloudFormationClient({ region }),
      call,
    });
    expect(result.leftovers.map((l) => [l.stackName, l.terminationProtection])).toEqual([
      ['Prod-A', true],
      ['Prod-B', false],
    ]);
    expect(cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
  });
});
