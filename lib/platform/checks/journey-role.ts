import type { CfnElement } from 'aws-cdk-lib';
import { Stack, Token } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SYNTHETIC } from '../../../contracts/synthetic-data';
import { acknowledge } from '../../compliance/acknowledge';

/** What the journey role may touch when the journey runs in full (not read-only). */
export interface JourneyResources {
  /** The stage's user pool: the role creates, signs up and deletes synthetic users in it. */
  readonly userPool: cognito.IUserPool;
  /** Tables whose synthetic items (partition key `journey-…`) the role may read and delete: projects and quotes. */
  readonly tables: readonly dynamodb.ITable[];
  /** The key that encrypts those tables; the role may decrypt with it through DynamoDB only. */
  readonly dataKey: kms.IKey;
  /** The AI workflow: the role may stop a run the journey's project started (an event in flight). */
  readonly stateMachine: sfn.StateMachine;
}

/** Props of {@link JourneyRole}. */
export interface JourneyRoleProps {
  /** Physical role name; the pipeline's journey function assumes it by name. */
  readonly roleName: string;
  /** Account that hosts the pipeline. Only the named role of that account may assume this role. */
  readonly pipelineAccount: string;
  /** Name of the pipeline's journey function role. */
  readonly trustedRoleName: string;
  /** Names of the stage's stacks (in this stack's region) whose outputs the journey reads. */
  readonly stackNames: readonly string[];
  /**
   * What the full journey may touch. Absent: the journey runs read-only (unauthenticated calls to the
   * public API), and the role may only read the named stacks' outputs.
   * @default - read-only
   */
  readonly resources?: JourneyResources;
}

/**
 * The role the acceptance journey assumes in the stage account. It may read the named stacks' outputs
 * and, in full mode, only:
 * - create, sign up, read and delete users of the stage's own user pool (Amazon Cognito offers no condition
 *   key on the user name, so the journey function itself refuses any user that is not synthetic);
 * - read and delete items of the projects and quotes tables whose partition key starts with the synthetic
 *   prefix (`dynamodb:LeadingKeys`), decrypting through DynamoDB only;
 * - list the AI workflow's runs and stop one (the journey stops only the run of its own project).
 */
export class JourneyRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: JourneyRoleProps) {
    super(scope, id);
    if (props.stackNames.length === 0)
      throw new Error(`${id}: stackNames is empty; name the stacks whose outputs the journey reads.`);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: props.resources
        ? "Assumed by the pipeline's acceptance journey: manages synthetic users and items only"
        : "Assumed by the pipeline's read-only acceptance journey: reads the stage's stack outputs",
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount).withConditions({
        ArnEquals: {
          'aws:PrincipalArn': `arn:${stack.partition}:iam::${props.pipelineAccount}:role/${props.trustedRoleName}`,
        },
      }),
    });
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));

    // cdk-nag names a finding by the resource as written, with unresolved tokens shown as <AWS::...>.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const arnHead = (service: string) => ({
      real: `arn:${stack.partition}:${service}:${stack.region}:${stack.account}`,
      shown: `arn:${shown(stack.partition, 'Partition')}:${service}:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}`,
    });
    const cfn = arnHead('cloudformation');
    allow(
      'ReadStageStackOutputs',
      ['cloudformation:DescribeStacks'],
      props.stackNames.map((name) => `${cfn.real}:stack/${name}/*`),
    );
    const findings: { id: string; reason: string }[] = props.stackNames.map((name) => ({
      id: `AwsSolutions-IAM5[Resource::${cfn.shown}:stack/${name}/*]`,
      reason: "A stack's ARN ends in its id, which changes when the stack is replaced; the name fixes the stack.",
    }));

    const resources = props.resources;
    if (resources) {
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html:
      // the user pool actions take the userpool resource and only the aws:ResourceTag/RequestTag/TagKeys
      // condition keys, none of which names the user; the journey refuses non-synthetic names itself.
      allow(
        'ManageSyntheticUsers',
        [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminSetUserPassword',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminGetUser',
          'cognito-idp:AdminDeleteUser',
        ],
        [resources.userPool.userPoolArn],
      );
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html:
      // dynamodb:LeadingKeys is the partition key of the items a request touches.
      allow(
        'ReadAndRemoveSyntheticItems',
        ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
        resources.tables.map((t) => t.tableArn),
        {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SYNTHETIC.keyPrefix}*`] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      );
      allow('DecryptThroughDynamoDb', ['kms:Decrypt'], [resources.dataKey.keyArn], {
        StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` },
      });
      const machine = resources.stateMachine;
      allow('ListWorkflowRuns', ['states:ListExecutions'], [machine.stateMachineArn]);
      const states = arnHead('states');
      const machineName = machine.stateMachineName;
      allow(
        'StopJourneyWorkflowRun',
        ['states:DescribeExecution', 'states:StopExecution'],
        [`${states.real}:execution:${machineName}:*`],
      );
      const machineId: string = stack.resolve((machine.node.defaultChild as CfnElement).logicalId);
      findings.push({
        id: `AwsSolutions-IAM5[Resource::${states.shown}:execution:<${machineId}.Name>:*]`,
        reason:
          'Runs of the AI workflow are named by EventBridge when a project is created; the journey stops only the run whose input names its own synthetic project, and only of this one state machine.',
      });
    }
    acknowledge(this.role, [
      ...findings,
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The policy belongs to this role alone and grants only what the journey does (reading the stage's stack outputs; in full mode managing synthetic users and items); a managed policy would be shareable and no narrower.",
      },
    ]);
  }
}
