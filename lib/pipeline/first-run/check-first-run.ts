import { Stage } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { BootstrapEnvironment } from '../bootstrap-roles';
import { bootstrapQualifier, partitionOf } from '../bootstrap-roles';
import type { DeliveredStage } from '../delivered-stage';
import { FirstRunError } from './first-run-error';
import { walkFirstRun } from './first-run-walk';

/** Whether `c` is a stage the pipeline delivers (it names its account and every region it may use). */
function isDeliveredStage(c: unknown): c is DeliveredStage {
  const s = c as Partial<DeliveredStage>;
  return Stage.isStage(c) && Array.isArray(s.regions) && typeof s.config?.account === 'string';
}

/** Every region of every delivered stage in `app`: the README's roll-out bootstraps each before the first push. */
export function stageEnvironments(app: Stage): BootstrapEnvironment[] {
  return app.node
    .findAll()
    .filter(isDeliveredStage)
    .flatMap((s) => s.regions.map((region) => ({ account: s.config.account, region, partition: partitionOf(region) })));
}

/**
 * Synthesizes `app` and walks its pipeline as its first execution would run (walkFirstRun), with the
 * bootstrap qualifier the app's synthesizer uses, from stage accounts bootstrapped in every region of each stage.
 *
 * @returns the cloud assembly.
 * @throws FirstRunError naming every action or condition rule that uses something not yet created, or
 *   when the assembly holds no pipeline to walk.
 */
export function checkFirstRun(app: Stage): CloudAssembly {
  const assembly = app.synth();
  const walk = walkFirstRun(assembly, { qualifier: bootstrapQualifier(app), bootstrapped: stageEnvironments(app) });
  if (walk.pipelines.length === 0)
    throw new FirstRunError([
      {
        stage: '-',
        step: '-',
        message: `the cloud assembly ${assembly.directory} holds no CodePipeline pipeline to walk`,
      },
    ]);
  if (walk.findings.length) throw new FirstRunError(walk.findings);
  return assembly;
}
