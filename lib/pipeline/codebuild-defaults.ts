import { RemovalPolicy } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { CodeBuildOptions } from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import { acknowledge, CFN_GUARD_NAMESPACE } from '../compliance/acknowledge';

/**
 * The CodeBuild image of every project the pipeline runs (Build, UpdatePipeline, Assets): Ubuntu
 * 22.04 standard 7.0, the newest Ubuntu standard image aws-cdk-lib names, whose runtimes include
 * Node.js 22 and Python 3.11 (what buildspec/synth.yml selects).
 */
export const PIPELINE_BUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0;

/** The Node.js major version every CodeBuild project of the pipeline selects (`runtime-versions`). */
export const PIPELINE_NODEJS_VERSION = 22;

/** Props of {@link pipelineCodeBuildDefaults}. */
export interface PipelineCodeBuildDefaultsProps {
  /** Days the pipeline's build log group keeps events; a CloudWatch Logs retention value. */
  readonly logRetentionDays: number;
}

/**
 * CodeBuild defaults of the whole pipeline: the {@link PIPELINE_BUILD_IMAGE} image with Node.js
 * {@link PIPELINE_NODEJS_VERSION} selected, and one log group with a retention (retained on delete)
 * for the logs of every project, instead of the never-expiring groups CodeBuild would create itself.
 */
export function pipelineCodeBuildDefaults(scope: Construct, props: PipelineCodeBuildDefaultsProps): CodeBuildOptions {
  const logGroup = new logs.LogGroup(scope, 'BuildLogs', {
    retention: props.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledge(logGroup, [
    {
      id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      reason:
        'Build logs hold command output of the build, self-mutation and asset publishing (test names, stack names, asset hashes), no personal data or secrets; CloudWatch Logs encrypts them at rest with AWS-owned keys.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::cloudwatch_log_group_encrypted_check`,
      reason:
        'No personal data or secrets in the build logs; encrypted at rest by CloudWatch Logs (see NIST.800.53.R5-CloudWatchLogGroupEncrypted).',
    },
  ]);
  return {
    buildEnvironment: { buildImage: PIPELINE_BUILD_IMAGE },
    partialBuildSpec: codebuild.BuildSpec.fromObject({
      phases: { install: { 'runtime-versions': { nodejs: PIPELINE_NODEJS_VERSION } } },
    }),
    logging: { cloudWatch: { logGroup } },
  };
}
