import { DefaultStackSynthesizer } from 'aws-cdk-lib';
import type { AppConfig } from '../../lib/config';
import { EXECUTION_POLICY_NAME } from '../../contracts/resource-names';
import { EXECUTION_POLICY_FILE } from '../bootstrap-policy/execution-policy';
import { bootstrapEnvironments } from './bootstrap-environments';

/**
 * ARN of the policy `cdk bootstrap` attaches to the CloudFormation execution role of a stage account: the generated,
 * least-privilege {@link EXECUTION_POLICY_FILE} (`npm run bootstrap-policy`), created in the account as
 * {@link EXECUTION_POLICY_NAME} before the bootstrap. The CLI requires an execution policy when the environment trusts
 * another account (`--trust`) (https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-bootstrap.html).
 */
export function executionPolicyArn(account: string): string {
  return `arn:aws:iam::${account}:policy/${EXECUTION_POLICY_NAME}`;
}

/** Options of {@link bootstrapCommands}. */
export interface BootstrapCommandOptions {
  /** Bootstrap qualifier; @default the CDK's default, passed as `--qualifier` only when it differs */
  readonly qualifier?: string;
  /** The profile named in each command; @default `<stage>-admin`, and `tooling-admin` for the tooling account */
  readonly profileOf?: (stage: string | 'tooling') => string;
}

/**
 * The commands that prepare every account and region of `config`, in an order that works: the tooling account in
 * its region and every region a stage deploys to (CDK Pipelines' cross-region support stacks are deployed there
 * with the pipeline), then each stage account: its execution policy (once per account), then each region it uses,
 * trusting the tooling account (the lookup
 * role trusts the `--trust` accounts too, so no `--trust-for-lookup` is needed), then `npm run preflight`,
 * then `cdk deploy PipelineStack`.
 */
export function bootstrapCommands(config: AppConfig, options: BootstrapCommandOptions = {}): string[] {
  const profileOf = options.profileOf ?? ((stage) => `${stage}-admin`);
  const qualifier =
    options.qualifier && options.qualifier !== DefaultStackSynthesizer.DEFAULT_QUALIFIER
      ? ` --qualifier ${options.qualifier}`
      : '';
  const envs = bootstrapEnvironments(config);
  const targets = (account: string, regions: readonly string[]) =>
    regions.map((r) => `aws://${account}/${r}`).join(' ');
  const tooling = envs.tooling.account;
  const profiles = [
    `--profile ${tooling}=${profileOf('tooling')}`,
    ...envs.stages.map((s) => `--profile ${s.account}=${profileOf(s.stage)}`),
  ];
  // Stages that share an account (pipeline.allowSharedStageAccounts) create its policy once.
  const policyCreated = new Set<string>();
  const createPolicy = (account: string, profile: string) => {
    policyCreated.add(account);
    return `aws iam create-policy --policy-name ${EXECUTION_POLICY_NAME} --policy-document file://${EXECUTION_POLICY_FILE} --profile ${profile}`;
  };
  return [
    `# 1. tooling account ${tooling}: its region and every region a stage uses (the pipeline's cross-region support stacks)`,
    `npx cdk bootstrap ${targets(tooling, envs.tooling.regions)} --profile ${profileOf('tooling')}${qualifier}`,
    ...envs.stages.flatMap((s, i) => [
      `# ${i + 2}. stage ${s.stage}, account ${s.account}: the CloudFormation execution policy, then every region it deploys to, trusting the tooling account`,
      ...(policyCreated.has(s.account) ? [] : [createPolicy(s.account, profileOf(s.stage))]),
      `npx cdk bootstrap ${targets(s.account, s.regions)} --profile ${profileOf(s.stage)} --trust ${tooling} --cloudformation-execution-policies ${executionPolicyArn(s.account)}${qualifier}`,
    ]),
    `# ${envs.stages.length + 2}. check every account and region before the first deploy (docs/runbook.md says what to do for each failing row)`,
    `npm run preflight -- --all ${profiles.join(' ')}`,
    `# ${envs.stages.length + 3}. deploy the pipeline; from then on it updates itself on every push`,
    `npx cdk deploy PipelineStack --profile ${profileOf('tooling')}`,
  ];
}
