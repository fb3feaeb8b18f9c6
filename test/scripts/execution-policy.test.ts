import { readFileSync } from 'fs';
import * as path from 'path';
import type { ExecutionPolicyDocument } from '../../scripts/bootstrap-policy/execution-policy';
import {
  allows,
  EXECUTION_POLICY_FILE,
  executionPolicy,
  MANAGED_POLICY_MAX_CHARS,
  policyChars,
  prefixesOf,
  resourceTypesOf,
  stageTemplates,
} from '../../scripts/bootstrap-policy/execution-policy';
import { readSharedAssembly } from '../../support/shared-assembly';

const committed = (): ExecutionPolicyDocument =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', EXECUTION_POLICY_FILE), 'utf8'));

/** The resource types of `templates` whose services `policy` does not allow, with the missing action. */
function uncovered(policy: ExecutionPolicyDocument, types: readonly string[]): string[] {
  return types.flatMap((type) =>
    prefixesOf(type)
      .filter((prefix) => !allows(policy, `${prefix}:CreateSomething`))
      .map((prefix) => `${type} needs ${prefix}:*`),
  );
}

describe('The CloudFormation execution policy of the stage accounts (bootstrap/)', () => {
  const templates = stageTemplates(readSharedAssembly());
  const types = resourceTypesOf(templates);

  it("covers every resource type of the app's stage templates", () => {
    expect(types.length).toBeGreaterThan(20);
    expect(types).toEqual(expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::CloudTrail::Trail']));
    expect(uncovered(committed(), types)).toEqual([]);
  });

  it('is what npm run bootstrap-policy writes from the current templates (run it after adding a resource type)', () => {
    expect(committed()).toEqual(executionPolicy(templates));
  });

  it("stays under IAM's 6,144-character limit of a managed policy, with no AdministratorAccess-like wildcard", () => {
    expect(policyChars(committed())).toBeLessThan(MANAGED_POLICY_MAX_CHARS);
    const actions = committed().Statement.flatMap((s) => s.Action);
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => !/^[a-z0-9-]+:(\*|[A-Za-z]+)$/.test(a))).toEqual([]);
    expect(actions).not.toContain('ec2:*');
  });

  it('reads the templates a policy would miss: a service dropped from the policy leaves its resource types uncovered', () => {
    const policy = committed();
    const withoutDynamo: ExecutionPolicyDocument = {
      ...policy,
      Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== 'dynamodb:*') })),
    };
    expect(uncovered(withoutDynamo, types)).toEqual(['AWS::DynamoDB::Table needs dynamodb:*']);
  });
});

describe('executionPolicy', () => {
  it('allows each service of the given resource types once, custom resources through Lambda, and the template actions', () => {
    const policy = executionPolicy([
      { Resources: { A: { Type: 'AWS::DynamoDB::Table' }, B: { Type: 'AWS::DynamoDB::Table' } } },
      { Resources: { C: { Type: 'AWS::Backup::BackupVault' }, D: { Type: 'Custom::S3AutoDeleteObjects' } } },
    ]);
    expect(policy.Statement[0].Action).toEqual(['backup:*', 'backup-storage:*', 'dynamodb:*', 'lambda:*']);
    expect(policy.Statement[1].Action).toEqual(['cloudformation:DescribeStacks', 'ssm:GetParameters']);
  });

  it('stops on a resource type of a namespace it has no entry for, naming the type and the table to extend', () => {
    expect(() => executionPolicy([{ Resources: { R: { Type: 'AWS::Route53::RecordSet' } } }])).toThrow(
      /AWS::Route53::RecordSet has no entry in NAMESPACE_PREFIXES .*add Route53/,
    );
  });
});
