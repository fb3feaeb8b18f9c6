import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { unqualifiedFindingId } from '../lib/compliance/acknowledge';

/** One acknowledged finding on one construct. */
export interface AcknowledgementRecord {
  /** Finding id as written in the code (without the CDK's `Annotation::` prefix). */
  readonly id: string;
  /** Construct path the acknowledgement sits on. */
  readonly path: string;
  /** The reason given. */
  readonly reason: string;
}

/**
 * Every acknowledgement in the tree below `root`, in tree order. Acknowledgements that CDK Pipelines
 * constructs receive at build time exist only after the app has synthesized.
 */
export function collectAcknowledgements(root: IConstruct): AcknowledgementRecord[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          id: unqualifiedFindingId(id),
          path: c.node.path,
          reason,
        })),
      ),
  );
}

/** Acknowledgements grouped by finding id (sorted), then by reason, with the paths that share it. */
export function groupAcknowledgements(records: readonly AcknowledgementRecord[]): Map<string, Map<string, string[]>> {
  const byRule = new Map<string, Map<string, string[]>>();
  for (const r of [...records].sort((a, b) => a.id.localeCompare(b.id) || a.path.localeCompare(b.path))) {
    const byReason = byRule.get(r.id) ?? new Map<string, string[]>();
    byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.path]);
    byRule.set(r.id, byReason);
  }
  return byRule;
}
