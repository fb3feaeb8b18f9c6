import { dataHeldBy } from '../../../../contracts/data-holding-types';

/** A template resource, as far as retention is concerned. */
export interface RetentionFields {
  readonly Type?: unknown;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly Properties?: unknown;
}

/**
 * How much of a resource CloudFormation keeps when it deletes it: 3 keeps it (`Retain`, and `RetainExceptOnCreate`
 * for any resource an earlier operation created), 2 keeps a snapshot and deletes the resource (`Snapshot`), 1 keeps
 * nothing (`Delete`, the default).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
const POLICY_RANK: Readonly<Record<string, number>> = { Retain: 3, RetainExceptOnCreate: 3, Snapshot: 2, Delete: 1 };

/**
 * The DeletionPolicy CloudFormation applies: the template's, else its default, which is `Snapshot` for an
 * `AWS::RDS::DBCluster` and for an `AWS::RDS::DBInstance` outside a cluster, and `Delete` for everything else
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
 */
export function deletionPolicyOf(resource: RetentionFields): string {
  if (typeof resource.DeletionPolicy === 'string') return resource.DeletionPolicy;
  const props = (resource.Properties ?? {}) as Record<string, unknown>;
  if (resource.Type === 'AWS::RDS::DBCluster') return 'Snapshot';
  if (resource.Type === 'AWS::RDS::DBInstance' && props.DBClusterIdentifier === undefined) return 'Snapshot';
  return 'Delete';
}

/** The UpdateReplacePolicy CloudFormation applies: the template's, else `Delete`. */
export function updateReplacePolicyOf(resource: RetentionFields): string {
  return typeof resource.UpdateReplacePolicy === 'string' ? resource.UpdateReplacePolicy : 'Delete';
}

const rank = (policy: string) => POLICY_RANK[policy] ?? 1;

/**
 * Why losing `resource` loses data, or undefined when it does not: it is retained (DeletionPolicy or
 * UpdateReplacePolicy `Retain`, `RetainExceptOnCreate` or `Snapshot`), or it holds data by its type
 * (contracts/data-holding-types.ts) whatever its policies say.
 */
export function retainedBecause(resource: RetentionFields | undefined): string | undefined {
  if (!resource) return undefined;
  if (typeof resource.DeletionPolicy === 'string' && rank(resource.DeletionPolicy) > 1)
    return `DeletionPolicy ${resource.DeletionPolicy}`;
  if (typeof resource.UpdateReplacePolicy === 'string' && rank(resource.UpdateReplacePolicy) > 1)
    return `UpdateReplacePolicy ${resource.UpdateReplacePolicy}`;
  const held = typeof resource.Type === 'string' ? dataHeldBy(resource.Type) : undefined;
  if (held) return `${resource.Type as string} holds ${held}`;
  return undefined;
}

/**
 * How the update weakens the retention of a resource that stays in the template: each of its DeletionPolicy and
 * UpdateReplacePolicy that moves to a policy that keeps less (`Retain` to `Snapshot`, `Delete` or absent;
 * `Snapshot` to `Delete` or absent). The update itself loses nothing; the next removal or replacement would.
 * @returns one phrase per weakened policy (`DeletionPolicy Retain -> Delete`); empty when neither is weakened.
 */
export function weakenedRetention(before: RetentionFields, after: RetentionFields): string[] {
  const out: string[] = [];
  const pairs: [string, string, string][] = [
    ['DeletionPolicy', deletionPolicyOf(before), deletionPolicyOf(after)],
    ['UpdateReplacePolicy', updateReplacePolicyOf(before), updateReplacePolicyOf(after)],
  ];
  for (const [attribute, was, now] of pairs) {
    if (rank(now) < rank(was)) out.push(`${attribute} ${was} -> ${now}`);
  }
  return out;
}
