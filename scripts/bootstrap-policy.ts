/**
 * `npm run bootstrap-policy`: synthesizes the app from cdk.json and writes the least-privilege CloudFormation execution
 * policy of the stage accounts (scripts/bootstrap-policy/execution-policy.ts) to bootstrap/, where the bootstrap
 * commands read it. Run it after a change that adds a resource type; a test fails while the file is stale.
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import * as prettier from 'prettier';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { synthDefaultApp } from '../support/shared-assembly';
import { EXIT, wantsHelp } from './operator-cli';
import {
  EXECUTION_POLICY_FILE,
  executionPolicy,
  policyChars,
  stageTemplates,
} from './bootstrap-policy/execution-policy';

const ROOT = path.join(__dirname, '..');
const USAGE = `Usage: npm run bootstrap-policy
  Synthesizes the app from cdk.json and writes ${EXECUTION_POLICY_FILE}: the CloudFormation execution policy of the
  stage accounts, one service:* per service the stage templates use.`;

async function main(): Promise<void> {
  const policy = executionPolicy(stageTemplates(new CloudAssembly(synthDefaultApp())));
  const file = path.join(ROOT, EXECUTION_POLICY_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await prettier.format(JSON.stringify(policy), { ...options, parser: 'json' }));
  process.stdout.write(
    `Wrote ${EXECUTION_POLICY_FILE}: ${policy.Statement[0].Action.length} services, ${policyChars(policy)} characters.\n`,
  );
}

if (wantsHelp(process.argv.slice(2))) {
  process.stdout.write(`${USAGE}\n`);
} else {
  main().catch((error: Error) => {
    process.stderr.write(`bootstrap-policy: ${error.message}\n`);
    process.exitCode = EXIT.usage;
  });
}
