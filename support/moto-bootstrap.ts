/**
 * Seeds what `cdk bootstrap` leaves in an account and region into moto_server: the CDKToolkit stack, which
 * creates the version parameter and the deploy, file-publishing and lookup roles (trusting the given accounts)
 * as the real bootstrap template does (node_modules/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml).
 * moto answers every call with fake credentials as one account, so the environments of several accounts in one
 * region share one CDKToolkit stack holding each account's roles under their own names (and one version parameter).
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';

/** One bootstrapped environment. */
export interface BootstrapSeed {
  readonly account: string;
  readonly region: string;
  /** Accounts the roles trust besides their own (`cdk bootstrap --trust`). */
  readonly trust?: readonly string[];
  /** @default 'hnb659fds' (the default qualifier) */
  readonly qualifier?: string;
  /** Value of the version parameter; @default 30 */
  readonly version?: number;
}

/** The CDKToolkit template of the seeds of one region: version parameter and three roles per account. */
export function bootstrapSeedTemplate(seeds: readonly BootstrapSeed[]): string {
  const resources: Record<string, unknown> = {};
  seeds.forEach((seed, i) => {
    const qualifier = seed.qualifier ?? 'hnb659fds';
    const principals = [seed.account, ...(seed.trust ?? [])].map((a) => `arn:aws:iam::${a}:root`);
    for (const [id, kind] of [
      ['DeploymentActionRole', 'deploy'],
      ['FilePublishingRole', 'file-publishing'],
      ['LookupRole', 'lookup'],
    ])
      resources[`${id}${i}`] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: `cdk-${qualifier}-${kind}-role-${seed.account}-${seed.region}`,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: principals } }],
          },
        },
      };
  });
  resources.CdkBootstrapVersion = {
    Type: 'AWS::SSM::Parameter',
    Properties: {
      Name: `/cdk-bootstrap/${seeds[0].qualifier ?? 'hnb659fds'}/version`,
      Type: 'String',
      Value: String(Math.min(...seeds.map((s) => s.version ?? 30))),
    },
  };
  return JSON.stringify({ Resources: resources });
}

/** Creates the CDKToolkit stack of each region of `seeds` in moto at `endpoint`. */
export async function seedBootstrap(
  endpoint: string,
  seeds: readonly BootstrapSeed[],
  credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' },
): Promise<void> {
  for (const region of new Set(seeds.map((s) => s.region))) {
    const cfn = new CloudFormationClient({ region, endpoint, credentials });
    const template = bootstrapSeedTemplate(seeds.filter((s) => s.region === region));
    await cfn.send(new CreateStackCommand({ StackName: 'CDKToolkit', TemplateBody: template }));
  }
}
