import { readFileSync } from 'fs';
import * as path from 'path';
import { BREAK_GLASS_DELETE_COMMAND, breakGlassCommand, evaluateBreakGlass } from './break-glass';
import type { GateSpec, StageGates } from '../../../contracts/gate-spec';
import { BREAK_GLASS_PARAMETER } from '../../../contracts/gate-spec';
import { parseGateSpec } from './guard-command';
import { guardWeakenings, sha256 } from './guard-integrity';
import type { Template } from './pipeline-gates';
import { pipelineWeakenings } from './pipeline-gates';

/** What the guard reads and where it writes (replaced in tests). */
export interface GuardDeps {
  /** The step's input directory (the cloud assembly artifact): where `cdk -a` is resolved from. */
  readonly inputDir: string;
  /** The code of the guard that runs now. */
  readonly ownScript: Buffer;
  readonly now: Date;
  /** The break-glass parameter's value; undefined when it does not exist; throws when it cannot be read. */
  readonly readBreakGlass: () => string | undefined;
  readonly out: (line: string) => void;
}

/** The new pipeline stack's template, read as `cdk -a <assembly> deploy <stack>` finds it, with its file's bytes. */
export function readPipelineTemplate(inputDir: string, spec: GateSpec): { template: Template; bytes: Buffer } {
  const assembly = path.resolve(inputDir, spec.pipelineStack.assembly);
  const manifestFile = path.join(assembly, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type?: string; displayName?: string; properties?: { templateFile?: string } }>;
  };
  const { stack } = spec.pipelineStack;
  // The CLI selects a stack by its hierarchical id: the artifact's displayName, else its id.
  const found = Object.entries(manifest.artifacts ?? {}).filter(
    ([id, a]) => a.type === 'aws:cloudformation:stack' && (a.displayName ?? id) === stack,
  );
  if (found.length !== 1)
    throw new Error(`${manifestFile} has ${found.length} stacks named ${stack}; the deploy needs exactly one`);
  const templateFile = found[0][1].properties?.templateFile;
  if (!templateFile) throw new Error(`${manifestFile}: stack ${stack} names no templateFile`);
  const bytes = readFileSync(path.join(assembly, templateFile));
  return { template: JSON.parse(bytes.toString('utf8')) as Template, bytes };
}

function describeGates(stage: StageGates): string {
  const parts = [
    stage.approval ? `${stage.approval.actions.map((a) => a.name).join(' then ')} in ${stage.approval.stage}` : '',
    stage.window ? `window "${stage.window.cron}" ${stage.window.timeZone}` : '',
    stage.rollbackOnFailure ? 'rollback on failure' : '',
    stage.bake ? `${stage.bake.minutes}-minute ${stage.bake.action.name} on ${stage.bake.alarmName}` : '',
    stage.checks.length ? `checks ${stage.checks.map((c) => c.name).join(', ')}` : '',
  ].filter(Boolean);
  return `${stage.stage}: ${parts.join('; ') || 'no gates'}`;
}

const RULE = '!'.repeat(100);

/**
 * The guard: compares the new pipeline stack in the step's input with the production gates of the
 * deployed pipeline (`specJson`, embedded in the deployed buildspec) and with the guard itself, and
 * refuses any weakening unless the break-glass parameter allows it.
 *
 * @returns the exit code: 0 lets the deploy run, 1 stops it.
 */
export function runGuard(specJson: string, deps: GuardDeps): number {
  const { out } = deps;
  let spec: GateSpec;
  let template: Template;
  let templateSha: string;
  try {
    spec = parseGateSpec(specJson);
    const read = readPipelineTemplate(deps.inputDir, spec);
    template = read.template;
    templateSha = sha256(read.bytes);
  } catch (e) {
    out(`Self-mutation guard: cannot check the new pipeline, so it is not deployed: ${(e as Error).message}`);
    return 1;
  }
  out(
    `Self-mutation guard: checking ${spec.pipelineStack.stack} (template sha256 ${templateSha}) against the gates of the deployed pipeline ${spec.pipelineName}:`,
  );
  for (const stage of spec.production) out(`  ${describeGates(stage)}`);
  if (!spec.production.length) out('  (no production stage)');
  const weakenings = [...pipelineWeakenings(spec, template), ...guardWeakenings(spec, template, deps.ownScript)];

  let raw: string | undefined;
  try {
    raw = deps.readBreakGlass();
  } catch (e) {
    out(`Self-mutation guard: cannot read the break-glass parameter ${BREAK_GLASS_PARAMETER}: ${(e as Error).message}`);
    for (const w of weakenings) out(`  - ${w}`);
    out(
      'The guard does not deploy what it could not fully check. Fix the read (the SelfMutate role may get ssm:GetParameter on it) and retry.',
    );
    return 1;
  }

  if (!weakenings.length) {
    out('Self-mutation guard: no production gate is weakened; deploying.');
    if (raw !== undefined)
      out(
        `WARNING: the break-glass parameter ${BREAK_GLASS_PARAMETER} is still set although nothing needs it; delete it: ${BREAK_GLASS_DELETE_COMMAND}`,
      );
    return 0;
  }

  const verdict = evaluateBreakGlass(raw, deps.now, templateSha);
  if (verdict.allowed) {
    const bg = verdict.allowed;
    out(RULE);
    out('BREAK-GLASS IN USE: this deploy weakens production gates:');
    for (const w of weakenings) out(`  - ${w}`);
    out(`Reason: ${bg.reason}`);
    out(
      `Allowed until ${bg.expires.toISOString()}${bg.template ? ` for template ${bg.template} only` : ' for any template'}.`,
    );
    out(`Delete the parameter once this is deployed: ${BREAK_GLASS_DELETE_COMMAND}`);
    out(RULE);
    return 0;
  }
  out('Self-mutation guard: REFUSED. The new pipeline weakens production gates, so it is not deployed:');
  for (const w of weakenings) out(`  - ${w}`);
  out(`The break-glass does not allow it: ${verdict.refused}.`);
  out(
    'If the change is intended, an administrator of the pipeline account authorises this very template, then retries UpdatePipeline:',
  );
  out(`  ${breakGlassCommand(templateSha, deps.now)}`);
  out(`and deletes it once deployed: ${BREAK_GLASS_DELETE_COMMAND}`);
  return 1;
}
