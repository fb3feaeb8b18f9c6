import type { Stack } from 'aws-cdk-lib';
import { BOOTSTRAP_QUALIFIER_CONTEXT, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { IConstruct } from 'constructs';

/** An account and region, with the partition its ARNs use. */
export interface BootstrapEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * The partition of `region` as CDK's region facts know it; `aws` for a region they do not know yet.
 */
export function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}

/**
 * The bootstrap qualifier the app's DefaultStackSynthesizer uses: context `@aws-cdk/core:bootstrapQualifier`,
 * else `DefaultStackSynthesizer.DEFAULT_QUALIFIER`.
 */
export function bootstrapQualifier(scope: IConstruct): string {
  return scope.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
}

function specialize(template: string, env: BootstrapEnvironment, qualifier: string): string {
  return template
    .replace(/\$\{Qualifier\}/g, qualifier)
    .replace(/\$\{AWS::AccountId\}/g, env.account)
    .replace(/\$\{AWS::Region\}/g, env.region)
    .replace(/\$\{AWS::Partition\}/g, env.partition);
}

/**
 * ARNs of the five roles `cdk bootstrap` creates in an environment (the names DefaultStackSynthesizer
 * expects; node_modules/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml creates them).
 */
export function bootstrapRoleArns(env: BootstrapEnvironment, qualifier: string) {
  return {
    deploy: specialize(DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN, env, qualifier),
    cloudFormationExecution: specialize(DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN, env, qualifier),
    filePublishing: specialize(DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN, env, qualifier),
    imagePublishing: specialize(DefaultStackSynthesizer.DEFAULT_IMAGE_ASSET_PUBLISHING_ROLE_ARN, env, qualifier),
    lookup: specialize(DefaultStackSynthesizer.DEFAULT_LOOKUP_ROLE_ARN, env, qualifier),
  };
}

/** Name of the file assets bucket `cdk bootstrap` creates in an environment. */
export function bootstrapAssetsBucketName(env: BootstrapEnvironment, qualifier: string): string {
  return specialize(DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME, env, qualifier);
}

/**
 * The CDK bootstrap's lookup role of every region `stacks` live in, by region, as each stack's synthesizer
 * names it (its qualifier included): the read-only role `cdk diff` reads a deployed stack through.
 *
 * @throws Error naming the stack when its synthesizer has no lookup role (not a DefaultStackSynthesizer).
 */
export function lookupRoleArns(stacks: readonly Stack[]): Record<string, string> {
  const roles: Record<string, string> = {};
  for (const stack of stacks) {
    const synthesizer = stack.synthesizer;
    const role = synthesizer instanceof DefaultStackSynthesizer ? synthesizer.lookupRole : undefined;
    if (!role)
      throw new Error(
        `${stack.node.path}: the change review reads the stage through the CDK bootstrap's lookup role, but the stack's synthesizer (${synthesizer.constructor.name}) names none; use DefaultStackSynthesizer`,
      );
    const arn = role.replace(/\$\{AWS::Partition\}/g, partitionOf(stack.region));
    if (roles[stack.region] && roles[stack.region] !== arn)
      throw new Error(
        `${stack.node.path}: its lookup role ${arn} differs from ${roles[stack.region]} of another stack of the stage in ${stack.region}`,
      );
    roles[stack.region] = arn;
  }
  return roles;
}
