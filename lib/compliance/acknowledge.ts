import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Plugin name of `@cdklabs/cdk-validator-cfnguard`; its findings are acknowledged as `cdk-validator-cfnguard::<rule>`. */
export const CFN_GUARD_NAMESPACE = 'cdk-validator-cfnguard';

/** Shortest reason accepted: a reviewer needs a sentence, not a word. */
export const MIN_REASON_LENGTH = 20;

/** One compliance finding that is accepted on purpose. */
export interface Finding {
  /**
   * The exact finding id, as the compliance report (validation-report.json) prints it: a cdk-nag id such as
   * `AwsSolutions-S1` or `AwsSolutions-IAM5[Action::s3:GetObject*]`, `NIST.800.53.R5-...`, or a
   * Control Tower (cfn-guard) id `cdk-validator-cfnguard::s3_bucket_logging_enabled_check`.
   */
  readonly id: string;
  /** Why the finding is acceptable, written for a security reviewer. */
  readonly reason: string;
}

const ID_PATTERNS: readonly RegExp[] = [
  /^AwsSolutions-[A-Za-z]+\d+(\[.+\])?$/,
  /^NIST\.800\.53\.R5-[A-Za-z0-9]+(\[.+\])?$/,
  new RegExp(`^${CFN_GUARD_NAMESPACE}::[a-z0-9_]+$`),
];

/**
 * Acknowledges compliance findings on one resource (or the L2 construct that owns it), with a reason
 * per finding. Acknowledgements end up in the construct metadata, where cdk-nag, the CDK validation
 * report and `npm run nag:report` read them.
 *
 * @throws Error naming the construct path when the scope is an App, Stage or Stack (no blanket
 *   acknowledgements), when an id is not a known finding id, or when a reason is too short.
 */
export function acknowledge(construct: IConstruct, findings: readonly Finding[]): void {
  const path = construct.node.path || '<app>';
  if (App.isApp(construct) || Stage.isStage(construct) || Stack.isStack(construct)) {
    throw new Error(
      `${path}: acknowledge findings on the resource they concern, not on a whole ${Stack.isStack(construct) ? 'stack' : 'stage or app'}.`,
    );
  }
  if (findings.length === 0) throw new Error(`${path}: acknowledge() needs at least one finding.`);
  for (const finding of findings) {
    if (!ID_PATTERNS.some((p) => p.test(finding.id))) {
      throw new Error(
        `${path}: '${finding.id}' is not a finding id. Copy it from the compliance report: ` +
          `'AwsSolutions-IAM5[Action::s3:GetObject*]', 'NIST.800.53.R5-<Rule>' or '${CFN_GUARD_NAMESPACE}::<rule_name>'.`,
      );
    }
    if (finding.reason.trim().length < MIN_REASON_LENGTH) {
      throw new Error(
        `${path}: the reason for ${finding.id} must say why it is acceptable (at least ${MIN_REASON_LENGTH} characters).`,
      );
    }
    Validations.of(construct).acknowledge({ id: qualifiedFindingId(finding.id), reason: finding.reason.trim() });
  }
}

/**
 * The construct at `relativePath` (construct ids joined by `/`) below `scope`, for constructs that a
 * library creates and exposes no handle to (CDK Pipelines' roles, CDK's custom resource providers).
 *
 * @throws Error naming the full path and the children found where it stops: the construct tree
 *   changed, and an acknowledgement silently skipped would leave its findings to fail the gates later.
 */
export function constructAt(scope: IConstruct, relativePath: string): IConstruct {
  let node: IConstruct = scope;
  for (const id of relativePath.split('/')) {
    const child = node.node.tryFindChild(id);
    if (!child) {
      const children = node.node.children.map((c) => c.node.id).join(', ') || 'none';
      throw new Error(
        `${scope.node.path || '<app>'}/${relativePath}: no construct '${id}' below ${node.node.path || '<app>'} (children: ${children}); the construct tree changed, update the acknowledgement.`,
      );
    }
    node = child;
  }
  return node;
}

/** {@link acknowledge} on {@link constructAt}(`scope`, `relativePath`); throws the same way when it is missing. */
export function acknowledgeAt(scope: IConstruct, relativePath: string, findings: readonly Finding[]): void {
  acknowledge(constructAt(scope, relativePath), findings);
}

/**
 * The id under which the CDK validation framework matches a finding: `<plugin>::<finding>`. With the
 * plugin prefix, acknowledged cdk-nag findings are suppressed by the CDK itself and listed, with their
 * reason, under `suppressedViolations` in `validation-report.json` (an audit trail, and a way to spot
 * acknowledgements that no longer match a finding).
 */
export function qualifiedFindingId(id: string): string {
  if (id.startsWith('AwsSolutions-')) return `AwsSolutions::${id}`;
  if (id.startsWith('NIST.800.53.R5-')) return `NIST.800.53.R5::${id}`;
  return id;
}

/** The finding id as written in code, from the id the CDK records (`AwsSolutions::AwsSolutions-S1`). */
export function unqualifiedFindingId(recorded: string): string {
  return recorded.replace(/^(annotation|AwsSolutions|NIST\.800\.53\.R5)::/i, '');
}
