/** Prints the ordered bootstrap and first-deploy commands for the current cdk.json: `npm run bootstrap-commands`. */
import { BOOTSTRAP_QUALIFIER_CONTEXT } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config';
import { EXIT, readCdkContext, wantsHelp } from './operator-cli';
import { bootstrapCommands } from './preflight/bootstrap-commands';

const USAGE = `Usage: npm run bootstrap-commands
  Prints, from cdk.json, the commands that bootstrap every account and region the pipeline and its stages use,
  in the order that works, then the preflight and the first cdk deploy. Replace the profile names with yours.`;

if (wantsHelp(process.argv.slice(2))) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    const context = readCdkContext();
    const qualifier = context[BOOTSTRAP_QUALIFIER_CONTEXT] as string | undefined;
    process.stdout.write(`${bootstrapCommands(loadConfig(context), { qualifier }).join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`bootstrap-commands: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  }
}
