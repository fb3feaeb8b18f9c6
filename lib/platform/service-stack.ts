import { Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CHECK_ROLE_NAMES, resourceNames, StageConfig } from '../config';
import { PlatformMonitoring } from './observability/platform-monitoring';
import { StatefulStack } from './stateful-stack';
import { ValidationRole } from './validation/validation-role';

/** Props of {@link ServiceStack}. */
export interface ServiceStackProps extends StackProps {
  /** The stage this stack belongs to. */
  readonly stage: StageConfig;
  /** Account of the pipeline whose checks may assume the validation role. */
  readonly pipelineAccount: string;
  /** The stage's stateful resources. */
  readonly stateful: StatefulStack;
}

/** Code and everything stateless: functions, API, workflow, edge, monitoring, the validation role. */
export class ServiceStack extends Stack {
  /** Dashboard, alert topics, alarms and the stage-unhealthy alarm. */
  readonly monitoring: PlatformMonitoring;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    new ValidationRole(this, 'PipelineValidation', {
      roleName: resourceNames(props.stage.name).validationRole,
      pipelineAccount: props.pipelineAccount,
      trustedRoleNames: Object.values(CHECK_ROLE_NAMES),
    });
    const { stage, stateful } = props;
    this.monitoring = new PlatformMonitoring(this, 'Monitoring', {
      stageName: stage.name,
      level: stage.features.monitoring,
      thresholds: stage.alarms,
      alertEmails: stage.alertEmails,
      topicKey: stateful.dataKey,
      tables: Object.values(stateful.tables),
      tableBillingMode: stage.features.tableBillingMode === 'PROVISIONED' ? dynamodb.BillingMode.PROVISIONED : dynamodb.BillingMode.PAY_PER_REQUEST,
      // Service layer: add `functions`, `api` and `stateMachine` here once they exist in this stack.
    });
  }
}
