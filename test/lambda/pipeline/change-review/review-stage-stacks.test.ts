/**
 * The review of a whole stage beyond its assembly's own stacks: stacks it left deployed (a feature turned off)
 * and nested stacks. CloudFormation answers as AWS does (aws-sdk-client-mock, per region of the asking client).
 */
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { renderReport } from '../../../../lambda/pipeline/private/change-review/render-report';
import { runChangeReview } from '../../../../lambda/pipeline/private/change-review/run-change-review';
import { renderSummary } from '../../../../lambda/pipeline/private/change-review/summary';
import { createLogger } from '../../../../lambda/shared/logger';
import type { ChangeReviewPolicy } from '../../../../contracts/change-review-policy';
import type { DeployedListing } from './fixtures/stage-assembly';
import {
  ACCOUNT,
  answerStackListing,
  listedStack,
  REGION,
  STACK_NAMES,
  stageIdentity,
  synthStage,
} from './fixtures/stage-assembly';

const cfn = mockClient(CloudFormationClient);
const [DR, EDGE] = ['eu-west-1', 'us-east-1'];
const NO_EXCEPTIONS: ChangeReviewPolicy = { allowReplace: [], failOnDrift: true };
const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const stackId = (name: string, region = REGION) =>
  `arn:aws:cloudformation:${region}:${ACCOUNT}:stack/${name}/00000000-0000-4000-8000-000000000000`;

/** A deployed stack: its listing, its template and its resources, as CloudFormation answers for them. */
interface Deployed extends DeployedListing {
  readonly template: Record<string, unknown>;
  readonly resources?: { logicalId: string; type: string; physicalId: string }[];
}

function deploy(stacks: readonly Deployed[]) {
  answerStackListing(cfn, stacks);
  for (const s of stacks) {
    const id = stackId(s.name, s.region);
    const described = { Stacks: [listedStack(s.name, s.region)] };
    if (s.region === REGION) cfn.on(DescribeStacksCommand, { StackName: s.name }).resolves(described);
    for (const key of [s.name, id])
      cfn.on(GetTemplateCommand, { StackName: key }).resolves({ TemplateBody: JSON.stringify(s.template) });
    cfn.on(ListStackResourcesCommand, { StackName: id }).resolves({
      StackResourceSummaries: (s.resources ?? []).map((r) => ({
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(),
      })),
    });
    cfn.on(DetectStackDriftCommand, { StackName: s.name }).resolves({ StackDriftDetectionId: `d-${s.name}` });
  }
  cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({
    DetectionStatus: 'DETECTION_COMPLETE',
    StackDriftStatus: 'IN_SYNC',
    StackId: 's',
    StackDriftDetectionId: 'd',
    Timestamp: new Date(),
  });
}

const review = (dir: string, policy = NO_EXCEPTIONS) =>
  runChangeReview(
    {
      params: {
        stage: 'prod',
        account: ACCOUNT,
        region: REGION,
        stackNames: STACK_NAMES,
        stageStacks: stageIdentity([REGION, DR, EDGE]),
        policy,
      },
      assemblyDir: dir,
      cloudFormationIn: (region) => new CloudFormationClient({ region }),
      log: createLogger({ stage: 'test' }, () => undefined),
      now: () => new Date('2026-12-02T15:00:00Z'),
      call: { sleep: async () => undefined, baseDelayMs: 1, attempts: 2 },
      drift: { sleep: async () => undefined, pollIntervalMs: 1 },
    },
    { source: 'test' },
  );

beforeEach(() => {
  cfn.reset();
  // What CloudFormation answers for a stack nothing created.
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
});

