import type { Stack } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import type { Step } from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import {
  CHECK_ROLE_NAMES,
  JOURNEY_FUNCTION_ROLE_NAME,
  resourceNames,
  TERMINATION_PROTECTION_FUNCTION_ROLE_NAME,
} from '../../../contracts/resource-names';
import type { BakeParameters, CheckParameters, DrPolicy } from '../../../contracts/check-parameters';
import type { DeliveredStage } from '../delivered-stage';
import { BAKE_ACTION_NAME } from './bake-action-name';
import { JOURNEY_ACTION_NAME } from './journey-action-name';
import { CheckFunction } from './check-function';
import { CheckStep } from './check-step';

/** Ids of the post-deploy check steps, and so their CodePipeline action names. */
export const CHECK_STEP_IDS = {
  health: 'HealthCheck',
  dr: 'DrCheck',
  terminationProtection: 'TerminationProtection',
} as const;

/**
 * How long one invocation of the bake function may run. The bake lasts longer than any invocation: the
 * function answers with a continuation token and CodePipeline invokes it again until the window has passed.
 * CodePipeline times the action out when the function sends no reply for 20 minutes
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html), so one invocation stays well below.
 */
export const BAKE_INVOCATION_TIMEOUT = Duration.minutes(5);

/**
 * The pipeline's check functions, created once per pipeline stack; its termination protection, bake and
 * journey functions, created when a stage needs them.
 */
export class PostDeployChecks extends Construct {
  /** Returns the stack's checks, creating them on first use. */
  static of(stack: Stack): PostDeployChecks {
    return (
      (stack.node.tryFindChild('PostDeployChecks') as PostDeployChecks | undefined) ??
      new PostDeployChecks(stack, 'PostDeployChecks')
    );
  }

