/**
 * The rows of `npm run preflight`: read-only AWS calls, each turned into PASS, FAIL (AWS answered and the
 * account lacks something) or COULD NOT CHECK (the call was refused, throttled or never answered).
 */
import type { AccountClient } from '@aws-sdk/client-account';
import { GetRegionOptStatusCommand } from '@aws-sdk/client-account';
import type { BackupClient } from '@aws-sdk/client-backup';
import { DescribeRegionSettingsCommand } from '@aws-sdk/client-backup';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { PreflightPlan, StagePlan } from './preflight-plan';

/** Result of one row. */
export type PreflightResult = 'PASS' | 'FAIL' | 'COULD NOT CHECK';

/** One row of the preflight table. */
export interface PreflightRow {
  readonly check: string;
  /** `<account>/<region>` the row is about. */
  readonly where: string;
  readonly result: PreflightResult;
  /** What was found, one sentence. */
  readonly detail: string;
  /** What to do, one line; empty for a pass. */
  readonly fix: string;
}

/** SDK clients of one account and region. */
export interface PreflightClients {
  readonly cloudFormation: CloudFormationClient;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  readonly backup: BackupClient;
  readonly connections: CodeStarConnectionsClient;
  readonly account: AccountClient;
}

/** Clients for an account and region (the account picks the credentials). */
export type ClientsFor = (account: string, region: string) => PreflightClients;

/** The CloudFormation stack `cdk bootstrap` deploys (its default `--toolkit-stack-name`). */
export const TOOLKIT_STACK_NAME = 'CDKToolkit';

/**
 * The minimum unreserved concurrency Lambda keeps for functions without reserved concurrency: an allocation
 * that would take the account's unreserved concurrency below it is refused
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html).
 */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;

const HEALTHY_STACK = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE)$/;

interface AwsError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Errors meaning "AWS answered: it is not there". Everything else means the check could not run. */
function isMissing(error: unknown): boolean {
  const e = error as AwsError;
  return (
    e.name === 'NoSuchEntityException' ||
    e.name === 'NoSuchEntity' ||
    e.name === 'ParameterNotFound' ||
    e.name === 'ResourceNotFoundException' ||
    (e.name === 'ValidationError' && /does not exist/.test(e.message ?? ''))
  );
}

function reason(error: unknown): string {
  const e = error as AwsError;
  return `${e.name ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0]}`.slice(0, 160);
}

const pass = (check: string, where: string, detail: string): PreflightRow => ({
  check,
  where,
  result: 'PASS',
  detail,
  fix: '',
});
const fail = (check: string, where: string, detail: string, fix: string): PreflightRow => ({
  check,
  where,
  result: 'FAIL',
  detail,
  fix,
});
const couldNot = (check: string, where: string, error: unknown, what: string): PreflightRow => ({
  check,
  where,
  result: 'COULD NOT CHECK',
  detail: `${what} failed: ${reason(error)}`,
  fix: 'grant the read-only call to your credentials (or pass --profile <account>=<profile>), then run preflight again',
});

/** The bootstrap command of one environment, for a fix column. */
function bootstrapFix(account: string, region: string, trust?: string): string {
  return `npx cdk bootstrap aws://${account}/${region}${trust ? ` --trust ${trust}` : ''} (npm run bootstrap-commands prints the exact commands)`;
}

/** CDKToolkit exists, in a usable state, at the version the app needs. */
async function bootstrapRows(
  clients: PreflightClients,
  plan: PreflightPlan,
  account: string,
  region: string,
  required: number,
  trust?: string,
): Promise<PreflightRow[]> {
  const where = `${account}/${region}`;
  const rows: PreflightRow[] = [];
  try {
    const out = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: TOOLKIT_STACK_NAME }));
    const status = out.Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    rows.push(
      HEALTHY_STACK.test(status)
        ? pass('bootstrap stack', where, `${TOOLKIT_STACK_NAME} is ${status}`)
        : fail(
            'bootstrap stack',
            where,
            `${TOOLKIT_STACK_NAME} is ${status}`,
            `fix or delete the ${TOOLKIT_STACK_NAME} stack, then ${bootstrapFix(account, region, trust)}`,
          ),
    );
  } catch (error) {
    rows.push(
      isMissing(error)
        ? fail(
            'bootstrap stack',
            where,
            `not bootstrapped: stack ${TOOLKIT_STACK_NAME} does not exist`,
            bootstrapFix(account, region, trust),
          )
        : couldNot('bootstrap stack', where, error, `cloudformation:DescribeStacks ${TOOLKIT_STACK_NAME}`),
    );
  }
  // The deploy reads this parameter and refuses an older bootstrap than the assembly's requiresBootstrapStackVersion
  // (https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html,
  // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.cloud_assembly_schema.AssetManifestOptions.html).
  try {
    const out = await clients.ssm.send(new GetParameterCommand({ Name: plan.versionParameter }));
    const version = Number(out.Parameter?.Value);
    rows.push(
      Number.isInteger(version) && version >= required
        ? pass('bootstrap version', where, `${plan.versionParameter} is ${version} (needs ${required} or later)`)
        : fail(
            'bootstrap version',
            where,
            `${plan.versionParameter} is ${out.Parameter?.Value}; this aws-cdk-lib needs ${required} or later`,
            `re-run ${bootstrapFix(account, region, trust)} with this repository's CDK CLI`,
          ),
    );
  } catch (error) {
    rows.push(
      isMissing(error)
        ? fail(
            'bootstrap version',
            where,
            `SSM parameter ${plan.versionParameter} does not exist (needs ${required} or later)`,
            bootstrapFix(account, region, trust),
          )
        : couldNot('bootstrap version', where, error, `ssm:GetParameter ${plan.versionParameter}`),
    );
  }
  return rows;
}

