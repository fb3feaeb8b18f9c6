import { readFileSync } from 'fs';
import * as path from 'path';
import { Aws } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFileSetProducer } from 'aws-cdk-lib/pipelines';
import { CodeBuildStep } from 'aws-cdk-lib/pipelines';
import { parse } from 'yaml';
import { PIPELINE_BUILD_IMAGE } from './codebuild-defaults';

/** Default location of the synth step's buildspec. */
export const SYNTH_BUILDSPEC = path.join(__dirname, '..', '..', 'buildspec', 'synth.yml');

/**
 * The pipeline's Build step: its commands come from a real CodeBuild buildspec file,
 * so engineers can read (and run) exactly what the pipeline runs.
 *
 * @param input the source the step builds.
 * @param buildspecPath the buildspec file; defaults to `buildspec/synth.yml`.
 * @throws Error naming the file when it cannot be read or is not a buildspec with build commands.
 */
export function createSynthStep(input: IFileSetProducer, buildspecPath = SYNTH_BUILDSPEC): CodeBuildStep {
  let spec: unknown;
  try {
    spec = parse(readFileSync(buildspecPath, 'utf8'));
  } catch (e) {
    throw new Error(`Synth step: cannot read buildspec ${buildspecPath}: ${(e as Error).message}`, { cause: e });
  }
  const commands = (spec as { phases?: { build?: { commands?: unknown } } })?.phases?.build?.commands;
  if (!Array.isArray(commands) || commands.length === 0) {
    throw new Error(`Synth step: ${buildspecPath} must be a buildspec with a non-empty phases.build.commands list.`);
  }
  return new CodeBuildStep('Synth', {
    input,
    commands: [],
    partialBuildSpec: codebuild.BuildSpec.fromObject(spec as Record<string, unknown>),
    primaryOutputDirectory: 'cdk.out',
    buildEnvironment: {
      buildImage: PIPELINE_BUILD_IMAGE,
      // MEDIUM (4 vCPU, 7 GB): jest runs a worker per core, on the critical path of every push; SMALL is
      // slower for little saving, LARGE barely faster at twice the price (`npm run bench` prints all three).
      computeType: codebuild.ComputeType.MEDIUM,
    },
    rolePolicyStatements: [
      new iam.PolicyStatement({
        sid: 'PublishTestReports',
        actions: [
          'codebuild:CreateReportGroup',
          'codebuild:CreateReport',
          'codebuild:UpdateReport',
          'codebuild:BatchPutTestCases',
        ],
        resources: [`arn:${Aws.PARTITION}:codebuild:${Aws.REGION}:${Aws.ACCOUNT_ID}:report-group/*`],
      }),
    ],
  });
}
