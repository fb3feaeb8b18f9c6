import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { ChangeReviewParameters } from '../../../../contracts/change-review-parameters';
import { CheckFailure } from '../../../../lambda/pipeline/private/aws-call';
import { renderReport } from '../../../../lambda/pipeline/private/change-review/render-report';
import type { ChangeReviewContext } from '../../../../lambda/pipeline/private/change-review/run-change-review';
import { runChangeReview } from '../../../../lambda/pipeline/private/change-review/run-change-review';
import { createLogger } from '../../../../lambda/shared/logger';
import type { DeployedStackState, HandStack } from './fixtures/hand-assembly';
import { ACCOUNT, answerDeployed, REGION, TAGS, writeAssembly } from './fixtures/hand-assembly';
import { BUCKET, queue, table, template } from './fixtures/templates';
import { awsError } from '../../../support/aws-error';

const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());
afterAll(() => cfn.restore());

const STATEFUL = (key = 'pk') => template({ UsersTable: table(key) });
const SERVICE = template({ Jobs: queue('jobs') });
/** The service stack as deployed with its nested stack `Search`. */
const SERVICE_WITH_SEARCH = template({
  ...(SERVICE.Resources as object),
  Search: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/Search.json' } },
});

function params(over: Partial<ChangeReviewParameters> = {}): ChangeReviewParameters {
  return {
    stage: 'prod',
    account: ACCOUNT,
    region: REGION,
    stackNames: ['Prod-Stateful', 'Prod-Service'],
    stageStacks: { namePrefix: 'Prod-', tags: TAGS, regions: [REGION] },
    policy: { allowReplace: [], failOnDrift: true },
    ...over,
  };
}

/** Runs the review of the hand-written assembly `stacks` against what `deployed` holds. */
async function review(
  stacks: Record<string, HandStack>,
  deployed: Record<string, DeployedStackState>,
  over: Partial<ChangeReviewParameters> = {},
  ctx: Partial<ChangeReviewContext> = {},
  /** Stubs CloudFormation further, after it answers for `deployed`. */
  stub: () => void = () => undefined,
) {
  answerDeployed(cfn, deployed);
  stub();
  const regions: string[] = [];
  return runChangeReview(
    {
      params: params(over),
      assemblyDir: writeAssembly(stacks),
      cloudFormationIn: (region) => {
        regions.push(region);
        return new CloudFormationClient({ region });
      },
      log: createLogger({ stage: 'test' }, () => undefined),
      now: () => new Date('2026-01-02T03:04:05Z'),
      call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 2 },
      drift: { sleep: async () => undefined, pollIntervalMs: 1, timeoutMs: 1000 },
      ...ctx,
    },
    { source: 'pipeline', executionId: 'exec-1', commit: 'abc1234' },
  );
}

const ASSEMBLY = { 'Prod-Stateful': { template: STATEFUL() }, 'Prod-Service': { template: SERVICE } };

