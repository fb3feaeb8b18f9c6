import { deepEqual, fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { Template } from './diff-stacks';

/**
 * What the CloudFormation resource specification says a change to a property does: `yes` it replaces the resource,
 * `maybe` it may (CloudFormation's "Replacement: Conditional"), `no` it updates it in place, `unknown` the
 * specification does not know the property or the type (a custom resource, a property newer than the specification).
 */
export type ReplacementRule = 'yes' | 'maybe' | 'no' | 'unknown';

const rules = new Map<string, ReplacementRule>();

/**
 * The specification's rule for a change to `property` of a `type` resource, read from the specification the diff
 * engine ships (@aws-cdk/cloudformation-diff's `causesReplacement`), by diffing two one-resource templates that
 * differ only in that property.
 */
export function replacementRule(type: string, property: string): ReplacementRule {
  const key = `${type}\u0000${property}`;
  const known = rules.get(key);
  if (known) return known;
  const one = (value: string) => ({ Resources: { R: { Type: type, Properties: { [property]: value } } } });
  const impact = fullDiff(one('a'), one('b')).resources.get('R').propertyUpdates[property]?.changeImpact;
  const rule: ReplacementRule =
    impact === ResourceImpact.WILL_REPLACE
      ? 'yes'
      : impact === ResourceImpact.MAY_REPLACE
        ? 'maybe'
        : impact === ResourceImpact.WILL_UPDATE
          ? 'no'
          : 'unknown';
  rules.set(key, rule);
  return rule;
}

/** Why CloudFormation would replace a resource that stays in the template. */
export interface Replacement {
  /** `replaced` when the update replaces it; `may-replace` when it may (a conditional rule, an unknown property, a changed Condition). */
  readonly kind: 'replaced' | 'may-replace';
  /** One phrase per cause (`KeySchema`, `LogGroupName (refers to Fn)`: Fn is replaced). */
  readonly causes: readonly string[];
}

type Resource = { Type?: string; Properties?: Record<string, unknown>; Condition?: unknown };

function resourcesOf(template: Template | undefined): Record<string, Resource> {
  const r = template?.Resources;
  return typeof r === 'object' && r !== null ? (r as Record<string, Resource>) : {};
}

/** Logical ids `value` refers to: `Ref`, `Fn::GetAtt` (both forms) and the `${Id}` / `${Id.Attr}` of `Fn::Sub`. */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, into);
    return into;
  }
  if (typeof value !== 'object' || value === null) return into;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'Ref' && typeof v === 'string') {
      if (!v.startsWith('AWS::')) into.add(v);
    } else if (key === 'Fn::GetAtt') {
      const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
      if (typeof target === 'string') into.add(target);
    } else if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(v) ? [v[0], v[1]] : [v, undefined];
      const own = new Set(Object.keys((variables ?? {}) as object));
      if (typeof text === 'string')
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const id = m[1].split('.')[0];
          if (!own.has(id) && !id.startsWith('AWS::')) into.add(id);
        }
      referencedIds(variables, into);
    } else {
      referencedIds(v, into);
    }
  }
  return into;
}

/**
 * Every resource that stays in the template (same logical id) and that the update would replace, worked out as
 * CloudFormation does it, not only from the diff engine's flags:
 * - its type changes;
 * - a property changes whose rule is `yes` (replaced), or `maybe` or `unknown` (may be replaced: the review cannot
 *   prove an in-place update);
 * - its `Condition` changes (where the condition is false, CloudFormation deletes it);
 * - a property refers (`Ref`, `Fn::GetAtt`, `Fn::Sub`) to a resource that is replaced, whose new physical id or
 *   attributes change that property's value at deploy time, and its rule is not `no`: CloudFormation then replaces
 *   it too, although its template text is unchanged. This repeats until nothing more is replaced.
 * Behaviour of each property: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html
 */
export function replacements(deployed: Template | undefined, synthesized: Template): Map<string, Replacement> {
  const before = resourcesOf(deployed);
  const after = resourcesOf(synthesized);
  const out = new Map<string, { kind: Replacement['kind']; causes: string[] }>();
  /** Records a cause; @returns whether it told anything new (a new cause, or replaced where it was may-replace). */
  const note = (id: string, kind: Replacement['kind'], cause: string): boolean => {
    const r = out.get(id);
    if (!r) {
      out.set(id, { kind, causes: [cause] });
      return true;
    }
    const upgrade = kind === 'replaced' && r.kind !== 'replaced';
    if (upgrade) r.kind = 'replaced';
    if (r.causes.includes(cause)) return upgrade;
    r.causes.push(cause);
    return true;
  };
  const kept = Object.keys(after).filter((id) => before[id] !== undefined);
  for (const id of kept) {
    const [was, now] = [before[id], after[id]];
    if (was.Type !== now.Type) {
      note(id, 'replaced', `Type (${was.Type} -> ${now.Type})`);
      continue;
    }
    const props = new Set([...Object.keys(was.Properties ?? {}), ...Object.keys(now.Properties ?? {})]);
    for (const p of props) {
      if (deepEqual(was.Properties?.[p], now.Properties?.[p])) continue;
      const rule = replacementRule(String(now.Type), p);
      if (rule === 'yes') note(id, 'replaced', p);
      else if (rule === 'maybe') note(id, 'may-replace', `${p} (replacement: conditional)`);
      else if (rule === 'unknown') note(id, 'may-replace', `${p} (not in the resource specification)`);
    }
    if (!deepEqual(was.Condition, now.Condition)) note(id, 'may-replace', 'Condition');
  }
  // A replaced resource gets a new physical id and attributes: every property that refers to it changes value.
  for (let changed = true; changed;) {
    changed = false;
    for (const id of kept) {
      const now = after[id];
      if (before[id].Type !== now.Type) continue;
      for (const [p, value] of Object.entries(now.Properties ?? {})) {
        const hits = [...referencedIds(value)].filter((ref) => ref !== id && out.has(ref)).sort();
        if (!hits.length) continue;
        const rule = replacementRule(String(now.Type), p);
        if (rule === 'no') continue;
        const certain = rule === 'yes' && hits.some((ref) => out.get(ref)!.kind === 'replaced');
        const cause = `${p} (refers to ${hits.join(', ')})`;
        if (note(id, certain ? 'replaced' : 'may-replace', cause)) changed = true;
      }
    }
  }
  return out;
}
