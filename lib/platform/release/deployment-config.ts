import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type { DeploymentConfigName } from '../../config';

const CONFIGS: Readonly<Record<DeploymentConfigName, codedeploy.ILambdaDeploymentConfig>> = {
  ALL_AT_ONCE: codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
  CANARY_10PERCENT_5MINUTES: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  CANARY_10PERCENT_10MINUTES: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  CANARY_10PERCENT_15MINUTES: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  CANARY_10PERCENT_30MINUTES: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  LINEAR_10PERCENT_EVERY_1MINUTE: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  LINEAR_10PERCENT_EVERY_2MINUTES: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  LINEAR_10PERCENT_EVERY_3MINUTES: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  LINEAR_10PERCENT_EVERY_10MINUTES: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
};

/** The predefined CodeDeploy config named by `release.deploymentConfig`. */
export function lambdaDeploymentConfig(name: DeploymentConfigName): codedeploy.ILambdaDeploymentConfig {
  return CONFIGS[name];
}

/**
 * Minutes one deployment with the named config takes to shift all traffic, the pre-traffic hook excluded:
 * a canary waits its interval once, a linear config nine intervals (10 percent steps), all-at-once none.
 */
export function trafficShiftMinutes(name: DeploymentConfigName): number {
  const canary = /^CANARY_10PERCENT_(\d+)MINUTES$/.exec(name);
  if (canary) return Number(canary[1]);
  const linear = /^LINEAR_10PERCENT_EVERY_(\d+)MINUTES?$/.exec(name);
  if (linear) return 9 * Number(linear[1]);
  return 0;
}
