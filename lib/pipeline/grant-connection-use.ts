import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';

/** The IAM actions that let a source action use a connection, under both service prefixes of CodeConnections. */
export const USE_CONNECTION_ACTIONS = ['codeconnections:UseConnection', 'codestar-connections:UseConnection'] as const;

/**
 * Lets the pipeline's source action roles use `connectionArn` under both service prefixes. IAM evaluates
 * the action under the prefix of the connection's ARN (`arn:aws:codeconnections:` or
 * `arn:aws:codestar-connections:`); CDK grants only `codestar-connections:UseConnection`, which does not
 * match a `codeconnections` connection. Call after the pipeline is built.
 *
 * @throws when the pipeline has no source action role.
 */
export function grantConnectionUse(pipeline: codepipeline.Pipeline, connectionArn: string): void {
  const source = pipeline.stages[0];
  const roles = source
    ? (pipeline.node
        .tryFindChild(source.stageName)
        ?.node.children.map((action) => action.node.tryFindChild('CodePipelineActionRole'))
        .filter((r): r is iam.Role => r instanceof iam.Role) ?? [])
    : [];
  if (roles.length === 0) throw new Error(`${pipeline.node.id}: no source action role to grant the connection to`);
  for (const role of roles) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseSourceConnection',
        actions: [...USE_CONNECTION_ACTIONS],
        resources: [connectionArn],
      }),
    );
  }
}
