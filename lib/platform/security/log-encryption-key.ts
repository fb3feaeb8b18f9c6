import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { restrictKmsGrantsToAwsServices } from '../../compliance/restrict-kms-grants';

/**
 * The customer-managed KMS key that encrypts the CloudWatch log groups of one stack (CT.CLOUDWATCH.PR.3,
 * NIST SC-28). Rotated yearly; CloudWatch Logs of the stack's own region and account may use it for
 * log groups of that account only, and grants are limited to AWS services (CT.KMS.PR.3).
 */
export class LogEncryptionKey extends Construct {
  /** The key, for `encryptionKey` of each log group. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the CloudWatch log groups of ${stack.stackName}`,
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    restrictKmsGrantsToAwsServices(this.key);
  }
}
