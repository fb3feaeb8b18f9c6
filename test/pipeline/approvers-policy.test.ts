import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { OUTPUTS } from '../../contracts/output-names';
import { APPROVERS_POLICY_NAME } from '../../contracts/resource-names';
import { ApproversPolicy } from '../../lib/pipeline/approvers-policy';
import { pipelineStages } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

/** A CloudFormation value flattened to text: Fn::Join parts joined, Ref as ${Name}, Fn::GetAtt as ${Name.Attr}. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  if (v?.Ref) return `\${${v.Ref}}`;
  if (v?.['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}

describe('The approvers policy of the pipeline stack', () => {
  const built = synthApp();
  const template = built.pipelineTemplate;
  const [policyId, policy] = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(
    ([, p]) => p.Properties.ManagedPolicyName === APPROVERS_POLICY_NAME,
  )!;
  const statements: any[] = policy.Properties.PolicyDocument.Statement;
  const pipelineId = Object.keys(template.findResources('AWS::CodePipeline::Pipeline'))[0];
  const pipelineArn = `arn:aws:codepipeline:${built.config.pipeline.region}:${built.config.pipeline.account}:\${${pipelineId}}`;
  const allows = (action: string) =>
    statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat().map(text));

  it('answers exactly the approval actions of the pipeline, by their ARNs', () => {
    const approvals = pipelineStages(template).flatMap((stage) =>
      stage.actions.filter((a) => a.category === 'Approval').map((a) => `${pipelineArn}/${stage.name}/${a.name}`),
    );
    expect(approvals.length).toBeGreaterThan(0);
    expect(allows('codepipeline:PutApprovalResult').sort()).toEqual(approvals.sort());
  });

  it('changes nothing else of the pipeline: its only write is PutApprovalResult', () => {
    const actionsAllowed = statements.flatMap((s) => [s.Action].flat());
    expect(actionsAllowed.filter((a) => !/^codepipeline:(Get|List)|^s3:(Get|List)|^kms:Decrypt$/.test(a))).toEqual([
      'codepipeline:PutApprovalResult',
    ]);
    expect(allows('codepipeline:GetPipelineState')).toEqual([pipelineArn]);
    expect(allows('codepipeline:ListPipelineExecutions')).toEqual([pipelineArn]);
  });

  it('reads the change reports the review link opens, and decrypts them only through S3', () => {
    const [bucketId] = Object.keys(template.findResources('AWS::S3::Bucket')).filter((id) =>
      id.startsWith('ChangeReviewReportsBucket'),
    );
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) =>
      id.startsWith('ChangeReviewReportsKey'),
    );
    expect(allows('s3:GetObject')).toEqual([`\${${bucketId}.Arn}/change-review/*`]);
    const decrypt = statements.find((s) => s.Action === 'kms:Decrypt');
    expect(text(decrypt.Resource)).toBe(`\${${keyId}.Arn}`);
    expect(decrypt.Condition).toEqual({
      StringEquals: { 'kms:ViaService': `s3.${built.config.pipeline.region}.amazonaws.com` },
    });
  });

  it("publishes the policy's ARN for the roll-out", () => {
    expect(template.toJSON().Outputs[OUTPUTS.approversPolicyArn].Value).toEqual({ Ref: policyId });
  });

  it('is attached to nobody by the stack: the organisation gives it to its approvers', () => {
    expect(policy.Properties.Roles ?? policy.Properties.Groups ?? policy.Properties.Users).toBeUndefined();
  });
});

describe('ApproversPolicy on a pipeline of its own', () => {
  it('lists one resource per approval action, and grants no report access without reports', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '999999999999', region: 'eu-west-2' } });
    const pipeline = new codepipeline.Pipeline(stack, 'P', {
      pipelineName: 'p',
      pipelineType: codepipeline.PipelineType.V2,
    });
    const out = new codepipeline.Artifact();
    pipeline.addStage({
      stageName: 'Source',
      actions: [
        new actions.S3SourceAction({
          actionName: 'Src',
          bucket: new s3.Bucket(stack, 'B', { versioned: true }),
          bucketKey: 'k',
          output: out,
        }),
      ],
    });
    pipeline.addStage({ stageName: 'GateA', actions: [new actions.ManualApprovalAction({ actionName: 'Yes' })] });
    pipeline.addStage({
      stageName: 'GateB',
      actions: [
        new actions.ManualApprovalAction({ actionName: 'First', runOrder: 1 }),
        new actions.ManualApprovalAction({ actionName: 'Second', runOrder: 2 }),
      ],
    });
    const approvers = new ApproversPolicy(stack, 'Approvers', { pipeline, managedPolicyName: 'test-approvers' });
    const resolved = approvers.approvalActionArns.map((arn) => text(stack.resolve(arn)));
    const id = stack.getLogicalId(pipeline.node.defaultChild as codepipeline.CfnPipeline);
    expect(resolved).toEqual(
      ['GateA/Yes', 'GateB/First', 'GateB/Second'].map(
        (a) => `arn:\${AWS::Partition}:codepipeline:eu-west-2:999999999999:\${${id}}/${a}`,
      ),
    );
    const doc = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(doc).not.toMatch(/s3:GetObject|kms:Decrypt/);
  });
});