/** Whether an IAM trust policy (URL-encoded, as IAM returns it) lets `account` assume the role. */
export function trustsAccount(document: string | undefined, account: string): boolean {
  if (!document) return false;
  const policy = JSON.parse(decodeURIComponent(document)) as {
    Statement?: { Effect?: string; Action?: string | string[]; Principal?: { AWS?: string | string[] } }[];
  };
  return (policy.Statement ?? []).some((s) => {
    const actions = ([] as string[]).concat(s.Action ?? []);
    const principals = ([] as string[]).concat(s.Principal?.AWS ?? []);
    return (
      s.Effect === 'Allow' &&
      actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*') &&
      principals.some((p) => p === account || p === `arn:aws:iam::${account}:root`)
    );
  });
}

/** The bootstrap roles the pipeline assumes from the tooling account trust it. */
async function trustRow(
  clients: PreflightClients,
  plan: PreflightPlan,
  account: string,
  region: string,
): Promise<PreflightRow> {
  const where = `${account}/${region}`;
  const tooling = plan.tooling.account;
  const roles = ['deploy', 'file-publishing', 'lookup'].map(
    (kind) => `cdk-${plan.qualifier}-${kind}-role-${account}-${region}`,
  );
  const missing: string[] = [];
  const untrusting: string[] = [];
  for (const role of roles) {
    try {
      const out = await clients.iam.send(new GetRoleCommand({ RoleName: role }));
      if (!trustsAccount(out.Role?.AssumeRolePolicyDocument, tooling)) untrusting.push(role);
    } catch (error) {
      if (!isMissing(error)) return couldNot('bootstrap trust', where, error, `iam:GetRole ${role}`);
      missing.push(role);
    }
  }
  if (missing.length === 0 && untrusting.length === 0)
    return pass('bootstrap trust', where, `deploy, file-publishing and lookup roles trust ${tooling}`);
  const detail = [
    missing.length ? `missing: ${missing.join(', ')}` : '',
    untrusting.length ? `not trusting the tooling account ${tooling}: ${untrusting.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return fail('bootstrap trust', where, detail, bootstrapFix(account, region, tooling));
}

/**
 * The connection has completed its handshake: CodeConnections reports PENDING until someone completes it in the
 * console, and only an AVAILABLE connection can be used by the pipeline's source action
 * (https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-update.html,
 * https://docs.aws.amazon.com/codeconnections/latest/APIReference/API_GetConnection.html).
 */
async function connectionRow(clients: PreflightClients, plan: PreflightPlan, region: string): Promise<PreflightRow> {
  const arn = plan.tooling.connectionArn;
  const where = `${plan.tooling.account}/${region}`;
  const fix = 'Developer Tools > Settings > Connections: open the connection and click Update pending connection';
  try {
    const out = await clients.connections.send(new GetConnectionCommand({ ConnectionArn: arn }));
    const status = out.Connection?.ConnectionStatus ?? 'UNKNOWN';
    return status === 'AVAILABLE'
      ? pass('git connection', where, `${arn} is AVAILABLE`)
      : fail('git connection', where, `${arn} is ${status}, not AVAILABLE`, fix);
  } catch (error) {
    return isMissing(error)
      ? fail(
          'git connection',
          where,
          `${arn} does not exist`,
          'create the connection in the tooling account and set pipeline.connectionArn',
        )
      : couldNot('git connection', where, error, 'codeconnections:GetConnection');
  }
}

/** The account leaves at least 100 unreserved concurrency after the stage's provisioned concurrency. */
async function concurrencyRow(clients: PreflightClients, stage: StagePlan): Promise<PreflightRow> {
  const where = `${stage.account}/${stage.primaryRegion}`;
  try {
    const out = await clients.lambda.send(new GetAccountSettingsCommand({}));
    const limit = out.AccountLimit?.ConcurrentExecutions ?? 0;
    const unreserved = out.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
    const needed = stage.provisionedConcurrency + LAMBDA_MIN_UNRESERVED_CONCURRENCY;
    const facts = `account limit ${limit}, unreserved ${unreserved}; the stage provisions ${stage.provisionedConcurrency}`;
    if (stage.provisionedConcurrency === 0) return pass('lambda concurrency', where, `${facts} (nothing to allocate)`);
    return unreserved >= needed
      ? pass('lambda concurrency', where, `${facts}, leaving ${unreserved - stage.provisionedConcurrency}`)
      : fail(
          'lambda concurrency',
          where,
          `${facts}: Lambda keeps ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} unreserved, so it needs ${needed} unreserved`,
          `request a higher "Concurrent executions" quota (Service Quotas > AWS Lambda) or lower ${stage.stage}.provisionedConcurrency`,
        );
  } catch (error) {
    return couldNot('lambda concurrency', where, error, 'lambda:GetAccountSettings');
  }
}

/**
 * AWS Backup's advanced DynamoDB features are on: without them Backup does not manage the tables' backups
 * (no cross-region copy or cold storage), which the stage's plan and the DR check rely on
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/advanced-ddb-backup.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html).
 */
async function backupRow(clients: PreflightClients, stage: StagePlan, region: string): Promise<PreflightRow> {
  const where = `${stage.account}/${region}`;
  try {
    const out = await clients.backup.send(new DescribeRegionSettingsCommand({}));
    return out.ResourceTypeManagementPreference?.DynamoDB === true
      ? pass('backup dynamodb features', where, 'advanced DynamoDB backup features are enabled')
      : fail(
          'backup dynamodb features',
          where,
          'advanced DynamoDB backup features are off (ResourceTypeManagementPreference DynamoDB is not true)',
          `aws backup update-region-settings --region ${region} --resource-type-opt-in-preference DynamoDB=true,S3=true --resource-type-management-preference DynamoDB=true`,
        );
  } catch (error) {
    return couldNot('backup dynamodb features', where, error, 'backup:DescribeRegionSettings');
  }
}

/**
 * An opt-in region is enabled for the account: AWS does not create resources in a disabled opt-in region
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html,
 * https://docs.aws.amazon.com/accounts/latest/reference/API_GetRegionOptStatus.html).
 */
async function optInRow(clients: PreflightClients, account: string, region: string): Promise<PreflightRow> {
  const where = `${account}/${region}`;
  try {
    const out = await clients.account.send(new GetRegionOptStatusCommand({ RegionName: region }));
    const status = out.RegionOptStatus ?? 'UNKNOWN';
    return status === 'ENABLED' || status === 'ENABLED_BY_DEFAULT'
      ? pass('region enabled', where, `opt-in region ${region} is ${status}`)
      : fail(
          'region enabled',
          where,
          `opt-in region ${region} is ${status}`,
          `aws account enable-region --region-name ${region} (Account > AWS Regions), wait until ENABLED`,
        );
  } catch (error) {
    return couldNot('region enabled', where, error, 'account:GetRegionOptStatus');
  }
}

/** Runs every row of the plan, in the order the roll-out needs them: tooling account first, then each stage. */
export async function runPreflightChecks(plan: PreflightPlan, clientsFor: ClientsFor): Promise<PreflightRow[]> {
  const rows: PreflightRow[] = [];
  const optIn = async (account: string, region: string) => {
    if (RegionInfo.get(region).isOptInRegion) rows.push(await optInRow(clientsFor(account, region), account, region));
  };
  const { tooling } = plan;
  for (const region of tooling.regions) {
    await optIn(tooling.account, region);
    rows.push(
      ...(await bootstrapRows(
        clientsFor(tooling.account, region),
        plan,
        tooling.account,
        region,
        tooling.requiredBootstrapVersion,
      )),
    );
  }
  const connectionRegion = tooling.connectionArn.split(':')[3];
  rows.push(await connectionRow(clientsFor(tooling.account, connectionRegion), plan, connectionRegion));
  for (const stage of plan.stages) {
    for (const region of stage.regions) {
      await optIn(stage.account, region);
      const clients = clientsFor(stage.account, region);
      rows.push(
        ...(await bootstrapRows(clients, plan, stage.account, region, stage.requiredBootstrapVersion, tooling.account)),
      );
      rows.push(await trustRow(clients, plan, stage.account, region));
    }
    rows.push(await concurrencyRow(clientsFor(stage.account, stage.primaryRegion), stage));
    for (const region of stage.backupRegions)
      rows.push(await backupRow(clientsFor(stage.account, region), stage, region));
  }
  return rows;
}

/** Renders the rows as one fixed-width table: check, account/region, result with what was found, and the fix under it. */
export function formatPreflightTable(rows: readonly PreflightRow[]): string {
  const header = ['CHECK', 'ACCOUNT/REGION', 'RESULT', 'DETAIL'];
  const cells = rows.map((r) => [r.check, r.where, r.result, r.detail]);
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...cells].map((c) => c[i].length)));
  const indent = ' '.repeat(widths.reduce((a, b) => a + b + 2, 0));
  const line = (c: string[]) =>
    `${c[0].padEnd(widths[0])}  ${c[1].padEnd(widths[1])}  ${c[2].padEnd(widths[2])}  ${c[3]}`;
  return [line(header), ...rows.flatMap((r, i) => [line(cells[i]), ...(r.fix ? [`${indent}fix: ${r.fix}`] : [])])].join(
    '\n',
  );
}
