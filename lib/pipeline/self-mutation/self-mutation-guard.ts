import * as path from 'path';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Stack,
} from 'aws-cdk-lib';
import { Stage } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { CodeBuildOptions } from 'aws-cdk-lib/pipelines';
import { buildSync } from 'esbuild';
import { readFileSync } from 'fs';
import type { GateSpec, PipelineStackLocation } from '../../../contracts/gate-spec';
import { BREAK_GLASS_PARAMETER } from '../../../contracts/gate-spec';
import { guardWeakenings } from '../../../lambda/pipeline/self-mutation-guard/guard-integrity';
import { guardCommand } from '../../../lambda/pipeline/self-mutation-guard/guard-command';
import type { Template } from '../../../lambda/pipeline/self-mutation-guard/pipeline-gates';
import { pipelineWeakenings } from '../../../lambda/pipeline/self-mutation-guard/pipeline-gates';
import { PROJECT_ROOT } from '../../bundling/esbuild-bundling';
import { lambdaEntry } from '../../lambda-entry';

/** Entry of the guard the self-mutation step runs (bundled at synth, not a Lambda function). */
export const SELF_MUTATION_GUARD_ENTRY = lambdaEntry('pipeline', 'self-mutation-guard');

/**
 * Largest guard command accepted, in bytes: the bundle and the spec, base64, in one buildspec line.
 * CodeBuild documents no limit on an inline buildspec; this keeps the command far below what a shell
 * argument may hold on Linux (128 KiB) and the pipeline stack far below CloudFormation's 1 MB.
 */
export const GUARD_COMMAND_MAX_BYTES = 48 * 1024;

const bundles = new Map<string, Buffer>();

/**
 * The guard as one self-contained, minified CommonJS file for Node.js 22: esbuild's API in-process,
 * no AWS SDK (the guard calls the AWS CLI), no absolute path, so every checkout bundles the same bytes.
 * Bundled once per process and entry.
 *
 * @throws Error naming the entry when esbuild fails.
 */
export function bundleSelfMutationGuard(entry = SELF_MUTATION_GUARD_ENTRY): Buffer {
  const cached = bundles.get(entry);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    const [output] = buildSync({
      entryPoints: [entry],
      absWorkingDir: PROJECT_ROOT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      minify: true,
      legalComments: 'none',
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
    }).outputFiles;
    bytes = Buffer.from(output.contents);
  } catch (e) {
    throw new Error(`esbuild could not bundle ${path.relative(PROJECT_ROOT, entry)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  bundles.set(entry, bytes);
  return bytes;
}

/**
 * Where `cdk -a <assembly> deploy <stack>` of the self-mutation step finds `stack`: CDK Pipelines deploys
 * the stack by its construct path from the assembly of its stage, which is the input's root for a stack
 * of the app itself.
 *
 * @throws Error when the stack is not a stack of the app itself (inside a Stage).
 */
export function pipelineStackLocation(stack: Stack): PipelineStackLocation {
  const stage = Stage.of(stack);
  if (!stage || stage.node.scope !== undefined)
    throw new Error(
      `${stack.node.path}: the self-mutation guard reads a pipeline stack of the app itself, not one inside a Stage`,
    );
  return { assembly: '.', stack: stack.node.path };
}

/** ARN of the break-glass parameter in the stack's account and region. */
export function breakGlassParameterArn(stack: Stack): string {
  return stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: BREAK_GLASS_PARAMETER.slice(1) });
}

/**
 * CodeBuild options of the self-mutation project (`CodePipelineProps.selfMutationCodeBuildDefaults`):
 * the guard in pre_build, which CodeBuild runs before the build phase's `cdk deploy` and whose failure
 * skips it (https://docs.aws.amazon.com/codebuild/latest/userguide/view-build-details-phases.html);
 * and read access to the break-glass parameter, nothing else of SSM.
 *
 * @throws Error when the guard command is larger than {@link GUARD_COMMAND_MAX_BYTES}.
 */
export function selfMutationGuardDefaults(
  stack: Stack,
  spec: GateSpec,
  script = bundleSelfMutationGuard(),
): CodeBuildOptions {
  const command = guardCommand(script, spec);
  const bytes = Buffer.byteLength(command);
  if (bytes > GUARD_COMMAND_MAX_BYTES)
    throw new Error(
      `${stack.node.path}: the self-mutation guard command is ${bytes} bytes, more than ${GUARD_COMMAND_MAX_BYTES}; keep the guard small (no SDK, no large dependency).`,
    );
  return {
    partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { pre_build: { commands: [command] } } }),
    rolePolicy: [
      new iam.PolicyStatement({
        sid: 'ReadBreakGlass',
        actions: ['ssm:GetParameter'],
        resources: [breakGlassParameterArn(stack)],
      }),
    ],
  };
}

/** What the guard that `template` deploys would refuse in `template` itself; empty when it would deploy it. */
export function selfMutationGuardProblems(spec: GateSpec, template: Template, script: Buffer): string[] {
  return [...pipelineWeakenings(spec, template), ...guardWeakenings(spec, template, script)];
}

/**
 * A synth-time check of the pipeline stack: the guard it deploys must find every gate of its own spec
 * and itself in the template, or the next execution's self-mutation would refuse what this synth built.
 * A finding fails the synth (CDK's policy validation), naming the gate.
 */
export class SelfMutationGuardCheck implements IPolicyValidationPlugin {
  readonly name = 'SelfMutationGuard';

  constructor(
    private readonly stackPath: string,
    private readonly spec: GateSpec,
    private readonly script: Buffer,
  ) {}

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stack = context.stackTemplates.find((s) => s.stackConstructPath === this.stackPath);
    if (!stack)
      return {
        success: false,
        violations: [
          {
            ruleName: 'self-mutation-guard',
            description: `no template of ${this.stackPath} to check`,
            violatingResources: [{ locations: [] }],
          },
        ],
      };
    const template = JSON.parse(readFileSync(stack.templatePath, 'utf8')) as Template;
    const violations = selfMutationGuardProblems(this.spec, template, this.script).map((problem) => ({
      ruleName: 'self-mutation-guard',
      description: `The deployed guard would refuse this pipeline: ${problem}`,
      fix: 'Build the gate the spec names (lib/pipeline/self-mutation/production-gate-spec.ts) or correct its name there.',
      violatingResources: [{ templatePath: stack.templatePath, constructPath: this.stackPath, locations: [] }],
    }));
    return { success: violations.length === 0, violations };
  }
}
