import { describeFinding } from './data-loss';
import type { StackChanges } from './diff-stacks';
import { countByKind } from './diff-stacks';
import type { DeployedStageStack, LeftoverStack } from './leftover-stacks';
import type { ChangeReviewReport } from './run-change-review';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A stack's name in the report: `Prod-Service`, or `Prod-Service/Search` for its nested stack `Search`. */
export function stackLabel(s: Pick<StackChanges, 'stackName' | 'nestedPath'>): string {
  return [s.stackName, ...(s.nestedPath ?? [])].join('/');
}

function stackSection(s: StackChanges): string[] {
  const state = s.deployed ? '' : ' - not deployed yet: everything is added';
  const lines = [`## ${stackLabel(s)} (${s.region})${s.nestedPath?.length ? ' - nested stack' : ''}${state}`, ''];
  if (!s.resources.length && !s.iam.length && !s.securityGroups.length && !s.parameters.length && !s.outputs.length)
    return [...lines, 'No change.', ''];
  const c = countByKind(s);
  lines.push(
    `Resources: ${c.added} added, ${c.modified} modified, ${c.replaced} replaced, ${c['may-replace']} may be replaced, ${c.removed} removed${c.imported ? `, ${c.imported} imported` : ''}.`,
    '',
  );
  if (s.resources.length) {
    lines.push(
      '| Change | Logical id | Type | CloudFormation impact | Properties | Retained |',
      '|---|---|---|---|---|---|',
    );
    for (const r of s.resources) {
      const props = r.replacingProperties.length
        ? `${r.changedProperties.join(', ')} (replaces: ${r.replacingProperties.join(', ')})`
        : r.changedProperties.join(', ');
      const retained = [
        r.retainedBecause,
        r.weakenedRetention?.length ? `weakened: ${r.weakenedRetention.join(', ')}` : undefined,
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(`| ${r.kind} | ${r.logicalId} | ${r.type} | ${r.impact} | ${cell(props)} | ${cell(retained)} |`);
    }
    lines.push('');
  }
  if (s.iam.length) {
    lines.push(
      'IAM changes:',
      '',
      '| | Effect | Actions | Resources | Principals | Condition |',
      '|---|---|---|---|---|---|',
    );
    for (const i of s.iam) {
      const actions = i.managedPolicy ? `managed policy ${i.managedPolicy}` : i.actions;
      lines.push(
        `| ${i.change === 'added' ? '+' : '-'} | ${i.effect} | ${cell(actions)} | ${cell(i.resources)} | ${cell(i.principals)} | ${cell(i.condition ?? '')} |`,
      );
    }
    lines.push('');
  }
  if (s.securityGroups.length) {
    lines.push('Security group changes:', '');
    for (const g of s.securityGroups)
      lines.push(`- ${g.change === 'added' ? '+' : '-'} ${g.direction} ${g.group} ${g.protocol} ${g.peer}`);
    lines.push('');
  }
  if (s.parameters.length)
    lines.push(`Parameters: ${s.parameters.map((p) => `${p.name} (${p.change})`).join(', ')}`, '');
  if (s.outputs.length) lines.push(`Outputs: ${s.outputs.map((o) => `${o.name} (${o.change})`).join(', ')}`, '');
  return lines;
}

/** One line about a deployed stack: name, region, status and termination protection. */
function stackState(s: DeployedStageStack): string {
  return `${s.stackName} (${s.region}, ${s.status}${s.terminationProtection ? ', termination protection on' : ''})`;
}

/** The lines of the "no longer in the assembly" section: each stack, and what it holds. */
export function leftoverLines(stage: string, leftovers: readonly LeftoverStack[]): string[] {
  return leftovers.map((l) => {
    if (l.unreadable) return `- ${stackState(l)}: what it holds could not be read (${l.unreadable})`;
    if (!l.retained.length)
      return `- ${stackState(l)}: holds nothing retained; \`npm run cleanup -- --stage ${stage} --delete\` deletes it`;
    const held = l.retained.map((r) => `${r.logicalId} (${r.type}${r.physicalId ? ` ${r.physicalId}` : ''})`);
    return `- ${stackState(l)}: holds ${held.join(', ')}`;
  });
}

/** The full change report as Markdown: verdict, data loss, drift, then every stack's changes. */
export function renderReport(report: ChangeReviewReport): string {
  const lines = [
    `# Change review of ${report.stage}: ${report.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `Generated ${report.generatedAt} by the ${report.origin.source}${report.origin.commit ? `, commit ${report.origin.commit}` : ''}${report.origin.executionId ? `, execution ${report.origin.executionId}` : ''}.`,
    '',
  ];
  if (report.stacks.length && report.stacks.every((s) => !s.deployed) && !report.leftovers.length)
    lines.push(
      `First deployment of ${report.stage}: none of its stacks exists yet, so every resource is an addition, nothing can be lost and nothing can drift.`,
      '',
    );
  if (report.failures.length) lines.push('## Why it fails', '', ...report.failures.map((f) => `- ${f}`), '');
  if (report.breakGlass.length) {
    lines.push(
      '## BREAK-GLASS: production guards weakened',
      '',
      `${report.stage} is a production stage that goes without these guards, each under a break-glass key with its reason:`,
      '',
      ...report.breakGlass.map((b) => `- ${b.guard}: ${b.weakened} (${b.key}). Reason: ${b.reason}`),
      '',
    );
  }
  if (report.unchecked.length)
    lines.push(
      '## Could not check',
      '',
      'The review fails: it could not check what follows. Every finding below is from what it could read.',
      '',
      ...report.unchecked.map((u) => `- ${u}`),
      '',
    );
  lines.push('## Data loss', '');
  const { blocked, allowed, unusedExceptions } = report.dataLoss;
  if (!blocked.length && !allowed.length) lines.push('No retained resource is replaced or removed.');
  for (const f of blocked) lines.push(`- BLOCKED: ${describeFinding(f)}`);
  for (const f of allowed)
    lines.push(`- ALLOWED by changeReview.allowReplace: ${describeFinding(f)}. Reason: ${f.allowedBy!.reason}`);
  for (const e of unusedExceptions)
    lines.push(
      `- Unused exception ${e.stack ? `${e.stack}/` : ''}${e.logicalId} (nothing matched it; remove it from changeReview.allowReplace)`,
    );
  lines.push('', '## Stacks no longer in the assembly', '');
  lines.push(
    report.leftovers.length
      ? 'CDK Pipelines never deletes a stack the assembly no longer contains: each stays deployed, unmanaged. What it holds is a data-loss finding above.'
      : 'None: every stack deployed for the stage is in the assembly.',
  );
  lines.push(...leftoverLines(report.stage, report.leftovers));
  for (const u of report.untagged)
    lines.push(
      `- not judged: ${stackState(u)} is named like the stage's stacks but lacks its stack tags (another app's, or deployed before the app tagged its stacks); never changed or deleted`,
    );
  lines.push('', `## Drift (${report.failOnDrift ? 'fails the review' : 'reported only'})`, '');
  const drifted = report.drift.flatMap((d) => d.drifted);
  if (!drifted.length) lines.push('No drifted resource.');
  for (const d of report.drift)
    if (d.status === 'NOT_DEPLOYED') lines.push(`- ${d.stackName}: not deployed, nothing to detect`);
  for (const r of drifted) {
    const props = r.properties.map((p) => `${p.path} ${p.difference}`).join(', ');
    lines.push(`- ${r.stackName}/${r.logicalId} (${r.type}) ${r.status}${props ? `: ${props}` : ''}`);
  }
  lines.push('');
  for (const s of report.stacks) lines.push(...stackSection(s));
  return lines.join('\n');
}
