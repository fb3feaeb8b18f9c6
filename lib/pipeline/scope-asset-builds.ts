import type { IResolvable, IResolveContext } from 'aws-cdk-lib';
import { Stack, Token } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { CodePipeline } from 'aws-cdk-lib/pipelines';

const BUILD_ACTIONS = ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'];

interface StatementJson {
  Action?: string | string[];
  Resource?: unknown;
  [key: string]: unknown;
}

/**
 * Limits the asset publishing roles' CodeBuild start/stop/get to the projects that run as that role.
 * CDK Pipelines grants them `codebuild:StartBuild`, `StopBuild` and `BatchGetBuilds` on every project
 * (`*`) of the tooling account. The statement is rewritten in the role's policy when it is rendered.
 * Call after the pipeline is built.
 *
 * @returns the names (construct ids) of the roles that were scoped.
 * @throws when an asset role's projects cannot be found.
 */
export function scopeAssetBuilds(pipeline: CodePipeline): string[] {
  const stack = Stack.of(pipeline);
  const assets = pipeline.node.tryFindChild('Assets');
  if (!assets) return [];
  const projects = pipeline.node.findAll().filter((c): c is codebuild.CfnProject => c instanceof codebuild.CfnProject);
  const scoped: string[] = [];
  for (const role of assets.node.children.filter((c): c is iam.Role => c instanceof iam.Role)) {
    const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
    if (!policy) continue;
    const roleArn = JSON.stringify(stack.resolve(role.roleArn));
    const own = projects.filter((p) => JSON.stringify(stack.resolve(p.serviceRole)) === roleArn).map((p) => p.attrArn);
    if (own.length === 0)
      throw new Error(
        `${role.node.path}: no CodeBuild project runs as this asset role, so its build permissions cannot be scoped`,
      );
    const document = policy.document;
    const scopedDocument: IResolvable = {
      creationStack: [],
      resolve: (ctx: IResolveContext) => {
        const rendered = ctx.resolve(document) as { Statement: StatementJson[] };
        return {
          ...rendered,
          Statement: rendered.Statement.map((s) =>
            isBuildStatement(s) ? { ...s, Resource: own.map((arn) => ctx.resolve(arn)) } : s,
          ),
        };
      },
      toString: () => Token.asString(scopedDocument),
    };
    (policy.node.defaultChild as iam.CfnPolicy).policyDocument = scopedDocument;
    scoped.push(role.node.id);
  }
  return scoped;
}

function isBuildStatement(s: StatementJson): boolean {
  const actions = Array.isArray(s.Action) ? [...s.Action].sort() : [s.Action];
  return s.Resource === '*' && JSON.stringify(actions) === JSON.stringify(BUILD_ACTIONS);
}
