import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runChangeReview } from '../../../../lambda/pipeline/private/change-review/run-change-review';
import { readAssemblyStacks } from '../../../../lambda/pipeline/private/change-review/cloud-assembly';
import { createLogger } from '../../../../lambda/shared/logger';
import { changeReviewParametersFor } from '../../../../lib/pipeline/change-review/change-review-step';
import { PlatformStage } from '../../../../stages/platform-stage';
import { configWith, contextWith } from '../../../support/context';
import { answerStackListing } from './fixtures/stage-assembly';

/**
 * The real Prod stage: its synthesized templates are "deployed", then one retained table's key
 * schema is changed in the assembly, as a code change would.
 */
const cfn = mockClient(CloudFormationClient);
const dir = mkdtempSync(path.join(tmpdir(), 'change-review-prod-'));
const config = configWith();
const prodConfig = config.stages.find((s) => s.name === 'prod')!;
const app = new App({ context: { ...contextWith(), 'aws:cdk:bundling-stacks': [] }, outdir: dir });
const stage = new PlatformStage(app, prodConfig.displayName, {
  config: prodConfig,
  pipelineAccount: config.pipeline.account,
});
app.synth();
const stacks = readAssemblyStacks(dir);
const deployed = Object.fromEntries(stacks.map((s) => [s.stackName, s.template()]));
const params = changeReviewParametersFor(stage, { allowReplace: [], failOnDrift: true });

beforeAll(() => {
  // Every stack of the stage is deployed in its region, tagged as the stage's.
  answerStackListing(
    cfn,
    params.stackNames.map((name) => ({
      name,
      region: params.stackRegions?.[name] ?? params.region,
      tags: params.stageStacks.tags,
    })),
  );
  for (const name of params.stackNames) {
    cfn
      .on(DescribeStacksCommand, { StackName: name })
      .resolves({ Stacks: [{ StackName: name, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfn.on(GetTemplateCommand, { StackName: name }).resolves({ TemplateBody: JSON.stringify(deployed[name]) });
    cfn.on(DetectStackDriftCommand, { StackName: name }).resolves({ StackDriftDetectionId: `d-${name}` });
  }
  cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({
    DetectionStatus: 'DETECTION_COMPLETE',
    StackDriftStatus: 'IN_SYNC',
    StackId: 's',
    StackDriftDetectionId: 'd',
    Timestamp: new Date(),
  });
});

const review = () =>
  runChangeReview(
    {
      params,
      assemblyDir: dir,
      cloudFormationIn: (region) => new CloudFormationClient({ region }),
      log: createLogger({ stage: 'test' }, () => undefined),
      now: () => new Date(),
      drift: { sleep: async () => undefined },
    },
    { source: 'test' },
  );

describe('The change review of the real Prod stage', () => {
  it('passes when the assembly is what is deployed', async () => {
    const report = await review();
    expect(report.failures).toEqual([]);
    expect(report.stacks.every((s) => s.resources.length === 0)).toBe(true);
  });

  it("fails naming the table when a retained table's key schema changes", async () => {
    const statefulFile = stacks.find((s) => s.stackName === 'Prod-Stateful')!.templateFile;
    const template = JSON.parse(readFileSync(statefulFile, 'utf8'));
    type TableJson = {
      Type: string;
      DeletionPolicy?: string;
      Properties: { KeySchema: Array<{ KeyType: string; AttributeName: string }>; AttributeDefinitions: object[] };
    };
    const [tableId, table] = Object.entries(template.Resources as Record<string, TableJson>).find(
      ([, r]) => r.Type === 'AWS::DynamoDB::Table',
    )!;
    expect(table.DeletionPolicy).toBe('Retain');
    const hash = table.Properties.KeySchema.find((k) => k.KeyType === 'HASH')!;
    table.Properties.AttributeDefinitions.push({ AttributeName: 'tenantId', AttributeType: 'S' });
    hash.AttributeName = 'tenantId';
    writeFileSync(statefulFile, JSON.stringify(template));
    const report = await review();
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([
      `data loss: Prod-Stateful/${tableId} (AWS::DynamoDB::Table) would be replaced (by a change to KeySchema); it is retained (DeletionPolicy Retain)`,
    ]);
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
