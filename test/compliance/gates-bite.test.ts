import { readFileSync } from 'fs';
import * as path from 'path';
import type { Stack } from 'aws-cdk-lib';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { dataSafetyFindings } from '../support/data-safety';
import { iamFindings } from '../support/iam-findings';
import { findTemplates } from '../support/run-cfn-lint';
import { applyComplianceGates } from '../../lib/compliance/compliance-gates';
import type { GatedSynthesis } from '../support/synth-with-gates';
import { gatesOutdir, synthWithGates } from '../support/synth-with-gates';
import { PlatformStage } from '../../stages/platform-stage';
import { configWith, contextWith } from '../support/context';
import { NO_BUNDLING } from '../../support/shared-assembly';

// Proof that the gates bite: a fresh app with three mistakes injected into a stage's stacks must
// fail the gates, and each failure must name the resource. The stage is built outside the pipeline
// because CDK Pipelines synthesizes a stage as soon as it is added, after which its stacks can no
// longer change. One stage (Staging: it retains data, like Prod) is enough to show that the gates
// reach into a nested stage assembly; that they reach every stage of the real app is shown by
// gates.test.ts, where each stage's acknowledgements must each suppress a finding.
describe('Gates over a stage with a public bucket, an unencrypted table and a "*" action', () => {
  let result: GatedSynthesis;
  let stateful: Stack;
  let service: Stack;
  beforeAll(() => {
    const config = configWith();
    const app = new App({ context: { ...contextWith(), ...NO_BUNDLING }, outdir: gatesOutdir() });
    applyComplianceGates(app);
    const staging = config.stages.find((c) => c.name === 'staging')!;
    const stage = new PlatformStage(app, staging.displayName, {
      config: staging,
      pipelineAccount: config.pipeline.account,
    });
    const stack = (id: string) => stage.stacks.find((s) => s.node.id === id)!;
    stateful = stack('Stateful');
    service = stack('Service');
    // GIVEN a bucket open to the public
    new s3.Bucket(stateful, 'InjectedPublicBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
      publicReadAccess: true,
    });
    // AND a table without a customer-managed key, deleted with its stack
    new dynamodb.Table(stateful, 'InjectedPlainTable', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.DEFAULT,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // AND a role allowed to do anything
    const role = new iam.Role(service, 'InjectedAdminRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    // WHEN the app synthesizes with the gates on
    result = synthWithGates(app);
  });

  const rulesFor = (pathPart: string) =>
    result.findings.filter((f) => f.constructPath.includes(pathPart)).map((f) => f.rule);
  const template = (stack: Stack) =>
    JSON.parse(
      readFileSync(
        findTemplates(result.outdir).find((t) => path.basename(t) === `${stack.artifactId}.template.json`)!,
        'utf8',
      ),
    );

  it('fails naming the public bucket, for its public policy and missing public access block', () => {
    expect(rulesFor('Staging/Stateful/InjectedPublicBucket')).toEqual(
      expect.arrayContaining(['AwsSolutions-S2', 'AwsSolutions-S10']),
    );
  });

  it('fails naming the table without a customer-managed KMS key', () => {
    expect(rulesFor('Staging/Stateful/InjectedPlainTable')).toContain('dynamodb_table_encrypted_kms_check');
  });

  it('fails naming the policy that allows "*"', () => {
    expect(rulesFor('Staging/Service/InjectedAdminRole/DefaultPolicy')).toEqual(
      expect.arrayContaining(['AwsSolutions-IAM5[Action::*]']),
    );
  });

  it('fails the IAM check naming the policy that allows "*"', () => {
    const findings = iamFindings('Staging-Service', template(service), {
      ownAccount: '222222222222',
      pipelineAccount: '999999999999',
    });
    expect(findings).toEqual([
      expect.stringMatching(/^Staging-Service\/InjectedAdminRoleDefaultPolicy\w+: allows Action "\*"/),
    ]);
  });

  it('fails the data-safety check naming the staging table that would be deleted', () => {
    const findings = dataSafetyFindings({
      stackName: 'Staging-Stateful',
      template: template(stateful),
      retainData: true,
      requireTerminationProtection: false,
      terminationProtection: false,
    });
    expect(findings).toEqual([
      expect.stringMatching(/^Staging-Stateful\/InjectedPlainTable\w+ \(AWS::DynamoDB::Table\): DeletionPolicy Delete/),
    ]);
  });
});