describe('The change review of a stage that turned a feature off', () => {
  const current = synthStage({ usersKey: 'pk' });
  const stageAsDeployed = STACK_NAMES.map((name) => ({ name, region: REGION, template: current.templates[name] }));
  // GIVEN backup and WAF were on: their stacks stay deployed once the assembly no longer has them
  const drVault: Deployed = {
    name: 'Prod-DrVault',
    region: DR,
    template: {
      Resources: {
        Vault23237E5B: { Type: 'AWS::Backup::BackupVault', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
        VaultKey6B75F33E: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      },
    },
    resources: [
      { logicalId: 'Vault23237E5B', type: 'AWS::Backup::BackupVault', physicalId: 'uk-home-improvement-prod-dr-vault' },
      { logicalId: 'VaultKey6B75F33E', type: 'AWS::KMS::Key', physicalId: 'key-1' },
    ],
  };
  const edge: Deployed = {
    name: 'Prod-EdgeSecurity',
    region: EDGE,
    template: { Resources: { WebAcl: { Type: 'AWS::WAFv2::WebACL' } } },
    resources: [{ logicalId: 'WebAcl', type: 'AWS::WAFv2::WebACL', physicalId: 'acl' }],
  };

  it('fails naming every retained resource a stack left behind holds, and lists a left stack that holds nothing', async () => {
    deploy([...stageAsDeployed, drVault, edge]);
    const report = await review(current.dir);
    expect(report.failures).toEqual([
      'data loss: Prod-DrVault/Vault23237E5B (AWS::Backup::BackupVault) uk-home-improvement-prod-dr-vault stays deployed in eu-west-1, unmanaged: Prod-DrVault is no longer in the assembly and CDK Pipelines never deletes it; it is retained (DeletionPolicy Retain)',
      'data loss: Prod-DrVault/VaultKey6B75F33E (AWS::KMS::Key) key-1 stays deployed in eu-west-1, unmanaged: Prod-DrVault is no longer in the assembly and CDK Pipelines never deletes it; it is retained (DeletionPolicy Retain)',
    ]);
    const markdown = renderReport(report);
    expect(markdown).toContain('## Stacks no longer in the assembly');
    expect(markdown).toContain(
      '- Prod-DrVault (eu-west-1, UPDATE_COMPLETE): holds Vault23237E5B (AWS::Backup::BackupVault uk-home-improvement-prod-dr-vault), VaultKey6B75F33E (AWS::KMS::Key key-1)',
    );
    expect(markdown).toContain(
      '- Prod-EdgeSecurity (us-east-1, UPDATE_COMPLETE): holds nothing retained; `npm run cleanup -- --stage prod --delete` deletes it',
    );
  });

  it('passes when the stage allows each retained resource by name, and tells the approver which stacks stay', async () => {
    deploy([...stageAsDeployed, drVault, edge]);
    const report = await review(current.dir, {
      failOnDrift: true,
      allowReplace: [
        { stack: 'Prod-DrVault', logicalId: 'Vault23237E5B', reason: 'Kept a year for its recovery points' },
        { stack: 'Prod-DrVault', logicalId: 'VaultKey6B75F33E', reason: 'Decrypts the kept recovery points' },
      ],
    });
    expect(report.passed).toBe(true);
    const summary = renderSummary(report, 'https://example.com/report');
    expect(summary.subject).toContain('2 stacks left');
    expect(summary.message).toContain('Stacks no longer in the assembly (deployed, never deleted by the pipeline):');
    expect(summary.message).toContain('- Prod-EdgeSecurity (us-east-1, UPDATE_COMPLETE): holds nothing retained');
  });

  it('names the stacks it cannot judge: named like the stage but without its tag', async () => {
    deploy([...stageAsDeployed, { name: 'Prod-Legacy', region: REGION, tags: {}, template: { Resources: {} } }]);
    const report = await review(current.dir);
    expect(report.passed).toBe(true);
    expect(renderReport(report)).toContain('- not judged: Prod-Legacy (eu-west-2, UPDATE_COMPLETE) is named like');
  });

  it('reports the data loss of the other regions when one region cannot be searched, and fails on both', async () => {
    deploy([...stageAsDeployed, drVault]);
    cfn.on(DescribeStacksCommand).callsFake(async (input: { StackName?: string }, getClient) => {
      const region = await getClient().config.region();
      if (region === EDGE)
        throw awsError('AccessDenied', 'not authorized to perform cloudformation:DescribeStacks', 403);
      return { Stacks: region === DR ? [listedStack('Prod-DrVault', DR)] : STACK_NAMES.map((n) => listedStack(n)) };
    });
    for (const name of STACK_NAMES)
      cfn.on(DescribeStacksCommand, { StackName: name }).resolves({ Stacks: [listedStack(name)] });
    const report = await review(current.dir);
    expect(report.failures).toEqual([
      expect.stringMatching(/^data loss: Prod-DrVault\/Vault23237E5B \(AWS::Backup::BackupVault\)/),
      expect.stringMatching(/^data loss: Prod-DrVault\/VaultKey6B75F33E \(AWS::KMS::Key\)/),
      expect.stringMatching(
        /^could not check: could not search us-east-1 for stacks the stage no longer has: DescribeStacks in us-east-1 failed: access denied/,
      ),
    ]);
    const summary = renderSummary(report, undefined);
    expect(summary.message).toContain('Could not check (the review fails):\n- could not search us-east-1');
    expect(summary.message).toContain('- data loss: Prod-DrVault/Vault23237E5B');
  });
});

describe('The change review of a stack with a nested stack', () => {
  const before = synthStage({ usersKey: 'pk', nestedTableKey: 'pk' });
  const nestedFile = Object.keys(before.nested)[0];
  const nestedId = Object.entries(before.templates['Prod-Service'].Resources as Record<string, { Type: string }>).find(
    ([, r]) => r.Type === 'AWS::CloudFormation::Stack',
  )![0];
  const nestedStackId = stackId(`Prod-Service-${nestedId}-ABC`);
  const tableId = Object.keys(before.nested[nestedFile].Resources as object).find((id) => id.startsWith('IndexTable'))!;

  function deployWithNested(nestedTemplate = before.nested[nestedFile]) {
    deploy(
      STACK_NAMES.map((name) => ({
        name,
        region: REGION,
        template: before.templates[name],
        resources:
          name === 'Prod-Service'
            ? [{ logicalId: nestedId, type: 'AWS::CloudFormation::Stack', physicalId: nestedStackId }]
            : [],
      })),
    );
    cfn.on(GetTemplateCommand, { StackName: nestedStackId }).resolves({ TemplateBody: JSON.stringify(nestedTemplate) });
  }

  it('reads the deployed nested template through its physical id and fails a replaced retained table inside it', async () => {
    deployWithNested();
    const report = await review(synthStage({ usersKey: 'pk', nestedTableKey: 'indexId' }).dir);
    expect(report.failures).toEqual([
      `data loss: Prod-Service/${nestedId}/${tableId} (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)`,
    ]);
    expect(cfn.commandCalls(GetTemplateCommand, { StackName: nestedStackId })).toHaveLength(1);
    expect(renderReport(report)).toContain(`## Prod-Service/${nestedId} (eu-west-2) - nested stack`);
  });

  it('fails every retained resource of a nested stack the stack no longer declares', async () => {
    deployWithNested();
    const report = await review(synthStage({ usersKey: 'pk' }).dir);
    expect(report.failures).toEqual([
      expect.stringMatching(
        new RegExp(`^data loss: Prod-Service/${nestedId}/${tableId} \\(AWS::DynamoDB::Table\\) would be removed`),
      ),
    ]);
  });

  it('passes when nothing changes inside the nested stack', async () => {
    deployWithNested();
    const report = await review(synthStage({ usersKey: 'pk', nestedTableKey: 'pk' }).dir);
    expect(report.failures).toEqual([]);
  });

  it('does not pass what it cannot see: a nested template it cannot read fails, beside the rest of the review', async () => {
    deployWithNested();
    cfn.on(GetTemplateCommand, { StackName: nestedStackId }).rejects(awsError('AccessDenied', 'denied', 403));
    const report = await review(synthStage({ usersKey: 'userId', nestedTableKey: 'pk' }).dir);
    expect(report.failures).toEqual([
      expect.stringMatching(/^data loss: Prod-Stateful\/UsersTable\w+ \(AWS::DynamoDB::Table\) would be replaced/),
      expect.stringMatching(new RegExp(`^could not check: GetTemplate Prod-Service/${nestedId} failed: access denied`)),
    ]);
  });
});
