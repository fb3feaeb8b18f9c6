import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import type { ReleasePolicy, StageName } from '../../config';
import { PLATFORM_PREFIX } from '../../../contracts/resource-names';
import type { PlatformFunction } from '../functions/platform-function';
import type { PlatformFunctionSet } from '../functions/platform-functions';
import { lambdaDeploymentConfig } from './deployment-config';
import { FunctionRelease } from './function-release';
import { PreTrafficHook } from './pre-traffic-hook';
import type { PreTrafficProbeName } from '../../../contracts/pre-traffic-probes';

/** Props of {@link PlatformRelease}. */
export interface PlatformReleaseProps {
  /** Stage name; sets the application and alarm names. */
  readonly stageName: StageName;
  /** The stage's release policy: deployment config and the release alarms' thresholds. */
  readonly policy: ReleasePolicy;
  /** The functions to release (each with its `live` alias). */
  readonly functions: PlatformFunctionSet<PlatformFunction>;
  /** Topic the release alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** Log retention of the pre-traffic hooks, in days. */
  readonly logRetentionDays: number;
  /**
   * Keep the pre-traffic hooks' log groups when the stack is deleted (stages that retain their data).
   * @default true - the log groups are retained
   */
  readonly retainLogs?: boolean;
  /**
   * Customer-managed key that encrypts the pre-traffic hooks' log groups.
   * @default - encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * One CodeDeploy application per stage and a {@link FunctionRelease} per API and workflow function,
 * all with the stage's deployment config; API functions and workflow functions have their own latency thresholds.
 * Each deployment group has its own {@link PreTrafficHook}, which knows its function's new version and
 * harmless request: CodeDeploy's hook event carries only the deployment's ids.
 */
export class PlatformRelease extends Construct {
  /** The stage's CodeDeploy application. */
  readonly application: codedeploy.LambdaApplication;
  /** The release of each function, by role. */
  readonly releases: PlatformFunctionSet<FunctionRelease>;

  constructor(scope: Construct, id: string, props: PlatformReleaseProps) {
    super(scope, id);
    this.application = new codedeploy.LambdaApplication(this, 'Application', {
      applicationName: `${PLATFORM_PREFIX}-${props.stageName}-functions`,
    });
    // One role for the stage's deployment groups; each group adds AWS's managed policy for CodeDeploy on Lambda.
    const role = new iam.Role(this, 'CodeDeployRole', {
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
      description: `CodeDeploy shifts the live aliases of the ${props.stageName} functions`,
    });
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
        reason:
          "LambdaDeploymentGroup always attaches AWSCodeDeployRoleForLambdaLimited, AWS's own scoped policy for CodeDeploy on Lambda (alias updates, alarm reads, hooks named CodeDeployHook_*); no narrower role can be given to CodeDeploy through CDK.",
      },
    ]);
    const deploymentConfig = lambdaDeploymentConfig(props.policy.deploymentConfig);
    const releaseWith = (fn: PlatformFunction, latencyP99Ms: number, preTrafficHook: lambda.IFunction) =>
      new FunctionRelease(this, fn.node.id, {
        application: this.application,
        role,
        alarmTopic: props.alarmTopic,
        alias: fn.alias,
        deploymentConfig,
        maxErrors: props.policy.maxErrors,
        latencyP99Ms,
        alarmNamePrefix: `${PLATFORM_PREFIX}-${props.stageName}-${fn.node.id}`,
        preTrafficHook,
      });
    const f = props.functions;
    const hooks: PreTrafficHook[] = [];
    const release = (fn: PlatformFunction, latencyP99Ms: number, probe: PreTrafficProbeName) => {
      const hook = new PreTrafficHook(this, `${fn.node.id}PreTrafficHook`, {
        target: fn.function,
        targetVersion: fn.function.currentVersion,
        probe,
        stage: props.stageName,
        logRetentionDays: props.logRetentionDays,
        retainLogs: props.retainLogs,
        logEncryptionKey: props.logEncryptionKey,
      });
      hooks.push(hook);
      return releaseWith(fn, latencyP99Ms, hook.function);
    };
    this.releases = {
      health: release(f.health, props.policy.apiLatencyP99Ms, 'healthEndpoint'),
      projectsApi: release(f.projectsApi, props.policy.apiLatencyP99Ms, 'apiRoute'),
      projectScoping: release(f.projectScoping, props.policy.workerLatencyP99Ms, 'aiModel'),
      quoteEstimation: release(f.quoteEstimation, props.policy.workerLatencyP99Ms, 'aiModel'),
      notify: release(f.notify, props.policy.workerLatencyP99Ms, 'worker'),
    };
    // Each deployment group lets the shared CodeDeploy role invoke its hook (LambdaDeploymentGroup's preHook grant).
    acknowledge(role, [
      ...hooks.map((hook) => ({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((hook.function.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*]`,
        reason:
          "CDK's invoke grant on a pre-traffic hook covers the hook function and its qualifiers; CodeDeploy invokes only this hook, unqualified, and no other function.",
      })),
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The inline policy is added by LambdaDeploymentGroup and grants only invoking this stage's pre-traffic hooks; a managed policy would be shareable and no narrower.",
      },
    ]);
  }
}