describe('runChangeReview over a hand-written assembly', () => {
  it('passes a first deployment: nothing deployed, everything added, nothing can drift', async () => {
    const report = await review(ASSEMBLY, {});
    expect(report.passed).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.stacks.map((s) => [s.stackName, s.deployed])).toEqual([
      ['Prod-Stateful', false],
      ['Prod-Service', false],
    ]);
    expect(report.drift).toEqual([
      { stackName: 'Prod-Stateful', status: 'NOT_DEPLOYED', drifted: [] },
      { stackName: 'Prod-Service', status: 'NOT_DEPLOYED', drifted: [] },
    ]);
    expect(report.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(report.breakGlass).toEqual([]);
    // Drift detection is never started on a stack that does not exist.
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
    expect(renderReport(report)).toContain('First deployment of prod: none of its stacks exists yet');
  });

  it('fails a key change of a retained table with the finding an operator reads', async () => {
    const report = await review(
      { ...ASSEMBLY, 'Prod-Stateful': { template: STATEFUL('userId') } },
      { 'Prod-Stateful': { template: STATEFUL() }, 'Prod-Service': { template: SERVICE } },
    );
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([
      'data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)',
    ]);
    expect(report.drift.map((d) => d.status)).toEqual(['IN_SYNC', 'IN_SYNC']);
  });

  it('passes the same change when changeReview.allowReplace names the table, and reports it as allowed', async () => {
    const report = await review(
      { ...ASSEMBLY, 'Prod-Stateful': { template: STATEFUL('userId') } },
      { 'Prod-Stateful': { template: STATEFUL() }, 'Prod-Service': { template: SERVICE } },
      {
        policy: {
          allowReplace: [{ logicalId: 'UsersTable', reason: 'rebuilt from the import job' }],
          failOnDrift: true,
        },
      },
    );
    expect(report.passed).toBe(true);
    expect(report.dataLoss.allowed.map((f) => f.logicalId)).toEqual(['UsersTable']);
  });

  it('fails on drift when failOnDrift is set, naming the resource and its status; reports it only otherwise', async () => {
    const deployed = {
      'Prod-Stateful': { template: STATEFUL() },
      'Prod-Service': {
        template: SERVICE,
        drifted: [
          {
            StackId: 'x',
            LogicalResourceId: 'Jobs',
            ResourceType: 'AWS::SQS::Queue',
            StackResourceDriftStatus: 'MODIFIED' as const,
            Timestamp: new Date(0),
          },
        ],
      },
    };
    const failing = await review(ASSEMBLY, deployed);
    expect(failing.failures).toEqual(['drift: Prod-Service/Jobs (AWS::SQS::Queue) is MODIFIED outside CloudFormation']);
    expect(failing.passed).toBe(false);
    expect(failing.failOnDrift).toBe(true);
    const reported = await review(ASSEMBLY, deployed, { policy: { allowReplace: [], failOnDrift: false } });
    expect(reported.passed).toBe(true);
    expect(reported.failOnDrift).toBe(false);
    expect(reported.drift.find((d) => d.stackName === 'Prod-Service')?.status).toBe('DRIFTED');
  });

  it('names a refused region once, however many stacks live there, and fails', async () => {
    const report = await review(
      ASSEMBLY,
      {},
      {},
      { unreadableRegions: new Map([[REGION, 'role refused in eu-west-2']]) },
    );
    expect(report.unchecked).toEqual(['role refused in eu-west-2']);
    expect(report.failures).toEqual(['could not check: role refused in eu-west-2']);
    expect(report.passed).toBe(false);
    expect(report.stacks).toEqual([]);
    expect(cfn.calls()).toHaveLength(0);
  });

  it('fails for a stack in the middle of an operation, and still reviews the other stack', async () => {
    const report = await review(
      { ...ASSEMBLY, 'Prod-Stateful': { template: STATEFUL('userId') } },
      {
        'Prod-Stateful': { template: STATEFUL() },
        'Prod-Service': { template: SERVICE, status: 'UPDATE_IN_PROGRESS' },
      },
    );
    expect(report.failures).toEqual([
      'data loss: Prod-Stateful/UsersTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)',
      'could not check: stack Prod-Service is UPDATE_IN_PROGRESS; review again when the operation has finished',
    ]);
    expect(report.stacks.map((s) => s.stackName)).toEqual(['Prod-Stateful']);
  });

  it('fails when drift detection cannot run, keeping the stack changes', async () => {
    answerDeployed(cfn, { 'Prod-Stateful': { template: STATEFUL() }, 'Prod-Service': { template: SERVICE } });
    cfn.on(DetectStackDriftCommand, { StackName: 'Prod-Service' }).rejects(
      Object.assign(new Error('User: review is not authorized to perform: cloudformation:DetectStackDrift'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const failed = await runChangeReview(
      {
        params: params(),
        assemblyDir: writeAssembly(ASSEMBLY),
        cloudFormationIn: (region) => new CloudFormationClient({ region }),
        log: createLogger({ stage: 'test' }, () => undefined),
        now: () => new Date(0),
        call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 },
      },
      { source: 'cli' },
    );
    expect(failed.failures).toEqual([
      expect.stringMatching(
        /^could not check: DetectStackDrift Prod-Service failed: access denied \(AccessDenied: User: /,
      ),
    ]);
    expect(failed.drift.map((d) => d.stackName)).toEqual(['Prod-Stateful']);
    expect(failed.stacks.map((s) => s.stackName)).toEqual(['Prod-Stateful', 'Prod-Service']);
  });

  it("reads a stack in its own region through that region's client", async () => {
    const report = await review(
      { ...ASSEMBLY, 'Prod-Service': { template: SERVICE, region: 'us-east-1' } },
      { 'Prod-Service': { template: template({}), region: 'us-east-1' } },
      {
        stackRegions: { 'Prod-Service': 'us-east-1' },
        stageStacks: { namePrefix: 'Prod-', tags: TAGS, regions: [REGION, 'us-east-1'] },
      },
    );
    const service = report.stacks.find((s) => s.stackName === 'Prod-Service')!;
    expect(service).toEqual(expect.objectContaining({ region: 'us-east-1', deployed: true }));
    expect(service.resources.map((r) => [r.logicalId, r.kind])).toEqual([['Jobs', 'added']]);
    expect(report.stacks.find((s) => s.stackName === 'Prod-Stateful')).toEqual(
      expect.objectContaining({ region: REGION, deployed: false }),
    );
    expect(report.leftovers).toEqual([]);
  });

  it("refuses an assembly that lacks a stack of the stage (it is not this execution's)", async () => {
    await expect(review({ 'Prod-Stateful': { template: STATEFUL() } }, {})).rejects.toThrow(
      expect.any(CheckFailure) as never,
    );
    await expect(review({ 'Prod-Stateful': { template: STATEFUL() } }, {})).rejects.toThrow(
      /has no stack Prod-Service for account 111111111111/,
    );
    await expect(
      review({ ...ASSEMBLY, 'Prod-Service': { template: SERVICE, account: '999999999999' } }, {}),
    ).rejects.toThrow(/has no stack Prod-Service for account 111111111111/);
  });

  it('reviews nested stacks: a retained table of a nested stack whose key changes is a finding named by its path', async () => {
    const report = await review(
      { ...ASSEMBLY, 'Prod-Service': { template: SERVICE, nested: { Search: template({ IndexTable: table('id') }) } } },
      {
        'Prod-Stateful': { template: STATEFUL() },
        'Prod-Service': {
          template: SERVICE_WITH_SEARCH,
          nested: { Search: template({ IndexTable: table('pk') }) },
        },
      },
    );
    expect(report.stacks.map((s) => [s.stackName, s.nestedPath ?? []])).toEqual([
      ['Prod-Stateful', []],
      ['Prod-Service', []],
      ['Prod-Service', ['Search']],
    ]);
    expect(report.failures).toEqual([
      'data loss: Prod-Service/Search/IndexTable (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)',
    ]);
  });

  it('treats a nested stack new in this update as added, and one that leaves as removed', async () => {
    const report = await review(
      { ...ASSEMBLY, 'Prod-Service': { template: SERVICE, nested: { Search: template({ IndexTable: table('pk') }) } } },
      { 'Prod-Stateful': { template: STATEFUL() }, 'Prod-Service': { template: SERVICE } },
    );
    const nested = report.stacks.find((s) => s.nestedPath?.[0] === 'Search')!;
    expect(nested).toEqual(expect.objectContaining({ deployed: false }));
    expect(nested.resources.map((r) => r.kind)).toEqual(['added']);
    expect(report.passed).toBe(true);
  });

  it('fails when a nested stack has no template in the assembly, naming it', async () => {
    const withBadNested = template({
      ...(SERVICE.Resources as object),
      Search: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/x.json' } },
    });
    const report = await review({ ...ASSEMBLY, 'Prod-Service': { template: withBadNested } }, {});
    expect(report.failures).toEqual([
      expect.stringMatching(
        /^could not check: the nested stack Prod-Service\/Search has no template in the cloud assembly/,
      ),
    ]);
  });

  it('finds a stack of the stage no longer in the assembly and fails for the retained bucket it keeps deployed', async () => {
    const report = await review(ASSEMBLY, {
      'Prod-Stateful': { template: STATEFUL() },
      'Prod-Service': { template: SERVICE },
      'Prod-Archive': {
        template: template({ Files: BUCKET, Jobs: queue() }),
        physicalIds: { Files: 'prod-archive-files' },
      },
      'Prod-Other': { template: template({ Files: BUCKET }), tags: { owner: 'someone-else' } },
    });
    expect(report.leftovers.map((l) => [l.stackName, l.retained.map((r) => r.logicalId)])).toEqual([
      ['Prod-Archive', ['Files']],
    ]);
    expect(report.untagged.map((u) => u.stackName)).toEqual(['Prod-Other']);
    expect(report.failures).toEqual([
      'data loss: Prod-Archive/Files (AWS::S3::Bucket) prod-archive-files stays deployed in eu-west-2, unmanaged: Prod-Archive is no longer in the assembly and CDK Pipelines never deletes it; it is retained (DeletionPolicy Retain)',
    ]);
  });

  it('fails when the search for leftover stacks is refused, naming the region', async () => {
    answerDeployed(cfn, {});
    cfn
      .on(DescribeStacksCommand, { NextToken: undefined })
      .rejects(
        Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      );
    const report = await runChangeReview(
      {
        params: params(),
        assemblyDir: writeAssembly(ASSEMBLY),
        cloudFormationIn: (region) => new CloudFormationClient({ region }),
        log: createLogger({ stage: 'test' }, () => undefined),
        now: () => new Date(0),
        call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 1 },
      },
      { source: 'cli' },
    );
    expect(report.passed).toBe(false);
    expect(report.failures.join('\n')).toContain('could not search eu-west-2 for stacks the stage no longer has');
  });

  it('fails for a stack in a refused region that the search for leftover stacks does not cover', async () => {
    const report = await review(
      ASSEMBLY,
      {},
      { stackRegions: { 'Prod-Service': 'us-east-1' } },
      { unreadableRegions: new Map([['us-east-1', 'role refused in us-east-1']]) },
    );
    expect(report.failures).toEqual(['could not check: role refused in us-east-1']);
    expect(report.passed).toBe(false);
    expect(report.stacks.map((s) => s.stackName)).toEqual(['Prod-Stateful']);
  });

  it('detects drift as the context says: its deadline and its sleep', async () => {
    const report = await review(
      ASSEMBLY,
      { 'Prod-Stateful': { template: STATEFUL() } },
      {},
      { drift: { sleep: async () => undefined, timeoutMs: 0 } },
      () => cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({ DetectionStatus: 'DETECTION_IN_PROGRESS' }),
    );
    expect(report.failures).toEqual(['could not check: drift detection of Prod-Stateful did not finish within 0 s']);
  });

  it('names a nested stack of a nested stack by its whole path when its template is missing', async () => {
    const lost = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/x.json' } };
    const report = await review(
      { ...ASSEMBLY, 'Prod-Service': { template: SERVICE, nested: { Search: template({ Index: lost }) } } },
      {},
    );
    expect(report.failures).toEqual([
      expect.stringMatching(/^could not check: the nested stack Prod-Service\/Search\/Index has no template/),
    ]);
  });

  it('lists nested stacks by logical id, whatever their order in the template', async () => {
    const report = await review(
      {
        ...ASSEMBLY,
        'Prod-Service': {
          template: SERVICE,
          nested: { Zeta: template({ Q: queue() }), Alpha: template({ Q: queue() }) },
        },
      },
      {},
    );
    expect(report.stacks.map((s) => [s.stackName, s.nestedPath ?? []])).toEqual([
      ['Prod-Stateful', []],
      ['Prod-Service', []],
      ['Prod-Service', ['Alpha']],
      ['Prod-Service', ['Zeta']],
    ]);
  });

  it('treats a nested stack that leaves the template as removed, with everything it holds', async () => {
    const report = await review(ASSEMBLY, {
      'Prod-Stateful': { template: STATEFUL() },
      'Prod-Service': {
        template: SERVICE_WITH_SEARCH,
        nested: { Search: template({ IndexTable: table('pk') }) },
      },
    });
    const nested = report.stacks.find((s) => s.nestedPath?.[0] === 'Search')!;
    expect(nested.resources.map((r) => [r.logicalId, r.kind])).toEqual([['IndexTable', 'removed']]);
    expect(report.failures).toEqual([
      'data loss: Prod-Service/Search/IndexTable (AWS::DynamoDB::Table) would be removed; it is retained (DeletionPolicy Retain)',
    ]);
  });

  it('logs each stack reviewed: deployed or not, its changes, its drift status or NOT_CHECKED, its errors', async () => {
    const lines: Record<string, unknown>[] = [];
    await review(
      {
        ...ASSEMBLY,
        'Prod-Stateful': { template: template({ ...(STATEFUL('userId').Resources as object), Jobs: queue() }) },
      },
      { 'Prod-Stateful': { template: STATEFUL() } },
      {},
      { log: createLogger({ stage: 'test' }, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) },
      () => cfn.on(DetectStackDriftCommand).rejects(awsError('AccessDenied', 403)),
    );
    const reviewed = lines
      .filter((l) => l.message === 'stack reviewed')
      .map(({ stackName, deployed, changes, drift, errors }) => ({ stackName, deployed, changes, drift, errors }))
      .sort((a, b) => String(a.stackName).localeCompare(String(b.stackName)));
    expect(reviewed).toEqual([
      { stackName: 'Prod-Service', deployed: false, changes: 1, drift: 'NOT_DEPLOYED', errors: 0 },
      { stackName: 'Prod-Stateful', deployed: true, changes: 2, drift: 'NOT_CHECKED', errors: 1 },
    ]);
  });

  it('carries the break-glass entries of the parameters into the report', async () => {
    const entry = { guard: 'manualApproval', key: 'prod.breakGlass.manualApproval', weakened: 'x', reason: 'y' };
    const report = await review(ASSEMBLY, {}, { breakGlass: [entry] });
    expect(report.breakGlass).toEqual([entry]);
  });
});
