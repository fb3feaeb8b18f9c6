/**
 * Self-mutation guard: runs in the pipeline's UpdatePipeline/SelfMutate CodeBuild project, in
 * pre_build, before `cdk deploy` of the new pipeline stack. The deployed buildspec carries this
 * bundle and the gate spec it enforces (lib/pipeline/self-mutation/self-mutation-guard.ts), so the
 * commit being deployed cannot change either. Usage: `node <bundle> <base64 gate spec JSON>`.
 */
import { readFileSync } from 'fs';
import { readBreakGlass } from './break-glass';
import { runGuard } from './run-guard';

/** Runs the guard as the buildspec does and returns its exit code. */
export function main(argv: readonly string[] = process.argv.slice(2)): number {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (argv.length !== 1) {
    out('Self-mutation guard: expected one argument, the base64 gate spec; nothing is deployed.');
    return 1;
  }
  return runGuard(Buffer.from(argv[0], 'base64').toString('utf8'), {
    inputDir: process.cwd(),
    ownScript: readFileSync(__filename),
    now: new Date(),
    readBreakGlass: () => readBreakGlass(),
    out,
  });
}

if (require.main === module) process.exitCode = main();
