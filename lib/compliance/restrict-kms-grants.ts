import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Adds the key policy statement of Control Tower control CT.KMS.PR.3: nobody may create a grant on
 * the key unless the grant is for an AWS resource or the caller is an AWS service (DynamoDB, Lambda,
 * Secrets Manager keep working; a person or role cannot hand the key to someone else).
 */
export function restrictKmsGrantsToAwsServices(key: kms.IKey): void {
  const result = key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  if (!result.statementAdded)
    throw new Error(`${key.node.path}: cannot add a key policy statement to an imported key.`);
}
