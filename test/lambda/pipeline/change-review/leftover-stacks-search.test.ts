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
import { awsError } from '../../../support/aws-error';

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

/** Searches the prod stage's region, as the stubs answer, with no stack in the assembly. */
const searchAsAnswered = () =>
  findLeftoverStacks({
    identity: { namePrefix: 'Prod-', tags: TAGS, regions: [REGION] },
    assemblyStacks: [],
    cloudFormationIn: (region) => new CloudFormationClient({ region }),
    call,
  });

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
        stackId: expect.stringMatching(/^arn:aws:cloudformation:eu-west-2:\d{12}:stack\/Prod-Search\//),
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
    const result = await searchAsAnswered();
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
    expect(result.untagged).toEqual([]);
  });

  it('never lists a stack of the assembly as untagged, even one deployed without the stage tags', async () => {
    const result = await search({
      'Prod-Service': { template: template({ Jobs: queue() }), tags: { team: 'other' } },
      'Prod-Legacy': { template: template({ Files: BUCKET }), tags: { team: 'other' } },
    });
    expect(result).toEqual({
      leftovers: [],
      untagged: [expect.objectContaining({ stackName: 'Prod-Legacy' })],
      errors: [],
    });
  });

  it('judges a resource the original template does not declare (a transform added it) by its type', async () => {
    answerDeployed(cfn, { 'Prod-Old': { template: template({ Jobs: queue(), UsersTable: table('pk', 'Delete') }) } });
    // GetTemplate's Original stage is the template as submitted, before transforms and macros add resources:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template({ Jobs: queue() })) });
    const result = await searchAsAnswered();
    expect(result.leftovers.map((l) => l.retained)).toEqual([
      [
        {
          logicalId: 'UsersTable',
          type: 'AWS::DynamoDB::Table',
          physicalId: 'UsersTable-phys',
          retainedBecause: 'AWS::DynamoDB::Table holds its items',
        },
      ],
    ]);
  });

  it('names the nested stack whose template cannot be read', async () => {
    answerDeployed(cfn, {
      'Prod-Old': {
        template: template({ Index: { Type: 'AWS::CloudFormation::Stack', Properties: {} } }),
        nested: { Index: template({ IndexTable: table('pk') }) },
      },
    });
    cfn.on(GetTemplateCommand, { StackName: 'Prod-Old-Index-NESTED' }).rejects(awsError('AccessDenied', 403));
    const result = await searchAsAnswered();
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^could not read what Prod-Old \(eu-west-2\) holds: GetTemplate Prod-Old\/Index failed: access denied/,
      ),
    ]);
  });

  it('names the region and the call when the listing is refused, and lists nothing there', async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError('AccessDenied', 403));
    expect(await searchAsAnswered()).toEqual({
      leftovers: [],
      untagged: [],
      errors: [
        expect.stringMatching(
          /^could not search eu-west-2 for stacks the stage no longer has: DescribeStacks in eu-west-2 failed: access denied/,
        ),
      ],
    });
  });

  it('skips a listed stack without a name, and gives one without a status the status UNKNOWN', async () => {
    // Every member of an SDK answer is optional in its types.
    const tags = Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }));
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ Tags: tags } as never, { StackName: 'Prod-Old', StackId: 'arn:old', Tags: tags } as never],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{"Resources":{}}' });
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    const result = await searchAsAnswered();
    expect(result.errors).toEqual([]);
    expect(result.leftovers.map((l) => [l.stackName, l.stackId, l.status])).toEqual([
      ['Prod-Old', 'arn:old', 'UNKNOWN'],
    ]);
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
    const result = await searchAsAnswered();
    expect(result.leftovers.map((l) => [l.stackName, l.terminationProtection])).toEqual([
      ['Prod-A', true],
      ['Prod-B', false],
    ]);
    expect(cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
    for (const c of cfn.commandCalls(DescribeStacksCommand))
      expect((c.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });
});
