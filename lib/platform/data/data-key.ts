import type { RemovalPolicy } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { restrictKmsGrantsToAwsServices } from '../../compliance/restrict-kms-grants';
import { KEY_ADMIN_ACTIONS } from './key-admin-actions';

/** Props of {@link DataKey}. */
export interface DataKeyProps {
  /** Human-readable description of the key. */
  readonly description: string;
  /** Alias name, starting with `alias/`. */
  readonly aliasName: string;
  /**
   * Services (short names such as `dynamodb`) through which principals of this account may use
   * the key, in this stack's region. No principal may use the key directly.
   */
  readonly viaServices: readonly string[];
  /** What happens to the key when it leaves the stack or is replaced. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Customer-managed key with yearly automatic rotation and a key policy that lets the account
 * root administer it and lets principals of the account use it only through the listed services;
 * nobody may create a grant on it except for an AWS resource or as an AWS service (CT.KMS.PR.3).
 * The underlying key keeps the construct's logical id (child id `Default`).
 */
export class DataKey extends Construct {
  /** The key. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: DataKeyProps) {
    super(scope, id);
    if (props.viaServices.length === 0) {
      throw new Error(
        `${id}: viaServices is empty; expected at least one service (such as dynamodb) that may use the key.`,
      );
    }
    if (!props.aliasName.startsWith('alias/')) {
      throw new Error(`${id}: aliasName "${props.aliasName}" must start with "alias/".`);
    }
    const { account, region } = Stack.of(this);
    const root = new iam.AccountRootPrincipal();
    const viaService = props.viaServices.map((s) => `${s}.${region}.amazonaws.com`);
    const inAccountVia = { 'kms:CallerAccount': account, 'kms:ViaService': viaService };

    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AccountAdministersKey',
          principals: [root],
          actions: [...KEY_ADMIN_ACTIONS],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'UseOnlyThroughPlatformServices',
          principals: [root],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringEquals: inAccountVia },
        }),
        new iam.PolicyStatement({
          sid: 'GrantsOnlyForPlatformServices',
          principals: [root],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { StringEquals: inAccountVia, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      ],
    });
    if (props.viaServices.includes('dynamodb')) {
      // DynamoDB checks the key's state on its own behalf (AWS's documented key policy for tables).
      policy.addStatements(
        new iam.PolicyStatement({
          sid: 'DynamoDbDescribesKey',
          principals: [new iam.ServicePrincipal('dynamodb.amazonaws.com')],
          actions: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          resources: ['*'],
        }),
      );
    }

    this.key = new kms.Key(this, 'Default', {
      description: props.description,
      enableKeyRotation: true,
      policy,
      removalPolicy: props.removalPolicy,
    });
    this.key.addAlias(props.aliasName);
    restrictKmsGrantsToAwsServices(this.key);
  }
}
