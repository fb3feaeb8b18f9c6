import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  listStackResources,
  readDeployedStack,
  readTemplate,
} from '../../../../lambda/pipeline/private/change-review/deployed-template';

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

const created = new Date();
const arn = 'arn:aws:cloudformation:eu-west-2:333333333333:stack/A/0a1b';
const template = { Resources: { Q: { Type: 'AWS::SQS::Queue' } } };
const noRetry = { attempts: 1 };
/** Every request carried the signal that cancels it when its attempt times out. */
const expectAbortableCalls = () => {
  expect(cfn.calls().length).toBeGreaterThan(0);
  for (const call of cfn.calls())
    expect(((call.args as unknown[])[1] as { abortSignal?: unknown } | undefined)?.abortSignal).toBeInstanceOf(
      AbortSignal,
    );
};

describe('readDeployedStack, deployed stacks and refusals', () => {
  it('reads the submitted template of a deployed stack, and names the stack by its id', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: 'A' })
      .resolves({ Stacks: [{ StackName: 'A', StackId: arn, StackStatus: 'UPDATE_COMPLETE', CreationTime: created }] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
    expect(await readDeployedStack(client, 'A')).toEqual({
      deployed: true,
      status: 'UPDATE_COMPLETE',
      template,
      stackId: arn,
    });
    expect(cfn).toHaveReceivedCommandWith(GetTemplateCommand, { StackName: 'A', TemplateStage: 'Original' });
    // The timeout of each attempt can cancel the request.
    expectAbortableCalls();
  });

  it('falls back to the name and UNKNOWN when CloudFormation leaves out the id and status', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'A', CreationTime: created } as never] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
    expect(await readDeployedStack(client, 'A')).toEqual({ deployed: true, status: 'UNKNOWN', template, stackId: 'A' });
  });

  it('treats an answer without stacks as not deployed', async () => {
    cfn.on(DescribeStacksCommand).resolves({});
    expect(await readDeployedStack(client, 'A')).toEqual({ deployed: false });
  });

  it.each([
    [
      'access denied',
      Object.assign(new Error('User: x is not authorized to perform: cloudformation:DescribeStacks'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
      "DescribeStacks A failed: access denied (AccessDenied: User: x is not authorized to perform: cloudformation:DescribeStacks); check the stage's check role policy",
    ],
    [
      // DescribeStacks answers a missing stack with ValidationError only
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html); an error of
      // another name fails the review even when its message says "does not exist".
      'an error of another name that says the stack does not exist',
      Object.assign(new Error('Stack with id A does not exist'), { name: 'StackNotFoundException' }),
      'DescribeStacks A failed: StackNotFoundException: Stack with id A does not exist',
    ],
    [
      'another validation error',
      Object.assign(new Error('1 validation error detected: Value at stackName failed'), { name: 'ValidationError' }),
      'DescribeStacks A failed: ValidationError: 1 validation error detected: Value at stackName failed',
    ],
  ])('fails, naming the call, on %s (not read as a missing stack)', async (_, error, message) => {
    cfn.on(DescribeStacksCommand).rejects(error);
    await expect(readDeployedStack(client, 'A', noRetry)).rejects.toThrow(new Error(message));
  });
});

describe('readTemplate', () => {
  it.each([
    [{}, 'GetTemplate Prod-Service/Search returned no template body'],
    [{ TemplateBody: 'null' }, 'the deployed template of Prod-Service/Search is not a JSON object'],
    [{ TemplateBody: '42' }, 'the deployed template of Prod-Service/Search is not a JSON object'],
  ])('fails for the answer %j, naming the stack by its label', async (answer, message) => {
    cfn.on(GetTemplateCommand).resolves(answer);
    await expect(readTemplate(client, arn, undefined, 'Prod-Service/Search')).rejects.toThrow(new Error(message));
    expect(cfn).toHaveReceivedCommandWith(GetTemplateCommand, { StackName: arn, TemplateStage: 'Original' });
  });
});

describe('listStackResources', () => {
  const summary = { LastUpdatedTimestamp: created };
  it('lists every page, without deleted resources or entries without a logical id', async () => {
    cfn
      .on(ListStackResourcesCommand, { StackName: 'A', NextToken: undefined })
      .resolves({
        StackResourceSummaries: [
          {
            ...summary,
            LogicalResourceId: 'Q',
            PhysicalResourceId: 'q-1',
            ResourceType: 'AWS::SQS::Queue',
            ResourceStatus: 'CREATE_COMPLETE',
          },
          {
            ...summary,
            LogicalResourceId: 'Old',
            PhysicalResourceId: 'o-1',
            ResourceType: 'AWS::SQS::Queue',
            ResourceStatus: 'DELETE_COMPLETE',
          },
          {
            ...summary,
            PhysicalResourceId: 'x',
            ResourceType: 'AWS::SQS::Queue',
            ResourceStatus: 'CREATE_COMPLETE',
          } as never,
        ],
        NextToken: 'page-2',
      })
      .on(ListStackResourcesCommand, { StackName: 'A', NextToken: 'page-2' })
      .resolves({
        StackResourceSummaries: [{ ...summary, LogicalResourceId: 'T' } as never],
      });
    expect(await listStackResources(client, 'A')).toEqual([
      { logicalId: 'Q', physicalId: 'q-1', type: 'AWS::SQS::Queue', status: 'CREATE_COMPLETE' },
      { logicalId: 'T', type: 'unknown', status: 'UNKNOWN' },
    ]);
    expect(cfn).toHaveReceivedCommandTimes(ListStackResourcesCommand, 2);
    expectAbortableCalls();
  });

  it('lists nothing for a stack without resources, and names the stack by its label when the call fails', async () => {
    cfn
      .on(ListStackResourcesCommand)
      .resolvesOnce({})
      .rejects(Object.assign(new Error('Stack with id A does not exist'), { name: 'ValidationError' }));
    expect(await listStackResources(client, 'A')).toEqual([]);
    await expect(listStackResources(client, 'A', noRetry, 'Prod-Service/Search')).rejects.toThrow(
      new Error('ListStackResources Prod-Service/Search failed: ValidationError: Stack with id A does not exist'),
    );
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
