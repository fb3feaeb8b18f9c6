import {
  CloudFormationClient,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  deployedNestedTemplates,
  nestedStackIds,
  synthesizedNestedTemplates,
} from '../../../../lambda/pipeline/private/change-review/nested-stacks';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const nestedTemplate = { Resources: { Table: { Type: 'AWS::DynamoDB::Table' } } };
/** A TemplateURL as CDK's NestedStack writes it: the asset bucket and `<hash>.json`. */
const templateUrl = (key: string) => ({
  'Fn::Join': [
    '',
    ['https://s3.eu-west-2.', { Ref: 'AWS::URLSuffix' }, '/cdk-hnb659fds-assets-333333333333-eu-west-2/', key],
  ],
});
const parent = (properties: unknown, metadata?: Record<string, unknown>) => ({
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    Search: { Type: 'AWS::CloudFormation::Stack', Properties: properties, ...(metadata ? { Metadata: metadata } : {}) },
  },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nested-stacks-'));
  writeFileSync(path.join(dir, 'Search.nested.template.json'), JSON.stringify(nestedTemplate));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const manifest = (name: string, files: unknown) => writeFileSync(path.join(dir, name), JSON.stringify({ files }));

describe('nestedStackIds', () => {
  it('lists only the nested stacks a template declares, and none for a missing template', () => {
    expect(nestedStackIds(parent({}))).toEqual(['Search']);
    expect(nestedStackIds(undefined)).toEqual([]);
    expect(nestedStackIds({})).toEqual([]);
    expect(nestedStackIds({ Resources: { Gone: null, ...parent({}).Resources } })).toEqual(['Search']);
  });
});

describe('synthesizedNestedTemplates', () => {
  it('reads the template the aws:asset:path metadata names', () => {
    const t = parent({ TemplateURL: 'https://example.com/x' }, { 'aws:asset:path': 'Search.nested.template.json' });
    expect(synthesizedNestedTemplates(t, dir, 'Prod-Service')).toEqual(new Map([['Search', nestedTemplate]]));
  });

  it('finds the template by the object key its TemplateURL points to, in the *.assets.json manifests only', () => {
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files: {} }));
    manifest('Other.assets.json', {});
    writeFileSync(path.join(dir, 'Empty.assets.json'), JSON.stringify({}));
    // cdk.out holds each asset's directory beside the manifests.
    mkdirSync(path.join(dir, `asset.${OTHER}`));
    manifest('Prod-Service.assets.json', {
      [OTHER]: {
        source: { path: 'Search.nested.template.json' },
        destinations: { d: { bucketName: 'b' }, e: { objectKey: `${HASH}.json` } },
      },
      // Listed after the asset that publishes the key: an asset without a source must not hide it.
      [HASH]: { source: { packaging: 'file' }, destinations: { d: { objectKey: `${HASH}.json` } } },
      ['c'.repeat(64)]: { destinations: { d: { objectKey: 'c.json' } } },
    });
    const t = parent({ TemplateURL: templateUrl(`${HASH}.json`) });
    expect(synthesizedNestedTemplates(t, dir, 'Prod-Service').get('Search')).toEqual(nestedTemplate);
  });

  it('finds the template by the asset hash when no destination names the object key', () => {
    manifest('Prod-Service.assets.json', {
      [HASH]: { source: { path: 'Search.nested.template.json' }, destinations: { d: { bucketName: 'b' } } },
    });
    expect(
      synthesizedNestedTemplates(parent({ TemplateURL: templateUrl(`${HASH}.json`) }), dir, 'P').get('Search'),
    ).toEqual(nestedTemplate);
    manifest('Prod-Service.assets.json', { [HASH]: { source: { path: 'Search.nested.template.json' } } });
    expect(
      synthesizedNestedTemplates(parent({ TemplateURL: templateUrl(`${HASH}.json`) }), dir, 'P').get('Search'),
    ).toEqual(nestedTemplate);
  });

  it.each([
    ['no metadata and no TemplateURL', parent(undefined)],
    ['a TemplateURL no asset publishes', parent({ TemplateURL: templateUrl(`${OTHER}.json`) })],
    [
      'metadata naming a file the assembly does not hold',
      parent({}, { 'aws:asset:path': 'Gone.nested.template.json' }),
    ],
  ])('fails, naming the nested stack, for %s', (_, template) => {
    manifest('Prod-Service.assets.json', {
      [HASH]: { source: { path: 'Search.nested.template.json' }, destinations: { d: { objectKey: `${HASH}.json` } } },
    });
    expect(() => synthesizedNestedTemplates(template, dir, 'Prod-Service')).toThrow(
      new Error(
        'the nested stack Prod-Service/Search has no template in the cloud assembly (neither aws:asset:path metadata nor an asset for its TemplateURL); the review cannot see what it holds',
      ),
    );
  });
});

