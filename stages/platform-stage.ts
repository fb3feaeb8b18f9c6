import { Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { resourceNames, StageConfig } from '../lib/config';
import { EdgeSecurityStack } from '../lib/platform/edge-security-stack';
import { ServiceStack } from '../lib/platform/service-stack';
import { StatefulStack } from '../lib/platform/stateful-stack';

/** Props of {@link PlatformStage}. */
export interface PlatformStageProps extends StageProps {
  /** Validated config of this stage. */
  readonly config: StageConfig;
  /** Account of the pipeline (trusted by the stage's validation role). */
  readonly pipelineAccount: string;
}

/**
 * The whole platform in one environment. Dev, Staging and Prod are instances of this class
 * with their own config; nothing in here switches on the stage's name.
 *
 * Stacks form a two-level graph: stateful stacks first, then the stacks that use them.
 */
export class PlatformStage extends Stage {
  /** Validated config of this stage. */
  readonly config: StageConfig;
  /** Every stack of the stage, in creation order. */
  readonly stacks: readonly Stack[];
  /** ARN of the read-only role the pipeline's checks assume in the stage account. */
  readonly validationRoleArn: string;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const config = props.config;
    this.config = config;
    const common = {
      env: { account: config.account, region: config.region },
      terminationProtection: config.features.terminationProtection,
      crossRegionReferences: true,
    };

    const stateful = new StatefulStack(this, 'Stateful', { ...common, stage: config });
    // CloudFront-scope WebACLs exist only in us-east-1; the Service stack reads the ARN through
    // a cross-region reference (crossRegionReferences in `common`).
    const edgeSecurity = config.features.waf
      ? new EdgeSecurityStack(this, 'EdgeSecurity', { ...common, env: { account: config.account, region: 'us-east-1' }, rateLimit: config.wafRateLimit })
      : undefined;
    const service = new ServiceStack(this, 'Service', {
      ...common,
      stage: config,
      pipelineAccount: props.pipelineAccount,
      stateful,
      cloudFrontWebAclArn: edgeSecurity?.webAclArn,
    });

    service.addStackDependency(stateful, 'Service code uses the stateful resources');
    if (edgeSecurity) service.addStackDependency(edgeSecurity, 'The distribution uses the CloudFront WebACL');

    this.stacks = [stateful, ...(edgeSecurity ? [edgeSecurity] : []), service];
    this.validationRoleArn = `arn:aws:iam::${config.account}:role/${resourceNames(config.name).validationRole}`;
  }

  /** CloudFormation stack names of the stage, for the post-deploy checks. */
  get stackNames(): string[] {
    return this.stacks.map((s) => s.stackName);
  }
}
