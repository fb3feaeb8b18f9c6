import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type {
  CodePipelineActionFactoryResult,
  ICodePipelineActionFactory,
  ProduceActionOptions,
} from 'aws-cdk-lib/pipelines';
import { Step } from 'aws-cdk-lib/pipelines';
import type { BakeParameters, CheckParameters } from '../../../contracts/check-parameters';
import { acknowledge } from '../../compliance/acknowledge';

/** CodePipeline rejects UserParameters longer than this. */
export const MAX_USER_PARAMETERS_LENGTH = 1000;

/** Props of {@link CheckStep}. */
export interface CheckStepProps {
  /** The check function the action invokes. */
  readonly function: lambda.IFunction;
  /** What the function checks: stage, region, stack names, role ARN and, for DR, the policy; for the bake, its alarm and minutes. */
  readonly parameters: CheckParameters | BakeParameters;
}

/**
 * A post-deploy check as a CodePipeline Lambda invoke action. The function reports the result with
 * PutJobSuccessResult / PutJobFailureResult, so the action passes or fails with the check.
 */
export class CheckStep extends Step implements ICodePipelineActionFactory {
  /** The user parameters as the action passes them (JSON). */
  readonly userParameters: string;

  constructor(
    id: string,
    private readonly props: CheckStepProps,
  ) {
    super(id);
    this.userParameters = JSON.stringify(props.parameters);
    if (this.userParameters.length > MAX_USER_PARAMETERS_LENGTH) {
      throw new Error(
        `${id}: user parameters are ${this.userParameters.length} characters; CodePipeline accepts at most ${MAX_USER_PARAMETERS_LENGTH}. Shorten the stack names.`,
      );
    }
  }

  /** The invoke action's role gets lambda:ListFunctions on * and invoke on the function's versions (granted by LambdaInvokeAction). */
  private acknowledgeActionRole(stage: codepipeline.IStage, actionName: string): void {
    const role = stage.pipeline.node
      .tryFindChild(stage.stageName)
      ?.node.tryFindChild(actionName)
      ?.node.tryFindChild('CodePipelineActionRole');
    if (!role) return;
    const fn = this.props.function.node.defaultChild;
    const fnId = fn ? Stack.of(fn).getLogicalId(fn as CfnElement) : undefined;
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'lambda:ListFunctions, which CodePipeline needs to invoke a function, has no resource-level permissions.',
      },
    ]);
    if (fnId) {
      acknowledge(role, [
        {
          id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
          reason: 'Invoking the check function and its versions only.',
        },
      ]);
    }
  }

  produceAction(stage: codepipeline.IStage, options: ProduceActionOptions): CodePipelineActionFactoryResult {
    stage.addAction(
      new actions.LambdaInvokeAction({
        actionName: options.actionName,
        runOrder: options.runOrder,
        lambda: this.props.function,
        userParametersString: this.userParameters,
      }),
    );
    this.acknowledgeActionRole(stage, options.actionName);
    return { runOrdersConsumed: 1 };
  }
}
