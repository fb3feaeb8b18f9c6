import { fullDiff, ResourceDifference, ResourceImpact, TemplateDiff } from '@aws-cdk/cloudformation-diff';

/** A CloudFormation template as parsed JSON. */
export type Template = Record<string, unknown>;

/** What happens to a resource when the stack is updated, in the words of the report. */
export type ResourceChangeKind = 'added' | 'modified' | 'replaced' | 'may-replace' | 'removed' | 'imported';

/** Resource types the platform keeps when a stage is torn down, whatever their DeletionPolicy says. */
export const RETAINED_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Cognito::UserPool',
  'AWS::Backup::BackupVault',
  'AWS::SecretsManager::Secret',
]);

const RETAIN_POLICIES = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

/** One resource that changes. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  readonly kind: ResourceChangeKind;
  /** CloudFormation's impact as the diff engine reports it (WILL_REPLACE, WILL_ORPHAN, ...). */
  readonly impact: ResourceImpact;
  /** Properties whose change replaces (or may replace) the resource. */
  readonly replacingProperties: readonly string[];
  /** Every changed property and resource attribute (DeletionPolicy, DependsOn, ...). */
  readonly changedProperties: readonly string[];
  /** Why the stage retains the resource (`DeletionPolicy Retain`, `AWS::DynamoDB::Table`), or undefined. */
  readonly retainedBecause?: string;
}

/** One IAM statement or managed policy attachment added or removed. */
export interface IamChange {
  readonly change: 'added' | 'removed';
  readonly effect: string;
  readonly actions: string;
  readonly resources: string;
  readonly principals: string;
  readonly condition?: string;
  /** Set for a managed policy attachment instead of a statement. */
  readonly managedPolicy?: string;
}

/** One security group rule added or removed. */
export interface SecurityGroupChange {
  readonly change: 'added' | 'removed';
  readonly direction: 'ingress' | 'egress';
  readonly group: string;
  readonly protocol: string;
  readonly peer: string;
}

/** A parameter or output that is added, removed or changed. */
export interface NamedChange {
  readonly name: string;
  readonly change: 'added' | 'removed' | 'modified';
}

/** Every change to one stack. */
export interface StackChanges {
  readonly stackName: string;
  readonly region: string;
  /** False when the stack was never deployed: everything is added. */
  readonly deployed: boolean;
  readonly resources: readonly ResourceChange[];
  readonly iam: readonly IamChange[];
  readonly securityGroups: readonly SecurityGroupChange[];
  readonly parameters: readonly NamedChange[];
  readonly outputs: readonly NamedChange[];
}

/** Why the stage retains `resource`, or undefined when it does not. */
export function retainedBecause(
  resource: { Type?: unknown; DeletionPolicy?: unknown; UpdateReplacePolicy?: unknown } | undefined,
): string | undefined {
  if (!resource) return undefined;
  if (typeof resource.DeletionPolicy === 'string' && RETAIN_POLICIES.has(resource.DeletionPolicy))
    return `DeletionPolicy ${resource.DeletionPolicy}`;
  if (typeof resource.UpdateReplacePolicy === 'string' && RETAIN_POLICIES.has(resource.UpdateReplacePolicy))
    return `UpdateReplacePolicy ${resource.UpdateReplacePolicy}`;
  if (typeof resource.Type === 'string' && RETAINED_TYPES.has(resource.Type)) return `a ${resource.Type}`;
  return undefined;
}

function kindOf(impact: ResourceImpact): ResourceChangeKind | undefined {
  switch (impact) {
    case ResourceImpact.WILL_CREATE:
      return 'added';
    case ResourceImpact.WILL_UPDATE:
      return 'modified';
    case ResourceImpact.WILL_REPLACE:
      return 'replaced';
    case ResourceImpact.MAY_REPLACE:
      return 'may-replace';
    case ResourceImpact.WILL_DESTROY:
    case ResourceImpact.WILL_ORPHAN:
      return 'removed';
    case ResourceImpact.WILL_IMPORT:
      return 'imported';
    default:
      return undefined;
  }
}

