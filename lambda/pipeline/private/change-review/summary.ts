import { describeFinding } from './data-loss';
import { countByKind } from './diff-stacks';
import { leftoverLines, stackLabel } from './render-report';
import type { ChangeReviewReport } from './run-change-review';
import { snsSubject, SNS_MAX_SUBJECT_LENGTH } from '../sns-subject';

export { snsSubject, SNS_MAX_SUBJECT_LENGTH };

/** SNS accepts at most this many bytes of message. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** A notification: subject and body. */
export interface Notification {
  readonly subject: string;
  readonly message: string;
  /** True when the body was cut to fit. */
  readonly truncated: boolean;
}

/**
 * Cuts `lines` so that, with `tail`, they fit in `maxBytes` (UTF-8), saying how many lines were left out.
 * The tail (where the full report is) is always kept.
 */
export function fitLines(
  lines: readonly string[],
  tail: readonly string[],
  maxBytes: number,
): { text: string; truncated: boolean } {
  const join = (ls: readonly string[]) => ls.join('\n');
  const full = join([...lines, ...tail]);
  if (Buffer.byteLength(full, 'utf8') <= maxBytes) return { text: full, truncated: false };
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const note = `... ${lines.length - i} more lines left out: the notification limit is ${maxBytes} bytes. See the full report.`;
    const candidate = join([...kept, lines[i], '', ...tail]);
    const withNote = Buffer.byteLength(candidate, 'utf8') + Buffer.byteLength(`\n${note}`, 'utf8');
    if (withNote > maxBytes) {
      return { text: join([...kept, note, '', ...tail]), truncated: true };
    }
    kept.push(lines[i]);
  }
  return { text: join([...kept, '', ...tail]), truncated: true };
}

/**
 * The approver's short summary: verdict, counts per stack, every replacement or removal, every IAM
 * and security group change, and drift, then where the full report is.
 */
export function renderSummary(
  report: ChangeReviewReport,
  reportUrl: string | undefined,
  maxBytes = SNS_MAX_MESSAGE_BYTES,
): Notification {
  const counts = report.stacks.map((s) => ({ s, c: countByKind(s) }));
  const total = (k: keyof ReturnType<typeof countByKind>) => counts.reduce((n, x) => n + x.c[k], 0);
  const iamCount = report.stacks.reduce((n, s) => n + s.iam.length + s.securityGroups.length, 0);
  const driftCount = report.drift.reduce((n, d) => n + d.drifted.length, 0);
  const verdict = report.passed ? 'passed' : 'FAILED';
  const left = report.leftovers.length ? `, ${report.leftovers.length} stacks left` : '';
  const subject = snsSubject(
    `[change review ${verdict}${report.breakGlass.length ? ', BREAK-GLASS' : ''}] ${report.stage}: ${total('replaced') + total('may-replace')} replaced, ${total('removed')} removed, ${iamCount} IAM/SG, ${driftCount} drift${left}`,
  );
  const lines = [
    `Change review of ${report.stage} ${verdict}${report.origin.commit ? ` for commit ${report.origin.commit}` : ''}.`,
    '',
  ];
  if (report.failures.length) lines.push('Why it fails:', ...report.failures.map((f) => `- ${f}`), '');
  if (report.breakGlass.length) {
    lines.push(
      `BREAK-GLASS: ${report.stage} is a production stage that goes without these guards:`,
      ...report.breakGlass.map((b) => `- ${b.guard}: ${b.weakened} (${b.key}). Reason: ${b.reason}`),
      '',
    );
  }
  if (report.unchecked.length)
    lines.push('Could not check (the review fails):', ...report.unchecked.map((u) => `- ${u}`), '');
  lines.push('Per stack (added / modified / replaced / removed):');
  for (const { s, c } of counts) {
    lines.push(
      `- ${stackLabel(s)}: ${c.added} / ${c.modified} / ${c.replaced + c['may-replace']} / ${c.removed}${s.deployed ? '' : ' (not deployed yet)'}`,
    );
  }
  lines.push('');
  lines.push(
    `Stacks no longer in the assembly (deployed, never deleted by the pipeline):${report.leftovers.length ? '' : ' none'}`,
    ...leftoverLines(report.stage, report.leftovers),
    '',
  );
  const replacements = report.stacks.flatMap((s) =>
    s.resources
      .filter((r) => r.kind === 'replaced' || r.kind === 'may-replace' || r.kind === 'removed')
      .map(
        (r) =>
          `- ${stackLabel(s)}/${r.logicalId} (${r.type}) ${r.kind === 'may-replace' ? 'may be replaced' : r.kind}${r.replacingProperties.length ? ` by ${r.replacingProperties.join(', ')}` : ''}`,
      ),
  );
  lines.push(
    `Replacements and removals:${replacements.length || report.dataLoss.allowed.length ? '' : ' none'}`,
    ...replacements,
  );
  for (const f of report.dataLoss.allowed)
    lines.push(`- allowed data loss: ${describeFinding(f)}; reason: ${f.allowedBy!.reason}`);
  const iam = report.stacks.flatMap((s) => [
    ...s.iam.map(
      (i) =>
        `- ${s.stackName}: ${i.change === 'added' ? '+' : '-'} ${i.effect} ${i.managedPolicy ? `managed policy ${i.managedPolicy}` : i.actions} on ${i.resources || '-'} for ${i.principals}${i.condition ? ` when ${i.condition}` : ''}`,
    ),
    ...s.securityGroups.map(
      (g) => `- ${s.stackName}: ${g.change === 'added' ? '+' : '-'} ${g.direction} ${g.group} ${g.protocol} ${g.peer}`,
    ),
  ]);
  lines.push('', `IAM and security group changes:${iam.length ? '' : ' none'}`, ...iam);
  const drift = report.drift.flatMap((d) =>
    d.drifted.map((r) => `- ${r.stackName}/${r.logicalId} (${r.type}) ${r.status}`),
  );
  lines.push(
    '',
    `Drift (${report.failOnDrift ? 'fails the review' : 'reported only'}):${drift.length ? '' : ' none'}`,
    ...drift,
  );
  const tail = [reportUrl ? `Full report: ${reportUrl}` : 'Full report: in the build log of this step.'];
  const { text, truncated } = fitLines(lines, tail, maxBytes);
  return { subject, message: text, truncated };
}
