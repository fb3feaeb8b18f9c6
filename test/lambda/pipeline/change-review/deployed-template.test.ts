import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { readDeployedStack } from '../../../../lambda/pipeline/private/change-review/deployed-template';

const cfn = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'eu-west-2' });
beforeEach(() => cfn.reset());

describe('readDeployedStack', () => {
  it('treats a stack that does not exist, or holds nothing yet, as not deployed', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: 'A' })
      .rejects(Object.assign(new Error('Stack with id A does not exist'), { name: 'ValidationError' }));
    cfn
      .on(DescribeStacksCommand, { StackName: 'B' })
      .resolves({ Stacks: [{ StackName: 'B', StackStatus: 'REVIEW_IN_PROGRESS', CreationTime: new Date() }] });
    expect(await readDeployedStack(client, 'A')).toEqual({ deployed: false });
    expect(await readDeployedStack(client, 'B')).toEqual({ deployed: false, status: 'REVIEW_IN_PROGRESS' });
    expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(0);
  });

  it('fails for a stack in the middle of an operation', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'A', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }] });
    await expect(readDeployedStack(client, 'A')).rejects.toThrow(
      'stack A is UPDATE_IN_PROGRESS; review again when the operation has finished',
    );
  });

  it('fails for a deployed template that is not JSON', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'A', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: 'Resources:\n  Q: !Ref X' });
    await expect(readDeployedStack(client, 'A')).rejects.toThrow('the deployed template of A is not JSON');
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
