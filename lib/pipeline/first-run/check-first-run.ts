import { Stage } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { bootstrapQualifier } from '../bootstrap-roles';
import { FirstRunError } from './first-run-error';
import { walkFirstRun } from './first-run-walk';

/**
 * Synthesizes `app` and walks its pipeline as its first execution would run (walkFirstRun), with the
 * bootstrap qualifier the app's synthesizer uses.
 *
 * @returns the cloud assembly.
 * @throws FirstRunError naming every action or condition rule that uses something not yet created, or
 *   when the assembly holds no pipeline to walk.
 */
export function checkFirstRun(app: Stage): CloudAssembly {
  const assembly = app.synth();
  const walk = walkFirstRun(assembly, { qualifier: bootstrapQualifier(app) });
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
