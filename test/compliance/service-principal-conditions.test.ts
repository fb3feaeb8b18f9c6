import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { readSharedAssembly } from '../../support/shared-assembly';

/**
 * Statements that admit an AWS service without aws:SourceAccount or aws:SourceArn, each with why. A statement
 * that a test here finds without a source condition and not in this list fails.
 */
const WITHOUT_SOURCE_CONDITION: Record<string, string> = {
  // The data key's statement for DynamoDB itself (lib/platform/data/data-key.ts): it reads the key's metadata only,
  // no cryptographic use; whether DynamoDB sends a source context for these calls is not documented.
  'dynamodb.amazonaws.com kms:Describe*,kms:Get*,kms:List*': 'key metadata only',
  // CodeStar Notifications publishes the pipeline's events to the approval topic; the pipeline account owns both.
  'codestar-notifications.amazonaws.com kms:Decrypt,kms:GenerateDataKey*': 'CDK-generated for the notification rule',
  'codestar-notifications.amazonaws.com sns:Publish': 'CDK-generated for the notification rule',
};

/** Conditions that name the source as a source condition does: the encryption context of this account's resource. */
const SOURCE_KEYS = ['aws:SourceAccount', 'aws:SourceArn', 'kms:EncryptionContext:aws:logs:arn'];

function templates(dir: string): { file: string; resources: Record<string, any> }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return templates(file);
    if (!e.name.endsWith('.template.json')) return [];
    return [{ file: e.name, resources: JSON.parse(readFileSync(file, 'utf8')).Resources ?? {} }];
  });
}

describe('Key and topic policies that admit an AWS service', () => {
  const statements = templates(readSharedAssembly().directory).flatMap(({ file, resources }) =>
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::KMS::Key' || r.Type === 'AWS::SNS::TopicPolicy')
      .flatMap(([id, r]) =>
        ((r.Properties.KeyPolicy ?? r.Properties.PolicyDocument).Statement as any[])
          .filter((s) => s.Effect === 'Allow' && s.Principal?.Service)
          .map((s) => ({ where: `${file} ${id}`, statement: s })),
      ),
  );

  it('are found in the assembly', () => {
    expect(statements.length).toBeGreaterThan(5);
  });

  it('carry aws:SourceAccount or aws:SourceArn, unless listed with a reason', () => {
    const unconditioned = statements
      .filter(({ statement }) => !SOURCE_KEYS.some((k) => JSON.stringify(statement.Condition ?? {}).includes(`"${k}"`)))
      .map(({ where, statement }) => ({
        where,
        admits: `${[statement.Principal.Service].flat().join(',')} ${[statement.Action].flat().sort().join(',')}`,
      }))
      .filter(({ admits }) => WITHOUT_SOURCE_CONDITION[admits] === undefined);
    expect(unconditioned).toEqual([]);
  });
});