describe('deployedNestedTemplates', () => {
  const cfn = mockClient(CloudFormationClient);
  const client = new CloudFormationClient({ region: 'eu-west-2' });
  beforeEach(() => cfn.reset());
  afterAll(() => cfn.restore());
  const nestedId = 'arn:aws:cloudformation:eu-west-2:333333333333:stack/Prod-Service-Search-1/abc';

  it('reads nothing for a stack without nested stacks', async () => {
    expect(await deployedNestedTemplates(client, 'Prod-Service', { Resources: {} }, 'Prod-Service')).toEqual(new Map());
    expect(cfn.calls()).toHaveLength(0);
  });

  it('reads each nested stack CloudFormation holds by its physical id', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'Queue',
          PhysicalResourceId: 'q',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
        {
          LogicalResourceId: 'Search',
          PhysicalResourceId: nestedId,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      ],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(nestedTemplate) });
    expect(await deployedNestedTemplates(client, 'Prod-Service', parent({}), 'Prod-Service')).toEqual(
      new Map([['Search', { stackId: nestedId, template: nestedTemplate }]]),
    );
    expect(cfn).toHaveReceivedCommandWith(ListStackResourcesCommand, { StackName: 'Prod-Service' });
    expect(cfn).toHaveReceivedCommandTimes(GetTemplateCommand, 1);
    expect(cfn).toHaveReceivedCommandWith(GetTemplateCommand, { StackName: nestedId, TemplateStage: 'Original' });
  });

  it('reads each of several nested stacks by its own physical id', async () => {
    const summary = (LogicalResourceId: string, ResourceType = 'AWS::CloudFormation::Stack') => ({
      LogicalResourceId,
      PhysicalResourceId: `${LogicalResourceId}-id`,
      ResourceType,
      ResourceStatus: 'CREATE_COMPLETE' as const,
      LastUpdatedTimestamp: new Date(),
    });
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [summary('Queue', 'AWS::SQS::Queue'), summary('Index'), summary('Search')],
    });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(nestedTemplate) });
    const t = { Resources: { ...parent({}).Resources, Index: { Type: 'AWS::CloudFormation::Stack' } } };
    expect(await deployedNestedTemplates(client, 'Prod-Service', t, 'Prod-Service')).toEqual(
      new Map([
        ['Search', { stackId: 'Search-id', template: nestedTemplate }],
        ['Index', { stackId: 'Index-id', template: nestedTemplate }],
      ]),
    );
  });

  it.each([
    ['CloudFormation does not hold', []],
    [
      'CloudFormation holds as another type',
      [
        {
          LogicalResourceId: 'Search',
          PhysicalResourceId: 'b',
          ResourceType: 'AWS::S3::Bucket',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      ],
    ],
    [
      'CloudFormation lists without a physical id',
      [
        {
          LogicalResourceId: 'Search',
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_FAILED',
          LastUpdatedTimestamp: new Date(),
        },
      ],
    ],
  ])('leaves out a nested stack %s', async (_, summaries) => {
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: summaries as StackResourceSummary[] });
    expect(await deployedNestedTemplates(client, 'Prod-Service', parent({}), 'Prod-Service')).toEqual(new Map());
    expect(cfn).toHaveReceivedCommandTimes(GetTemplateCommand, 0);
  });

  it('names the nested stack when its template cannot be read', async () => {
    cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          LogicalResourceId: 'Search',
          PhysicalResourceId: nestedId,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      ],
    });
    cfn.on(GetTemplateCommand).resolves({});
    await expect(deployedNestedTemplates(client, 'Prod-Service', parent({}), 'Prod-Service')).rejects.toThrow(
      new Error('GetTemplate Prod-Service/Search returned no template body'),
    );
  });
});
