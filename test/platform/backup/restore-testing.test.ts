import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RESTORE_TEST_TABLE_PREFIX } from '../../../contracts/resource-names';
import { RestoreTesting } from '../../../lib/platform/backup/restore-testing';
import { NO_BUNDLING } from '../../../support/shared-assembly';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** GIVEN a restore testing construct of two tables in a bare stack of account 111111111111. */
function validationStatements(): Statement[] {
  const stack = new Stack(new App({ context: NO_BUNDLING }), 'Backup', {
    env: { account: '111111111111', region: 'eu-west-2' },
  });
  const key = new kms.Key(stack, 'Key');
  const table = (id: string) =>
    new dynamodb.Table(stack, id, {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
  new RestoreTesting(stack, 'RestoreTesting', {
    planName: 'tables',
    vault: new backup.BackupVault(stack, 'Vault'),
    tables: [table('Users'), table('Quotes')],
    restoreRole: new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') }),
    readKeys: [key],
    stageName: 'test',
    logRetentionDays: 30,
  });
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const [policy] = Object.entries(policies).filter(([id]) => id.startsWith('RestoreTestingValidation'));
  return policy[1].Properties.PolicyDocument.Statement;
}

const actionsOf = (s: Statement) => [s.Action].flat();

describe('The restore validation role', () => {
  const statements = validationStatements();
  const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
  const restoredTables = {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:eu-west-2:111111111111:table/${RESTORE_TEST_TABLE_PREFIX}*`],
    ],
  };

  it('scans only the tables a restore test creates, and only with Select = COUNT', () => {
    const scans = dynamo.filter((s) => actionsOf(s).includes('dynamodb:Scan'));
    expect(scans).toEqual([
      {
        Sid: 'CountRestoredTables',
        Effect: 'Allow',
        Action: 'dynamodb:Scan',
        Resource: restoredTables,
        Condition: { StringEquals: { 'dynamodb:Select': 'COUNT' } },
      },
    ]);
  });

  it('describes the restored tables by the restore test prefix and the source tables by their ARNs, nothing else', () => {
    const describes = dynamo.filter((s) => actionsOf(s).includes('dynamodb:DescribeTable'));
    expect(describes.map((s) => s.Sid).sort()).toEqual(['DescribeRestoredTables', 'DescribeSourceTables']);
    expect(describes.find((s) => s.Sid === 'DescribeRestoredTables')!.Resource).toEqual(restoredTables);
    const sources = [describes.find((s) => s.Sid === 'DescribeSourceTables')!.Resource].flat();
    expect(sources).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Users/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^Quotes/), 'Arn'] },
    ]);
  });

  it('grants no DynamoDB action on every table of the account', () => {
    const everyTable = JSON.stringify(dynamo.map((s) => s.Resource));
    expect(everyTable).not.toMatch(/table\/\*"/);
    expect(dynamo.flatMap(actionsOf).sort()).toEqual([
      'dynamodb:DescribeTable',
      'dynamodb:DescribeTable',
      'dynamodb:Scan',
    ]);
  });
});
