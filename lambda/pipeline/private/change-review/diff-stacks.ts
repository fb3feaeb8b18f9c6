import type { ResourceDifference, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { Replacement } from './replacement';
import { replacements } from './replacement';
import { retainedBecause, weakenedRetention } from './retention';

/** A CloudFormation template as parsed JSON. */
export type Template = Record<string, unknown>;

/** What happens to a resource when the stack is updated, in the words of the report. */
export type ResourceChangeKind = 'added' | 'modified' | 'replaced' | 'may-replace' | 'removed' | 'imported';

/** One resource that changes. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  readonly kind: ResourceChangeKind;
  /** CloudFormation's impact as the diff engine reports it (WILL_REPLACE, WILL_ORPHAN, ...). */
  readonly impact: ResourceImpact;
  /**
   * Why CloudFormation replaces (or may replace) the resource: the properties whose change replaces it, `Type`, a
   * changed `Condition`, or a property that refers to a replaced resource (see replacement.ts).
   */
  readonly replacingProperties: readonly string[];
  /** Every changed property and resource attribute (DeletionPolicy, DependsOn, ...). */
  readonly changedProperties: readonly string[];
  /** Why losing the resource loses data (`DeletionPolicy Retain`, `AWS::DynamoDB::Table holds its items`), or undefined. */
  readonly retainedBecause?: string;
  /** The retention policies the update weakens (`DeletionPolicy Retain -> Delete`); absent when none. */
  readonly weakenedRetention?: readonly string[];
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

/** Every change to one stack (or to one nested stack of it). */
export interface StackChanges {
  readonly stackName: string;
  /**
   * Logical ids of the `AWS::CloudFormation::Stack` resources that lead from the top-level stack to this nested one
   * (`['Search']`, `['Search', 'Index']`); absent for a top-level stack.
   */
  readonly nestedPath?: readonly string[];
  readonly region: string;
  /** False when the stack was never deployed: everything is added. */
  readonly deployed: boolean;
  readonly resources: readonly ResourceChange[];
  readonly iam: readonly IamChange[];
  readonly securityGroups: readonly SecurityGroupChange[];
  readonly parameters: readonly NamedChange[];
  readonly outputs: readonly NamedChange[];
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

function resourceChange(
  logicalId: string,
  diff: ResourceDifference,
  replacement: Replacement | undefined,
): ResourceChange | undefined {
  if (!diff.isDifferent && !replacement) return undefined;
  const impact = diff.changeImpact;
  // Additions and removals are as the diff engine says; what happens to a resource that stays is worked out from
  // CloudFormation's rules (replacement.ts), which also catch what the engine's flags miss.
  const kind = diff.isAddition || diff.isRemoval ? kindOf(impact) : (replacement?.kind ?? kindOf(impact) ?? 'modified');
  if (!kind) return undefined;
  const changed = [...Object.keys(diff.propertyUpdates), ...Object.keys(diff.otherChanges)];
  const type = diff.resourceTypeChanged
    ? `${diff.oldResourceType} -> ${diff.newResourceType}`
    : (diff.newResourceType ?? diff.oldResourceType ?? 'unknown');
  // What is lost is what is deployed now: judge retention on the old definition.
  const retained = retainedBecause(diff.oldValue);
  const weakened = diff.oldValue && diff.newValue ? weakenedRetention(diff.oldValue, diff.newValue) : [];
  return {
    logicalId,
    type,
    kind,
    impact,
    replacingProperties: replacement?.causes ?? [],
    changedProperties: changed,
    ...(retained ? { retainedBecause: retained } : {}),
    ...(weakened.length ? { weakenedRetention: weakened } : {}),
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
  /** For a nested stack: the logical ids leading to it from the top-level stack. */
  readonly nestedPath?: readonly string[];
  readonly region: string;
  /** The template CloudFormation holds now; undefined when the stack was never deployed. */
  readonly deployed?: Template;
  /** The template in this execution's cloud assembly. */
  readonly synthesized: Template;
}

/**
 * Compares a stack's deployed template with the synthesized one using the CDK's own diff engine
 * (@aws-cdk/cloudformation-diff, as `cdk diff` does), and works out which resources CloudFormation replaces from
 * the resource specification it ships (replacement.ts), and which retention policies the update weakens.
 */
export function diffStack(input: DiffStackInput): StackChanges {
  const diff = fullDiff(input.deployed ?? {}, input.synthesized);
  const replaced = replacements(input.deployed, input.synthesized);
  const resources: ResourceChange[] = [];
  diff.resources.forEachDifference((logicalId, d) => {
    const change = resourceChange(logicalId, d, replaced.get(logicalId));
    if (change) resources.push(change);
  });
  // Replaced although its template text is unchanged: it refers to a replaced resource.
  for (const [logicalId, replacement] of replaced) {
    if (resources.some((r) => r.logicalId === logicalId)) continue;
    const change = resourceChange(logicalId, diff.resources.get(logicalId), replacement);
    if (change) resources.push(change);
  }
  return {
    stackName: input.stackName,
    ...(input.nestedPath?.length ? { nestedPath: input.nestedPath } : {}),
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
