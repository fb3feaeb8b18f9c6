import type { ValueContext } from './template-values';
import { resolveString } from './template-values';

/** A resource type whose ARN follows from its physical name, so an action can use it by ARN. */
interface NamedType {
  /** What people call it, for messages. */
  readonly kind: string;
  /** The property that holds the physical name. */
  readonly nameProperty: string;
  /** The ARN of a resource of this type named `name`. */
  readonly arn: (ctx: ValueContext, name: string, properties: Record<string, unknown>) => string;
  /** Matches an ARN of this type. */
  readonly pattern: RegExp;
}

const NAMED_TYPES: Readonly<Record<string, NamedType>> = {
  'AWS::IAM::Role': {
    kind: 'IAM role',
    nameProperty: 'RoleName',
    arn: (c, name, props) =>
      `arn:${c.partition}:iam::${c.account}:role${typeof props.Path === 'string' ? props.Path : '/'}${name}`,
    pattern: /^arn:[^:]+:iam::\d{12}:role\//,
  },
  'AWS::CloudWatch::Alarm': {
    kind: 'CloudWatch alarm',
    nameProperty: 'AlarmName',
    arn: (c, name) => `arn:${c.partition}:cloudwatch:${c.region}:${c.account}:alarm:${name}`,
    pattern: /^arn:[^:]+:cloudwatch:[^:]+:\d{12}:alarm:/,
  },
  'AWS::SNS::Topic': {
    kind: 'SNS topic',
    nameProperty: 'TopicName',
    arn: (c, name) => `arn:${c.partition}:sns:${c.region}:${c.account}:${name}`,
    pattern: /^arn:[^:]+:sns:[^:]+:\d{12}:[^:]+$/,
  },
  'AWS::Lambda::Function': {
    kind: 'Lambda function',
    nameProperty: 'FunctionName',
    arn: (c, name) => `arn:${c.partition}:lambda:${c.region}:${c.account}:function:${name}`,
    pattern: /^arn:[^:]+:lambda:[^:]+:\d{12}:function:/,
  },
  'AWS::DynamoDB::Table': {
    kind: 'DynamoDB table',
    nameProperty: 'TableName',
    arn: (c, name) => `arn:${c.partition}:dynamodb:${c.region}:${c.account}:table/${name}`,
    pattern: /^arn:[^:]+:dynamodb:[^:]+:\d{12}:table\/[^/]+$/,
  },
  'AWS::Backup::BackupVault': {
    kind: 'Backup vault',
    nameProperty: 'BackupVaultName',
    arn: (c, name) => `arn:${c.partition}:backup:${c.region}:${c.account}:backup-vault:${name}`,
    pattern: /^arn:[^:]+:backup:[^:]+:\d{12}:backup-vault:/,
  },
  'AWS::Events::EventBus': {
    kind: 'event bus',
    nameProperty: 'Name',
    arn: (c, name) => `arn:${c.partition}:events:${c.region}:${c.account}:event-bus/${name}`,
    pattern: /^arn:[^:]+:events:[^:]+:\d{12}:event-bus\//,
  },
  'AWS::StepFunctions::StateMachine': {
    kind: 'state machine',
    nameProperty: 'StateMachineName',
    arn: (c, name) => `arn:${c.partition}:states:${c.region}:${c.account}:stateMachine:${name}`,
    pattern: /^arn:[^:]+:states:[^:]+:\d{12}:stateMachine:/,
  },
  'AWS::SSM::Parameter': {
    kind: 'SSM parameter',
    nameProperty: 'Name',
    arn: (c, name) =>
      `arn:${c.partition}:ssm:${c.region}:${c.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
    pattern: /^arn:[^:]+:ssm:[^:]+:\d{12}:parameter\//,
  },
  'AWS::CodeBuild::Project': {
    kind: 'CodeBuild project',
    nameProperty: 'Name',
    arn: (c, name) => `arn:${c.partition}:codebuild:${c.region}:${c.account}:project/${name}`,
    pattern: /^arn:[^:]+:codebuild:[^:]+:\d{12}:project\//,
  },
};
// A composite alarm shares the namespace and ARN form of a metric alarm.
const ALL_TYPES: Readonly<Record<string, NamedType>> = {
  ...NAMED_TYPES,
  'AWS::CloudWatch::CompositeAlarm': NAMED_TYPES['AWS::CloudWatch::Alarm'],
};

/** A resource whose ARN is known before it is deployed. */
export interface NamedResource {
  readonly arn: string;
  readonly kind: string;
  readonly logicalId: string;
}

/**
 * The resources of `template` that have a physical name the walk can resolve (an IAM role with `RoleName`,
 * an alarm with `AlarmName`, ...), with their ARNs in the stack's account and region.
 */
export function namedResources(template: Record<string, unknown>, ctx: ValueContext): NamedResource[] {
  const resources = (template.Resources ?? {}) as Record<
    string,
    { Type?: string; Properties?: Record<string, unknown> }
  >;
  return Object.entries(resources).flatMap(([logicalId, resource]) => {
    const type = resource.Type ? ALL_TYPES[resource.Type] : undefined;
    const props = resource.Properties ?? {};
    if (!type || props[type.nameProperty] === undefined) return [];
    const name = resolveString(props[type.nameProperty], ctx);
    if (name.includes('<unknown>')) return [];
    return [{ arn: type.arn(ctx, name, props), kind: type.kind, logicalId }];
  });
}

/** What kind of resource `arn` names, when it is a type the walk follows (see {@link namedResources}). */
export function resourceKindOf(arn: string): string | undefined {
  return Object.values(NAMED_TYPES).find((t) => t.pattern.test(arn))?.kind;
}

/** ARN of the CloudWatch alarm `name` in an account and region (what a CloudWatchAlarm rule reads). */
export function alarmArn(ctx: ValueContext, name: string): string {
  return NAMED_TYPES['AWS::CloudWatch::Alarm'].arn(ctx, name, {});
}
