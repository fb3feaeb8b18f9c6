import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { JourneyRole } from '../../../lib/platform/checks/journey-role';

/** CloudFormation JSON as a template holds it (untyped by nature). */
type Cfn = any;

/** A stage stack with a pool, two tables, a key and a workflow, and a journey role built from explicit props. */
function roleTemplate(full: boolean): Template {
  const stack = new Stack(new App(), 'Service', { env: { account: '222222222222', region: 'eu-west-2' } });
  const key = new kms.Key(stack, 'DataKey');
  const table = (id: string, partitionKey: string) =>
    new dynamodb.Table(stack, id, {
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
  new JourneyRole(stack, 'Journey', {
    roleName: 'uk-home-improvement-staging-pipeline-journey',
    pipelineAccount: '999999999999',
    trustedRoleName: 'uk-home-improvement-pipeline-journey',
    stackNames: ['Staging-Stateful', 'Staging-Service'],
    resources: full
      ? {
          userPool: new cognito.UserPool(stack, 'Pool'),
          tables: [table('Projects', 'projectId'), table('Quotes', 'quoteId')],
          dataKey: key,
          stateMachine: new sfn.StateMachine(stack, 'Workflow', {
            definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')),
          }),
        }
      : undefined,
  });
  return Template.fromStack(stack);
}

const statements = (template: Template): Record<string, Cfn>[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
const bySid = (template: Template) => Object.fromEntries(statements(template).map((s) => [s.Sid, s]));

describe('The journey role', () => {
  const full = roleTemplate(true);

  it("trusts only the pipeline account's journey function role", () => {
    const [role] = Object.values(full.findResources('AWS::IAM::Role', { Properties: { RoleName: Match.anyValue() } }));
    const trust = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
    expect(trust).toContain(':iam::999999999999:root');
    expect(trust).toContain('"ArnEquals":{"aws:PrincipalArn":');
    expect(trust).toContain(':iam::999999999999:role/uk-home-improvement-pipeline-journey');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toHaveLength(1);
  });

  it('may read and delete only items whose partition key starts with journey- (dynamodb:LeadingKeys)', () => {
    const items = bySid(full).ReadAndRemoveSyntheticItems;
    expect([items.Action].flat().sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem']);
    expect(items.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['journey-*'] },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
    expect(items.Resource).toHaveLength(2);
    // No other statement touches items: no PutItem, UpdateItem, Query or Scan anywhere.
    const actions = statements(full).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
    ]);
  });

  it("manages users of the stage's own pool only, with no list or attribute calls", () => {
    const users = bySid(full).ManageSyntheticUsers;
    expect(users.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Pool/), 'Arn'] });
    expect([users.Action].flat().sort()).toEqual([
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
    ]);
    expect(users.Condition).toBeUndefined();
  });

  it('decrypts with the data key through DynamoDB only', () => {
    expect(bySid(full).DecryptThroughDynamoDb).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-2.amazonaws.com' } },
    });
  });

  it('may stop runs of the one workflow, and read the two named stacks', () => {
    const s = bySid(full);
    expect([s.StopJourneyWorkflowRun.Action].flat().sort()).toEqual([
      'states:DescribeExecution',
      'states:StopExecution',
    ]);
    expect(JSON.stringify(s.StopJourneyWorkflowRun.Resource)).toContain(':execution:');
    expect(s.ReadStageStackOutputs.Resource).toHaveLength(2);
    expect(JSON.stringify(s.ReadStageStackOutputs.Resource)).toMatch(
      /:cloudformation:eu-west-2:222222222222:stack\/Staging-Stateful\/\*".*:cloudformation:eu-west-2:222222222222:stack\/Staging-Service\/\*"/,
    );
  });

  it('may only read the stacks when the journey is read-only', () => {
    expect(statements(roleTemplate(false)).map((s) => [s.Sid, s.Action])).toEqual([
      ['ReadStageStackOutputs', 'cloudformation:DescribeStacks'],
    ]);
  });
});
