import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAt } from '../../compliance/acknowledge';
import { acknowledgeShortLogRetention } from '../security/acknowledge-short-log-retention';

/** Props of {@link PlatformApi}. */
export interface PlatformApiProps {
  /** Stage name; also the API Gateway stage name. */
  readonly stageName: string;
  /** User pool whose tokens the business routes require. */
  readonly userPool: cognito.IUserPool;
  /** Answers GET /health (unauthenticated). */
  readonly healthHandler: lambda.IFunction;
  /** Answers the business routes. */
  readonly projectsHandler: lambda.IFunction;
  /** Steady-state throttle of the stage, requests per second. */
  readonly throttleRateLimit: number;
  /** Burst throttle of the stage, requests. */
  readonly throttleBurstLimit: number;
  /** Retention of the access and execution log groups, in days. */
  readonly logRetentionDays: number;
  /**
   * Keep the log groups when their stack is deleted or they are replaced (the stage's `retainData`).
   * @default true: the log groups outlive their stack
   */
  readonly retainLogs?: boolean;
  /**
   * Customer-managed key that encrypts the log group.
   * @default - encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The platform's REST API: unauthenticated `GET /health`; business routes behind the Cognito
 * authorizer with request models validated by API Gateway; stage throttling, JSON access logs
 * and X-Ray tracing.
 */
export class PlatformApi extends Construct {
  /** The REST API. */
  readonly api: apigateway.RestApi;
  /** Access log group of the stage. */
  readonly accessLogs: logs.LogGroup;
  /**
   * Execution log group of the stage (`API-Gateway-Execution-Logs_<api id>/<stage>`), which API
   * Gateway would otherwise create itself, never expiring.
   */
  readonly executionLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    if (props.throttleBurstLimit < props.throttleRateLimit) {
      throw new Error(
        `${id}: throttleBurstLimit (${props.throttleBurstLimit}) must be at least throttleRateLimit (${props.throttleRateLimit})`,
      );
    }
    const removalPolicy = props.retainLogs === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logEncryptionKey,
      removalPolicy,
    });
    acknowledgeShortLogRetention(this.accessLogs, props.logRetentionDays);
    this.api = new apigateway.RestApi(this, 'Api', {
      description: `UK Home Improvement platform API (${props.stageName})`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });

    // Created before the stage can log, so API Gateway writes into it rather than creating its own.
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stageName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logEncryptionKey,
      removalPolicy,
    });
    acknowledgeShortLogRetention(this.executionLogs, props.logRetentionDays);
    this.api.deploymentStage.node.addDependency(this.executionLogs);

    // Say what was wrong instead of API Gateway's bare "Invalid request body".
    this.api.addGatewayResponse('BadRequestBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: { 'application/json': '{"message":"request body is invalid: $context.error.validationErrorString"}' },
    });
    const validator = this.api.addRequestValidator('BodyValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
    });
    const authenticated: apigateway.MethodOptions = {
      authorizer,
      authorizationType: apigateway.AuthorizationType.COGNITO,
      requestValidator: validator,
    };

    const health = this.api.root
      .addResource('health')
      .addMethod('GET', new apigateway.LambdaIntegration(props.healthHandler), {
        authorizationType: apigateway.AuthorizationType.NONE,
      });
    const healthIsPublic =
      'GET /health is the unauthenticated health endpoint the pipeline check and operators call; it returns dependency status only, no user data.';
    acknowledge(health, [
      { id: 'AwsSolutions-APIG4', reason: healthIsPublic },
      { id: 'AwsSolutions-COG4', reason: healthIsPublic },
    ]);
    acknowledgeAt(this.api, 'CloudWatchRole', [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway requires to write access and execution logs; AWS maintains its scope.',
      },
    ]);

    const projectsIntegration = new apigateway.LambdaIntegration(props.projectsHandler);
    const createProject = this.api.addModel('CreateProject', {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['title', 'description', 'postcode'],
        additionalProperties: false,
        properties: {
          title: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 120 },
          description: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 4000 },
          postcode: { type: apigateway.JsonSchemaType.STRING, minLength: 5, maxLength: 10 },
          budgetPence: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1 },
        },
      },
    });
    const requestQuote = this.api.addModel('RequestQuote', {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        additionalProperties: false,
        properties: { notes: { type: apigateway.JsonSchemaType.STRING, maxLength: 2000 } },
      },
    });
    const projectIdParameter = { 'method.request.path.projectId': true };
    const projects = this.api.root.addResource('projects');
    projects.addMethod('POST', projectsIntegration, {
      ...authenticated,
      requestModels: { 'application/json': createProject },
    });
    projects.addMethod('GET', projectsIntegration, authenticated);
    const project = projects.addResource('{projectId}');
    project.addMethod('GET', projectsIntegration, { ...authenticated, requestParameters: projectIdParameter });
    const quotes = project.addResource('quotes');
    quotes.addMethod('GET', projectsIntegration, { ...authenticated, requestParameters: projectIdParameter });
    quotes.addMethod('POST', projectsIntegration, {
      ...authenticated,
      requestModels: { 'application/json': requestQuote },
      requestParameters: projectIdParameter,
    });

    // CT.LAMBDA.PR.2: name the calling account on each invoke permission, besides the stage ARN
    // (API Gateway is a service principal; SourceAccount guards against a confused deputy).
    const { account } = Stack.of(this);
    if (!Token.isUnresolved(account)) {
      for (const permission of this.api.node
        .findAll()
        .filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
        permission.sourceAccount = account;
      }
    }
    acknowledge(this.api.deploymentStage, [
      {
        id: 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
        reason:
          'Every response except GET /health is per user and must not be cached; the health endpoint must report live status. No stage cache, so nothing to encrypt.',
      },
      {
        id: 'NIST.800.53.R5-APIGWSSLEnabled',
        reason:
          'Stage client certificates authenticate API Gateway to HTTP backends; every integration here is a Lambda proxy invoked over the AWS API with IAM, which has no HTTP backend to present a certificate to.',
      },
    ]);
  }

  /** URL of GET /health. */
  get healthUrl(): string {
    return this.api.urlForPath('/health');
  }
}
