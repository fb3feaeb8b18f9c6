import { createHash } from 'crypto';
import type { GateSpec } from '../../../contracts/gate-spec';
import { BREAK_GLASS_PARAMETER } from '../../../contracts/gate-spec';
import { parseGateSpec, parseGuardCommand } from './guard-command';
import type { Template } from './pipeline-gates';
import { pipelinesNamed, specWeakenings, stagesOf } from './pipeline-gates';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Short sha256 of `bytes`, for messages. */
export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The buildspec of the CodeBuild project the self-mutation action runs, or why it cannot be read. */
function selfMutationBuildSpec(spec: GateSpec, template: Template): Json | string {
  const [pipeline] = pipelinesNamed(template, spec.pipelineName);
  if (!pipeline) return 'the pipeline is gone, and the guard with it';
  const { stage: stageName, action: actionName } = spec.selfMutation;
  const stage = stagesOf(pipeline).find((s) => s.Name === stageName);
  if (!stage) return `the self-mutation stage ${stageName} is gone: the next pipeline would not run the guard`;
  const action = (Array.isArray(stage.Actions) ? stage.Actions : []).find(
    (a) => isObject(a) && a.Name === actionName,
  ) as Json | undefined;
  if (!action) return `${stageName}/${actionName} is gone: the next pipeline would not run the guard`;
  const configuration = isObject(action.Configuration) ? action.Configuration : {};
  const ref = isObject(configuration.ProjectName) ? configuration.ProjectName.Ref : undefined;
  const project = typeof ref === 'string' ? template.Resources?.[ref] : undefined;
  if (!project || project.Type !== 'AWS::CodeBuild::Project')
    return `${stageName}/${actionName} no longer runs a CodeBuild project of this stack, so the guard cannot be found in it`;
  const source = isObject(project.Properties?.Source) ? project.Properties.Source : {};
  if (typeof source.BuildSpec !== 'string')
    return `the buildspec of ${stageName}/${actionName} is not written out in the template, so the guard cannot be found in it`;
  try {
    const parsed: unknown = JSON.parse(source.BuildSpec);
    if (isObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  return `the buildspec of ${stageName}/${actionName} is not the JSON CDK writes, so the guard cannot be found in it`;
}

/**
 * How the next pipeline would weaken the guard itself: its self-mutation step no longer runs the guard
 * before it deploys, runs other guard code, carries a weaker spec, or the stack would manage the
 * break-glass parameter. `ownScript` is the code of the guard that runs now. Empty when the guard holds.
 */
export function guardWeakenings(spec: GateSpec, template: Template, ownScript: Buffer): string[] {
  const out: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::SSM::Parameter' && resource.Properties?.Name === BREAK_GLASS_PARAMETER)
      out.push(`the stack would manage the break-glass parameter ${BREAK_GLASS_PARAMETER} itself (${id})`);
  }
  const buildSpec = selfMutationBuildSpec(spec, template);
  if (typeof buildSpec === 'string') return [...out, buildSpec];
  const phases = isObject(buildSpec.phases) ? buildSpec.phases : {};
  const preBuild = isObject(phases.pre_build) ? phases.pre_build : {};
  const commands = Array.isArray(preBuild.commands) ? preBuild.commands : [];
  const guards = commands.flatMap((c) => {
    const payload = typeof c === 'string' ? parseGuardCommand(c) : undefined;
    return payload ? [payload] : [];
  });
  const where = `${spec.selfMutation.stage}/${spec.selfMutation.action}`;
  if (guards.length !== 1) {
    out.push(
      guards.length
        ? `${where} runs the guard ${guards.length} times in pre_build`
        : `${where} no longer runs the guard in pre_build, before its deploy`,
    );
    return out;
  }
  if (preBuild['on-failure'] !== undefined && preBuild['on-failure'] !== 'ABORT')
    out.push(
      `${where}: pre_build on-failure is ${String(preBuild['on-failure'])}, so a refusal would not stop the deploy`,
    );
  const [guard] = guards;
  if (!guard.script.equals(ownScript))
    out.push(`${where} would run other guard code (sha256 ${sha256(ownScript)} now, ${sha256(guard.script)} next)`);
  try {
    out.push(...specWeakenings(spec, parseGateSpec(guard.specJson)).map((w) => `the next guard's spec: ${w}`));
  } catch (e) {
    out.push(`the next guard's spec cannot be read: ${(e as Error).message}`);
  }
  return out;
}
