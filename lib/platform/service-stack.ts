import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import type { StageConfig } from '../config';
import { PLATFORM_PREFIX, resourceNames } from '../../contracts/resource-names';
import { OUTPUTS } from '../../contracts/output-names';
import { PlatformApi } from './api/platform-api';
import { FrontendDistribution } from './edge/frontend-distribution';
import { DomainEventRules } from './events/domain-event-rules';
import type { PlatformFunctionSet } from './functions/platform-functions';
import { PlatformFunctions } from './functions/platform-functions';
import { PlatformMonitoring } from './observability/platform-monitoring';
import { SyntheticTraffic } from './observability/synthetic-traffic';
import { PlatformRelease } from './release/platform-release';
import { LogEncryptionKey } from './security/log-encryption-key';
import { PlatformWebAcl } from './security/platform-web-acl';
import type { StatefulStack } from './stateful-stack';
import { CheckRole, checkRoleNamesFor } from './checks/check-role';
import { AiWorkflow } from './workflow/ai-workflow';

/** Props of {@link ServiceStack}. */
export interface ServiceStackProps extends StackProps {
  /** The stage this stack belongs to. */
  readonly stage: StageConfig;
  /** Account of the pipeline whose checks may assume the check role. */
  readonly pipelineAccount: string;
  /** The stage's stateful resources. */
  readonly stateful: StatefulStack;
  /**
   * ARN of the CLOUDFRONT-scope WebACL (EdgeSecurity stack, us-east-1). Required when the stage's
   * `waf.enabled` is on; ignored otherwise.
   * @default - no WebACL on the distribution
   */
  readonly cloudFrontWebAclArn?: string;
}

/** Code and everything stateless: functions, API, workflow, edge, monitoring, the check role. */
export class ServiceStack extends Stack {
  /** The platform's functions by role (the function itself, not the alias). */
  readonly functions: PlatformFunctionSet<lambda.IFunction>;
  /** The REST API. */
  readonly api: apigateway.RestApi;
  /** The AI workflow. */
  readonly stateMachine: sfn.StateMachine;
  /** The custom bus of the domain events. */
  readonly eventBus: events.EventBus;
  /** The web app's distribution. */
  readonly distribution: cloudfront.Distribution;
  /** The regional WebACL on the API stage, when the stage has WAF. */
  readonly apiWebAcl?: wafv2.CfnWebACL;
  /** CodeDeploy releases of the API and workflow functions. */
  readonly release: PlatformRelease;
  /** The synthetic traffic canary, where the stage has `synthetics.enabled`. */
  readonly syntheticTraffic?: SyntheticTraffic;
  /** Dashboard, alert topics, alarms and the stage-unhealthy composite alarm. */
  readonly monitoring: PlatformMonitoring;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { stage, stateful } = props;
    if (stage.waf && !props.cloudFrontWebAclArn) {
      throw new Error(
        `${id}: stage ${stage.name} has WAF on, so cloudFrontWebAclArn (from the EdgeSecurity stack) is required`,
      );
    }

    new CheckRole(this, 'PipelineCheck', {
      roleName: resourceNames(stage.name).checkRole,
      pipelineAccount: props.pipelineAccount,
      trustedRoleNames: checkRoleNamesFor({
        dr: stage.backup !== undefined,
        bake: stage.delivery.bakeTimeMinutes > 0,
      }),
      isolatedVault: stage.backup?.isolatedCopy
        ? { region: stage.drRegion, vaultName: resourceNames(stage.name).isolatedBackupVault }
        : undefined,
    });

    const logEncryptionKey = new LogEncryptionKey(this, 'LogEncryptionKey').key;

    this.eventBus = new events.EventBus(this, 'DomainEventBus', {
      eventBusName: `${PLATFORM_PREFIX}-${stage.name}-domain-events`,
    });

    const fns = new PlatformFunctions(this, 'Functions', {
      stage: stage.name,
      logRetentionDays: stage.logRetentionDays,
      retainLogs: stage.retainData,
      logEncryptionKey,
      provisionedConcurrency: stage.provisionedConcurrency,
      aiModelId: stage.ai.modelId,
      memoryMb: stage.memoryMb,
      tables: stateful.tables,
      secrets: stateful.secrets,
      eventBus: this.eventBus,
    }).functions;
    this.functions = {
      health: fns.health.function,
      projectsApi: fns.projectsApi.function,
      projectScoping: fns.projectScoping.function,
      quoteEstimation: fns.quoteEstimation.function,
      notify: fns.notify.function,
    };

