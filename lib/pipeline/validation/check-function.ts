import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'path';

/** Props of {@link CheckFunction}. */
export interface CheckFunctionProps {
  /** Folder under `lambda/` that holds the handler's `index.ts` (`health-check`). */
  readonly handlerFolder: string;
  /** Physical name of the function's role; each stage's validation role trusts it by name. */
  readonly roleName: string;
  /** What the function checks, for its description. */
  readonly description: string;
  /**
   * How long the function may run, including the time kept back to report.
   * @default 60 seconds
   */
  readonly timeout?: Duration;
  /**
   * Time kept back from the timeout to report the result to CodePipeline.
   * @default 10 seconds
   */
  readonly reportReserve?: Duration;
  /**
   * Retention of the function's log group.
   * @default one year, long enough to read an old failed check's details
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One post-deploy check function in the pipeline account: Node.js 22 on ARM, bundled by the local
 * esbuild with the AWS SDK v3 left to the runtime, its role named so the stages' validation roles can trust it.
 */
export class CheckFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CheckFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);
    const reserve = props.reportReserve ?? Duration.seconds(10);
    if (reserve.toMilliseconds() >= timeout.toMilliseconds()) {
      throw new Error(`${id}: reportReserve (${reserve.toSeconds()} s) must be shorter than timeout (${timeout.toSeconds()} s).`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `Runs the pipeline ${props.description}; may assume the stages' read-only validation roles`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(__dirname, '..', '..', '..', 'lambda', props.handlerFolder, 'index.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: `Pipeline post-deploy ${props.description}`,
      environment: { REPORT_RESERVE_MS: String(reserve.toMilliseconds()) },
      bundling: {
        externalModules: ['@aws-sdk/*'],
        minify: true,
        sourceMap: false,
        target: 'node22',
        forceDockerBundling: false,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The design pins the check functions to Node.js 22 (lambda.Runtime.NODEJS_22_X); moving to 24 is a separate, tested change.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'codepipeline:PutJobSuccessResult and PutJobFailureResult do not support resource-level permissions (granted by LambdaInvokeAction).',
    });
  }

  /** Lets the function assume `roleArn` (a stage's validation role). */
  allowAssume(roleArn: string): void {
    const stack = Stack.of(this);
    if (!stack.resolve(roleArn)) throw new Error(`${this.node.id}: allowAssume needs a role ARN.`);
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] }));
  }
}