function resourceChange(logicalId: string, diff: ResourceDifference): ResourceChange | undefined {
  if (!diff.isDifferent) return undefined;
  const impact = diff.changeImpact;
  const kind = kindOf(impact);
  if (!kind) return undefined;
  const replacing: string[] = [];
  const changed: string[] = [];
  for (const [name, prop] of Object.entries(diff.propertyUpdates)) {
    changed.push(name);
    if (prop.changeImpact === ResourceImpact.WILL_REPLACE || prop.changeImpact === ResourceImpact.MAY_REPLACE)
      replacing.push(name);
  }
  changed.push(...Object.keys(diff.otherChanges));
  const type = diff.resourceTypeChanged
    ? `${diff.oldResourceType} -> ${diff.newResourceType}`
    : (diff.newResourceType ?? diff.oldResourceType ?? 'unknown');
  if (diff.resourceTypeChanged) replacing.push('Type');
  // What is lost is what is deployed now: judge retention on the old definition.
  const retained = retainedBecause(diff.oldValue);
  return {
    logicalId,
    type,
    kind,
    impact,
    replacingProperties: replacing,
    changedProperties: changed,
    ...(retained ? { retainedBecause: retained } : {}),
  };
}

function namedChanges(collection: TemplateDiff['outputs'] | TemplateDiff['parameters']): NamedChange[] {
  const out: NamedChange[] = [];
  collection.forEachDifference((name, d) => {
    if (!d.isDifferent) return;
    out.push({ name, change: d.isAddition ? 'added' : d.isRemoval ? 'removed' : 'modified' });
  });
  return out;
}

function iamChanges(diff: TemplateDiff): IamChange[] {
  const iam = diff.iamChanges;
  const statements = (change: IamChange['change'], list: typeof iam.statements.additions): IamChange[] =>
    list.map((s) => {
      const r = s.render();
      return {
        change,
        effect: r.effect,
        actions: r.action,
        resources: r.resource,
        principals: r.principal,
        ...(r.condition ? { condition: r.condition } : {}),
      };
    });
  const managed = (change: IamChange['change'], list: typeof iam.managedPolicies.additions): IamChange[] =>
    list.map((m) => ({
      change,
      effect: 'Allow',
      actions: '(managed policy)',
      resources: '',
      principals: m.identityArn,
      managedPolicy: m.managedPolicyArn,
    }));
  return [
    ...statements('added', iam.statements.additions),
    ...statements('removed', iam.statements.removals),
    ...managed('added', iam.managedPolicies.additions),
    ...managed('removed', iam.managedPolicies.removals),
  ];
}

function securityGroupChanges(diff: TemplateDiff): SecurityGroupChange[] {
  const sg = diff.securityGroupChanges;
  const rules = (
    change: SecurityGroupChange['change'],
    direction: SecurityGroupChange['direction'],
    list: typeof sg.ingress.additions,
  ) =>
    list.map((r) => ({ change, direction, group: r.groupId, protocol: r.describeProtocol(), peer: r.describePeer() }));
  return [
    ...rules('added', 'ingress', sg.ingress.additions),
    ...rules('removed', 'ingress', sg.ingress.removals),
    ...rules('added', 'egress', sg.egress.additions),
    ...rules('removed', 'egress', sg.egress.removals),
  ];
}

/** Input of {@link diffStack}. */
export interface DiffStackInput {
  readonly stackName: string;
  readonly region: string;
  /** The template CloudFormation holds now; undefined when the stack was never deployed. */
  readonly deployed?: Template;
  /** The template in this execution's cloud assembly. */
  readonly synthesized: Template;
}

/**
 * Compares a stack's deployed template with the synthesized one using the CDK's own diff engine
 * (@aws-cdk/cloudformation-diff, as `cdk diff` does), which knows from the CloudFormation resource
 * specification which property changes replace a resource.
 */
export function diffStack(input: DiffStackInput): StackChanges {
  const diff = fullDiff(input.deployed ?? {}, input.synthesized);
  const resources: ResourceChange[] = [];
  diff.resources.forEachDifference((logicalId, d) => {
    const change = resourceChange(logicalId, d);
    if (change) resources.push(change);
  });
  return {
    stackName: input.stackName,
    region: input.region,
    deployed: input.deployed !== undefined,
    resources,
    iam: iamChanges(diff),
    securityGroups: securityGroupChanges(diff),
    parameters: namedChanges(diff.parameters),
    outputs: namedChanges(diff.outputs),
  };
}

/** Counts of a stack's resource changes by kind. */
export function countByKind(changes: StackChanges): Record<ResourceChangeKind, number> {
  const counts: Record<ResourceChangeKind, number> = {
    added: 0,
    modified: 0,
    replaced: 0,
    'may-replace': 0,
    removed: 0,
    imported: 0,
  };
  for (const r of changes.resources) counts[r.kind]++;
  return counts;
}