    const platformApi = new PlatformApi(this, 'Api', {
      stageName: stage.name,
      userPool: stateful.userPool,
      healthHandler: fns.health.invokeTarget,
      projectsHandler: fns.projectsApi.invokeTarget,
      throttleRateLimit: stage.api.throttleRateLimit,
      throttleBurstLimit: stage.api.throttleBurstLimit,
      logRetentionDays: stage.logRetentionDays,
      retainLogs: stage.retainData,
      logEncryptionKey,
    });
    this.api = platformApi.api;

    if (stage.waf) {
      this.apiWebAcl = new PlatformWebAcl(this, 'ApiWebAcl', {
        scope: 'REGIONAL',
        rateLimit: stage.waf.rateLimit,
        metricPrefix: `${stage.name}-api`,
        logging: {
          logGroupName: resourceNames(stage.name).wafLogs.api,
          retentionDays: stage.logRetentionDays,
          encryptionKey: logEncryptionKey,
          removalPolicy: stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        },
      }).webAcl;
      new wafv2.CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: this.apiWebAcl.attrArn,
      });
    } else {
      acknowledge(this.api.deploymentStage, [
        { id: 'AwsSolutions-APIG3', reason: `WAF is off for stage ${stage.name} by its feature matrix (waf.enabled).` },
        {
          id: 'NIST.800.53.R5-APIGWAssociatedWithWAF',
          reason: `WAF is off for stage ${stage.name} by its feature matrix (waf.enabled); the Cognito authorizer and stage throttling still apply.`,
        },
      ]);
    }

    this.stateMachine = new AiWorkflow(this, 'AiWorkflow', {
      projectScoping: fns.projectScoping.invokeTarget,
      quoteEstimation: fns.quoteEstimation.invokeTarget,
      notify: fns.notify.invokeTarget,
      logRetentionDays: stage.logRetentionDays,
      retainLogs: stage.retainData,
      logging: stage.workflowLogging,
      logEncryptionKey,
    }).stateMachine;

    new DomainEventRules(this, 'DomainEventRules', {
      bus: this.eventBus,
      workflow: this.stateMachine,
      quoteEstimation: fns.quoteEstimation.invokeTarget,
      notify: fns.notify.invokeTarget,
    });

    const frontend = new FrontendDistribution(this, 'Frontend', {
      retainBuckets: stage.retainData,
      logRetentionDays: stage.logRetentionDays,
      webAclArn: stage.waf ? props.cloudFrontWebAclArn : undefined,
      api: this.api,
      customDomain: stage.frontend.customDomain && {
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'FrontendCertificate',
          stage.frontend.customDomain.certificateArn,
        ),
        domainNames: [stage.frontend.customDomain.domainName],
      },
    });
    this.distribution = frontend.distribution;

    if (stage.synthetics) {
      this.syntheticTraffic = new SyntheticTraffic(this, 'SyntheticTraffic', {
        stageName: stage.name,
        apiUrl: this.api.url,
        frontendDomainName: this.distribution.distributionDomainName,
        scheduleMinutes: stage.synthetics.scheduleMinutes,
        accessLogsBucket: frontend.logBucket,
      });
    }

    this.monitoring = new PlatformMonitoring(this, 'Monitoring', {
      stageName: stage.name,
      level: stage.monitoring,
      thresholds: stage.alarms,
      alertEmails: stage.alertEmails,
      tables: Object.values(stateful.tables),
      tableBillingMode:
        stage.tableBillingMode === 'PROVISIONED'
          ? dynamodb.BillingMode.PROVISIONED
          : dynamodb.BillingMode.PAY_PER_REQUEST,
      functions: Object.values(this.functions),
      api: this.api,
      stateMachine: this.stateMachine,
      additionalCriticalAlarms: this.syntheticTraffic ? [this.syntheticTraffic.alarm] : [],
    });

    this.release = new PlatformRelease(this, 'Release', {
      stageName: stage.name,
      policy: stage.release,
      functions: fns,
      alarmTopic: this.monitoring.topics.warning,
      logRetentionDays: stage.logRetentionDays,
      retainLogs: stage.retainData,
      logEncryptionKey,
    });

    new CfnOutput(this, OUTPUTS.apiUrl, { value: this.api.url });
    new CfnOutput(this, OUTPUTS.healthUrl, { value: platformApi.healthUrl });
    new CfnOutput(this, OUTPUTS.distributionDomainName, { value: this.distribution.distributionDomainName });
    new CfnOutput(this, OUTPUTS.publicApiUrl, {
      value: `https://${this.distribution.distributionDomainName}/api/`,
      description: "The API as the web app's clients reach it, through the distribution's /api/* behaviour",
    });
    new CfnOutput(this, OUTPUTS.stateMachineArn, { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, OUTPUTS.logKeyArn, { value: logEncryptionKey.keyArn });
  }
}
