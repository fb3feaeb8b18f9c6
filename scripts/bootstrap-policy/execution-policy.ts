import type { CloudAssembly } from 'aws-cdk-lib/cx-api';

/** Where the generated policy is committed; the bootstrap commands pass it to `aws iam create-policy`. */
export const EXECUTION_POLICY_FILE = 'bootstrap/cloudformation-execution-policy.json';

/**
 * IAM's limit on a customer managed policy document, whitespace not counted
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * The IAM service prefixes CloudFormation needs to manage the resources of each CloudFormation namespace
 * (`AWS::<Namespace>::<Type>`), as `<prefix>:*`. A namespace that is not listed stops the generator: add it here
 * with the prefixes of the services its resources call (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */
export const NAMESPACE_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  ApiGateway: ['apigateway'],
  ApplicationAutoScaling: ['application-autoscaling'],
  // Creating a backup vault also calls AWS Backup's storage service.
  Backup: ['backup', 'backup-storage'],
  CDK: [],
  CloudFormation: ['cloudformation'],
  CloudFront: ['cloudfront'],
  CloudTrail: ['cloudtrail'],
  CloudWatch: ['cloudwatch'],
  CodeDeploy: ['codedeploy'],
  Cognito: ['cognito-idp'],
  DynamoDB: ['dynamodb'],
  Events: ['events'],
  IAM: ['iam'],
  KMS: ['kms'],
  Lambda: ['lambda'],
  Logs: ['logs'],
  S3: ['s3'],
  SecretsManager: ['secretsmanager'],
  SNS: ['sns'],
  SQS: ['sqs'],
  SSM: ['ssm'],
  StepFunctions: ['states'],
  Synthetics: ['synthetics'],
  WAFv2: ['wafv2'],
};

/**
 * What every stage template needs beyond its resources: the `BootstrapVersion` parameter reads an SSM parameter, and
 * `Fn::GetStackOutput` (CDK's cross-region references) reads the other stack's outputs with the stack's execution
 * role (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html).
 */
export const TEMPLATE_ACTIONS = ['cloudformation:DescribeStacks', 'ssm:GetParameters'] as const;

/** A CloudFormation template, as far as the policy reads it. */
export interface PolicyTemplate {
  readonly Resources?: Record<string, { readonly Type: string }>;
}

/** The IAM prefixes one resource type needs; a custom resource needs Lambda (CloudFormation invokes its provider). */
export function prefixesOf(resourceType: string): readonly string[] {
  if (resourceType.startsWith('Custom::') || resourceType === 'AWS::CloudFormation::CustomResource') return ['lambda'];
  const [vendor, namespace] = resourceType.split('::');
  const prefixes = vendor === 'AWS' ? NAMESPACE_PREFIXES[namespace] : undefined;
  if (!prefixes) {
    throw new Error(
      `resource type ${resourceType} has no entry in NAMESPACE_PREFIXES (scripts/bootstrap-policy/execution-policy.ts); ` +
        `add ${namespace ?? resourceType} with the IAM service prefixes CloudFormation calls to manage it.`,
    );
  }
  return prefixes;
}

/** Every resource type of `templates`, sorted. */
export function resourceTypesOf(templates: readonly PolicyTemplate[]): string[] {
  return [...new Set(templates.flatMap((t) => Object.values(t.Resources ?? {}).map((r) => r.Type)))].sort();
}

/**
 * The CloudFormation execution policy of the stage accounts: `<prefix>:*` for each service the templates' resource
 * types use, and {@link TEMPLATE_ACTIONS}. A CloudFormation execution role creates, updates and deletes every
 * resource of those services that a template names, so a service's whole action set is what it realistically needs;
 * what the policy removes is every service no template uses. It throws when the document exceeds IAM's limit.
 */
export function executionPolicy(templates: readonly PolicyTemplate[]): ExecutionPolicyDocument {
  const prefixes = [...new Set(resourceTypesOf(templates).flatMap(prefixesOf))].sort();
  const policy: ExecutionPolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ServicesOfTheStageTemplates', Effect: 'Allow', Action: prefixes.map((p) => `${p}:*`), Resource: '*' },
      { Sid: 'StackOutputsAndBootstrapVersion', Effect: 'Allow', Action: [...TEMPLATE_ACTIONS], Resource: '*' },
    ],
  };
  const size = policyChars(policy);
  if (size > MANAGED_POLICY_MAX_CHARS) {
    throw new Error(
      `the execution policy has ${size} characters; IAM accepts at most ${MANAGED_POLICY_MAX_CHARS} in a managed policy.`,
    );
  }
  return policy;
}

/** An IAM policy document of Allow statements on every resource. */
export interface ExecutionPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

/** Characters IAM counts against its limit: the document without whitespace. */
export function policyChars(policy: object): number {
  return JSON.stringify(policy).length;
}

/** Whether `policy` allows `action` (`service:Name`), by an exact action or a `service:*` wildcard. */
export function allows(policy: ExecutionPolicyDocument, action: string): boolean {
  const [service] = action.split(':');
  return policy.Statement.some((s) => s.Action.includes(action) || s.Action.includes(`${service}:*`));
}

/** The templates of every stage stack of `assembly` (the stages are its nested assemblies; the pipeline's own are not). */
export function stageTemplates(assembly: CloudAssembly): PolicyTemplate[] {
  return assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks.map((s) => s.template as PolicyTemplate));
}