  readonly health: CheckFunction;
  readonly dr: CheckFunction;
  private protectionFunction?: CheckFunction;
  private bakeFunction?: CheckFunction;
  private journeyFunction?: CheckFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.health = new CheckFunction(this, 'HealthCheck', {
      handlerName: 'stage-health',
      roleName: CHECK_ROLE_NAMES.health,
      description: 'stage health check',
      timeout: Duration.seconds(60),
    });
    this.dr = new CheckFunction(this, 'DrCheck', {
      handlerName: 'dr-check',
      roleName: CHECK_ROLE_NAMES.dr,
      description: 'DR-readiness check',
      timeout: Duration.seconds(90),
    });
  }

  /** The function that turns on termination protection of a stage's stacks, created on first use. */
  get terminationProtection(): CheckFunction {
    this.protectionFunction ??= new CheckFunction(this, 'TerminationProtection', {
      handlerName: 'termination-protection',
      roleName: TERMINATION_PROTECTION_FUNCTION_ROLE_NAME,
      description: 'termination protection of the stage stacks',
      timeout: Duration.seconds(60),
    });
    return this.protectionFunction;
  }

  /** The function that bakes a stage (watches its stage-unhealthy alarm), created on first use. */
  get bake(): CheckFunction {
    this.bakeFunction ??= new CheckFunction(this, 'Bake', {
      handlerName: 'bake',
      roleName: CHECK_ROLE_NAMES.bake,
      description: "bake: proves the stage-unhealthy alarm stayed out of ALARM for the stage's bake time",
      timeout: BAKE_INVOCATION_TIMEOUT,
    });
    return this.bakeFunction;
  }

  /** The user parameters of a stage's bake, or undefined when the stage has no bake time. */
  static bakeParametersFor(stage: DeliveredStage): BakeParameters | undefined {
    const { config } = stage;
    if (config.delivery.bakeTimeMinutes === 0) return undefined;
    return {
      stage: config.name,
      region: config.region,
      roleArn: stage.checkRoleArn,
      alarmName: resourceNames(config.name).stageUnhealthyAlarm,
      minutes: config.delivery.bakeTimeMinutes,
    };
  }

  /**
   * The acceptance journey's function, created on first use. Each invocation runs the journey's next steps
   * for up to its timeout and hands its state on as a continuation token, so the journey may wait for the
   * workflow longer than one invocation (a Lambda invoke action may run 24 hours, answering every 20 minutes).
   */
  get journey(): CheckFunction {
    this.journeyFunction ??= new CheckFunction(this, 'Journey', {
      handlerName: 'journey',
      roleName: JOURNEY_FUNCTION_ROLE_NAME,
      description: 'acceptance journey (synthetic user, project, quote, clean-up)',
      timeout: Duration.minutes(5),
      reportReserve: Duration.seconds(15),
    });
    return this.journeyFunction;
  }

  /** The Journey action's user parameters for a stage with a journey, or undefined. */
  static journeyParametersFor(stage: DeliveredStage): CheckParameters | undefined {
    const journey = stage.journey;
    if (!journey) return undefined;
    return {
      stage: stage.config.name,
      region: stage.config.region,
      stackNames: journey.stackNames,
      roleArn: journey.roleArn,
      journey: { readOnly: journey.readOnly, timeoutMinutes: journey.timeoutMinutes },
    };
  }

  /** The user parameters of a stage's checks. */
  static parametersFor(stage: DeliveredStage): CheckParameters {
    const { config } = stage;
    const { stackRegions } = stage;
    return {
      stage: config.name,
      region: config.region,
      stackNames: stage.stackNames,
      ...(Object.keys(stackRegions).length ? { stackRegions } : {}),
      roleArn: stage.checkRoleArn,
      ...(config.delivery.terminationProtection ? { terminationProtection: true } : {}),
    };
  }

  /** The stage's DR policy for the DR check, or undefined when the stage has no backup. */
  static drPolicyFor(stage: DeliveredStage): DrPolicy | undefined {
    const backup = stage.config.backup;
    if (!backup) return undefined;
    const { dr, ...rules } = backup;
    // An undefined restoreJobMaxAgeDays (not required) is left out of the JSON parameters.
    return { ...rules, ...dr, drRegion: stage.config.drRegion };
  }

  /**
   * The post-deploy steps of `stage`: health always, DR when the stage has a backup policy, when the stage's
   * config asks for termination protection a step that turns it on before the health check runs, when the
   * stage has a bake time the `Bake` step after the health check (beside DR), which fails the stage when the
   * stage-unhealthy alarm is in ALARM at any time within the bake, and where the stage's config turns it on
   * the acceptance journey's `Journey` step after the health check (beside DR and the bake).
   */
  stepsFor(stage: DeliveredStage): Step[] {
    const params = PostDeployChecks.parametersFor(stage);
    this.health.allowAssume(stage.checkRoleArn);
    const health = new CheckStep(CHECK_STEP_IDS.health, { function: this.health.function, parameters: params });
    const steps: Step[] = [];
    if (stage.terminationProtectionRoleArn) {
      const fn = this.terminationProtection;
      fn.allowAssume(stage.terminationProtectionRoleArn);
      // The protection step's own parameters: its role, and no `terminationProtection` (JSON drops undefined).
      const protect = new CheckStep(CHECK_STEP_IDS.terminationProtection, {
        function: fn.function,
        parameters: { ...params, terminationProtection: undefined, roleArn: stage.terminationProtectionRoleArn },
      });
      health.addStepDependency(protect);
      steps.push(protect);
    }
    steps.push(health);
    const dr = PostDeployChecks.drPolicyFor(stage);
    if (dr) {
      this.dr.allowAssume(stage.checkRoleArn);
      steps.push(new CheckStep(CHECK_STEP_IDS.dr, { function: this.dr.function, parameters: { ...params, dr } }));
    }
    const bakeParams = PostDeployChecks.bakeParametersFor(stage);
    if (bakeParams) {
      const fn = this.bake;
      fn.allowAssume(stage.checkRoleArn);
      const bake = new CheckStep(BAKE_ACTION_NAME, { function: fn.function, parameters: bakeParams });
      bake.addStepDependency(health);
      steps.push(bake);
    }
    const journeyParameters = PostDeployChecks.journeyParametersFor(stage);
    if (journeyParameters) {
      const fn = this.journey;
      fn.allowAssume(journeyParameters.roleArn!);
      const journey = new CheckStep(JOURNEY_ACTION_NAME, { function: fn.function, parameters: journeyParameters });
      // A journey against a stage whose health check failed would only repeat its failure.
      journey.addStepDependency(health);
      steps.push(journey);
    }
    return steps;
  }
}
