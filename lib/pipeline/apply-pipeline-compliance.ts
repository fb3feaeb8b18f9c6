import type { CfnResource } from 'aws-cdk-lib';
import { AspectPriority, Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { CodePipeline } from 'aws-cdk-lib/pipelines';
import type { IConstruct } from 'constructs';
import type { Finding } from '../compliance/acknowledge';
import { acknowledge, acknowledgeAt, CFN_GUARD_NAMESPACE, constructAt } from '../compliance/acknowledge';
import { restrictKmsGrantsToAwsServices } from '../compliance/restrict-kms-grants';

/** Days the pipeline keeps build artifacts; a re-run or rollback never needs older ones. */
export const ARTIFACT_RETENTION_DAYS = 90;

const INLINE_POLICY: Finding = {
  id: 'NIST.800.53.R5-IAMNoInlinePolicy',
  reason:
    'CDK Pipelines attaches each generated role its own DefaultPolicy, scoped to that role alone; a managed policy would be shareable and no narrower.',
};

/**
 * Hardens the constructs that CDK Pipelines generates and acknowledges, resource by resource, the
 * findings that are inherent to how CDK Pipelines works. CDK Pipelines creates its CodePipeline,
 * roles, projects and artifact bucket only when the pipeline is built (at synth), so this runs as
 * an aspect right after that build.
 *
 * Fixes: every CodeBuild project logs to CloudWatch Logs explicitly (CT.CODEBUILD.PR.3), the artifact
 * key denies grants except for AWS services (CT.KMS.PR.3), artifacts expire after
 * {@link ARTIFACT_RETENTION_DAYS} days (CT.S3.PR.6), and every access to the artifact bucket (which
 * holds the source and the cloud assembly that the pipeline deploys) is logged to a separate
 * access-log bucket (AwsSolutions-S1, CT.S3.PR.2).
 *
 * @returns the access-log bucket of the artifact bucket.
 */
export function applyPipelineCompliance(pipeline: CodePipeline): s3.Bucket {
  const accessLogs = createAccessLogBucket(pipeline);
  let applied = false;
  Aspects.of(pipeline).add(
    {
      visit(node: IConstruct) {
        if (node !== pipeline || applied) return;
        applied = true;
        hardenAndAcknowledge(pipeline, accessLogs);
      },
    },
    { priority: AspectPriority.MUTATING + 1 },
  );
  return accessLogs;
}

/** Days the access logs of the artifact bucket are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

function createAccessLogBucket(pipeline: CodePipeline): s3.Bucket {
  const bucket = new s3.Bucket(Stack.of(pipeline), 'ArtifactAccessLogs', {
    // S3 server access log delivery supports only SSE-S3 on the target bucket.
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    lifecycleRules: [
      {
        id: 'ExpireAccessLogs',
        expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS),
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
  acknowledge(bucket, [
    {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Access logs of transient build artifacts; a regional outage stops the pipeline too, so a replica would record nothing.',
    },
    {
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason:
        'S3 server access log delivery does not support SSE-KMS on the destination bucket; the bucket uses SSE-S3.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_bucket_logging_enabled_check`,
      reason:
        'This bucket is the access-log destination of the artifact bucket; logging it would need another log bucket, without end (cdk-nag recognises log destinations, cfn-guard does not).',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_bucket_default_encryption_kms_check`,
      reason:
        'S3 server access log delivery does not support SSE-KMS on the destination bucket; see NIST.800.53.R5-S3DefaultEncryptionKMS.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
      reason: `Logs must expire after ${ACCESS_LOG_RETENTION_DAYS} days; versioning keeps overwritten objects, and only the S3 logging service may write, for the artifact bucket only.`,
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
      reason: 'Access logs are read on demand during an investigation; nothing reacts to their delivery.',
    },
  ]);
  return bucket;
}

function hardenAndAcknowledge(pipeline: CodePipeline, accessLogs: s3.Bucket): void {
  const stack = Stack.of(pipeline);
  const cp = pipeline.pipeline;
  const bucket = cp.artifactBucket as s3.Bucket;
  const bucketLogicalId = stack.resolve((bucket.node.defaultChild as CfnResource).logicalId) as string;
  const artifactObjects = `Resource::<${bucketLogicalId}.Arn>/*`;

  // Fixes.
  for (const project of pipeline.node
    .findAll()
    .filter((c): c is codebuild.CfnProject => c instanceof codebuild.CfnProject)) {
    project.logsConfig ??= { cloudWatchLogs: { status: 'ENABLED' } };
  }
  const key = bucket.encryptionKey;
  if (key instanceof kms.Key) restrictKmsGrantsToAwsServices(key);
  bucket.addLifecycleRule({
    id: 'ExpireOldArtifacts',
    expiration: Duration.days(ARTIFACT_RETENTION_DAYS),
    abortIncompleteMultipartUploadAfter: Duration.days(1),
  });
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: accessLogs.bucketName,
    logFilePrefix: 'artifacts/',
  };
  accessLogs.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsFromArtifactBucket',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [accessLogs.arnForObjects('artifacts/*')],
      conditions: {
        ArnLike: { 'aws:SourceArn': bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );

  // Artifact bucket.
  acknowledge(bucket, [
    {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Artifacts are reproducible from Git by re-running the pipeline; replicating them to a second region adds no recovery capability.',
    },
    {
      id: 'NIST.800.53.R5-S3BucketVersioningEnabled',
      reason:
        'Every artifact is written once under a unique key per execution; versioning would keep nothing that a re-run cannot rebuild.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_bucket_versioning_enabled_check`,
      reason:
        'Artifacts are written once per execution and rebuilt from Git; see NIST.800.53.R5-S3BucketVersioningEnabled.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
      reason:
        'Artifacts must expire after the retention period; object lock would keep them and is not needed for reproducible build output.',
    },
    {
      id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
      reason: 'CodePipeline itself orchestrates every read and write of artifacts; no other consumer reacts to them.',
    },
  ]);

  // Roles that CDK Pipelines grants read/write on the artifact bucket and its key (grantReadWrite).
  const artifactReadWrite: Finding[] = [
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((a) => ({
      id: `AwsSolutions-IAM5[Action::${a}]`,
      reason: `CDK grantReadWrite on the pipeline's own artifact bucket only; ${a} is limited to that bucket's ARN.`,
    })),
    ...['kms:ReEncrypt*', 'kms:GenerateDataKey*'].map((a) => ({
      id: `AwsSolutions-IAM5[Action::${a}]`,
      reason: `CDK grant on the artifact bucket's own KMS key only; ${a} is limited to that key's ARN.`,
    })),
    {
      id: `AwsSolutions-IAM5[${artifactObjects}]`,
      reason:
        'Objects of the pipeline artifact bucket; artifact keys are generated per execution, so they cannot be listed in advance.',
    },
  ];
  const artifactRead = artifactReadWrite.filter((f) => /GetObject|GetBucket|List|kms|Resource::</.test(f.id));
  const codeBuildLogs = (projectRef: string): Finding[] => [
    {
      id: `AwsSolutions-IAM5[Resource::arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/codebuild/<${projectRef}>:*]`,
      reason: "Log streams of this CodeBuild project's own log group; stream names are generated per build.",
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:aws:codebuild:${stack.region}:${stack.account}:report-group/<${projectRef}>-*]`,
      reason: 'Test report groups of this CodeBuild project only (name prefixed with the project name).',
    },
  ];
  const refOf = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnResource).logicalId) as string;

  acknowledgeAt(pipeline, 'Pipeline/Role/DefaultPolicy', [
    ...artifactReadWrite,
    ...hardenCrossRegionSupport(cp, constructAt(pipeline, 'Pipeline/Role/DefaultPolicy') as iam.Policy),
    INLINE_POLICY,
  ]);
  for (const action of cp.node.findAll().filter((c) => c.node.id === 'CodePipelineActionRole')) {
    const policy = action.node.tryFindChild('DefaultPolicy');
    if (!policy) continue;
    const isSource = action.node.path.includes('/Source/');
    const usesKey = JSON.stringify(stack.resolve((policy as iam.Policy).document)).includes('kms:GenerateDataKey*');
    acknowledge(
      policy,
      isSource
        ? [...artifactReadWrite, INLINE_POLICY]
        : [
            ...(usesKey
              ? [
                  {
                    id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
                    reason:
                      'Publishes to the approval topic, which is encrypted with the notifications key; CDK grants GenerateDataKey* on that key only.',
                  },
                ]
              : []),
            INLINE_POLICY,
          ],
    );
  }

  const synthProject = constructAt(pipeline, 'Pipeline/Build/Synth/CdkBuildProject');
  acknowledgeAt(synthProject, 'Role/DefaultPolicy', [
    ...artifactReadWrite,
    ...codeBuildLogs(refOf(synthProject)),
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/*]',
      reason:
        'The synth step publishes JUnit reports into report groups that CodeBuild names from the buildspec at run time; limited to report groups of the pipeline account and region.',
    },
    INLINE_POLICY,
  ]);

  const selfMutation = constructAt(pipeline, 'UpdatePipeline/SelfMutation');
  acknowledgeAt(selfMutation, 'Role/DefaultPolicy', [
    ...artifactRead,
    ...codeBuildLogs(refOf(selfMutation)),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Self-mutation runs `cdk deploy PipelineStack`, which calls cloudformation:DescribeStacks and s3:ListBucket on bootstrap resources whose names are not known at synth; CDK Pipelines scopes assumed roles separately.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:*:iam::${stack.account}:role/*]`,
      reason:
        'Self-mutation assumes the CDK bootstrap roles of the pipeline account (condition on the iam::ResourceTag aws-cdk:bootstrap-role), whose names carry a qualifier and region.',
    },
    INLINE_POLICY,
  ]);

  // The stages' Lambda code is a file asset, so the pipeline always has a file publishing role.
  acknowledgeAt(pipeline, 'Assets/FileRole/DefaultPolicy', [
    ...artifactRead.filter((f) => !f.id.includes('kms')),
    {
      id: `AwsSolutions-IAM5[Resource::arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/codebuild/*]`,
      reason: 'One role is shared by the asset publishing projects, whose log group names are generated per project.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:aws:codebuild:${stack.region}:${stack.account}:report-group/*]`,
      reason: 'One role is shared by the asset publishing projects, whose report groups are generated per project.',
    },
    INLINE_POLICY,
  ]);
  acknowledgeAt(pipeline, 'CodeBuildActionRole/DefaultPolicy', [INLINE_POLICY]);
}

/**
 * Hardens the replication bucket and key of each cross-region support stack that CodePipeline
 * generates (one per region other than the pipeline's that a stage deploys to), and returns the
 * findings on the pipeline role that the grants to them cause.
 */
function hardenCrossRegionSupport(cp: codepipeline.Pipeline, pipelinePolicy: iam.Policy): Finding[] {
  const stack = Stack.of(cp);
  const findings: Finding[] = [];
  const crossRegionKeys: CrossRegionKey[] = [];
  for (const [region, support] of Object.entries(cp.crossRegionSupport)) {
    const bucket = support.replicationBucket as s3.Bucket;
    bucket.addLifecycleRule({
      id: 'ExpireOldArtifacts',
      expiration: Duration.days(ARTIFACT_RETENTION_DAYS),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
    // The bucket's key is an alias; its policy is the key's.
    if (bucket.encryptionKey) restrictKmsGrantsToAwsServices(bucket.encryptionKey);
    const aliasName = (bucket.encryptionKey as kms.IAlias | undefined)?.aliasName;
    if (aliasName !== undefined && typeof stack.resolve(aliasName) === 'string')
      crossRegionKeys.push({ region, aliasName: stack.resolve(aliasName) as string });
    acknowledge(bucket, [
      {
        id: 'AwsSolutions-S1',
        reason: `CDK's cross-region copy of the pipeline artifacts for ${region}; the pipeline role writes it and the stage accounts' CDK deploy roles in ${region} read it (its bucket policy admits no one else), and CloudTrail records those calls. A log bucket per region would log only the pipeline's own deploys.`,
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason: CROSS_REGION_ACCESS,
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_logging_enabled_check`,
        reason: CROSS_REGION_ACCESS,
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'The bucket is itself the regional copy of the artifact bucket; artifacts are rebuilt from Git by re-running the pipeline.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketVersioningEnabled',
        reason:
          'Artifacts are written once per execution under unique keys and rebuilt from Git; versioning would keep nothing a re-run cannot rebuild.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_versioning_enabled_check`,
        reason:
          'Artifacts are written once per execution and rebuilt from Git; see NIST.800.53.R5-S3BucketVersioningEnabled.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_bucket_object_lock_enabled_check`,
        reason:
          'Artifacts must expire after the retention period; object lock is not needed for reproducible build output.',
      },
      {
        id: `${CFN_GUARD_NAMESPACE}::s3_event_notifications_enabled_check`,
        reason:
          'CodePipeline itself orchestrates every read and write of the replicated artifacts; nothing else reacts to them.',
      },
    ]);
    const name = stack.resolve(bucket.bucketName);
    if (typeof name === 'string') {
      findings.push({
        id: `AwsSolutions-IAM5[Resource::arn:aws:s3:::${name}/*]`,
        reason: `Objects of CDK's cross-region artifact bucket for ${region}; artifact keys are generated per execution.`,
      });
    }
  }
  if (crossRegionKeys.length > 0) {
    scopeCrossRegionKeyUse(pipelinePolicy, crossRegionKeys);
    for (const { region } of crossRegionKeys) {
      findings.push({
        id: `AwsSolutions-IAM5[Resource::${stack.resolve(stack.formatArn({ service: 'kms', region, resource: 'key', resourceName: '*' }))}]`,
        reason: `KMS use of CDK's cross-region artifact key in ${region}, which lives in that region's support stack and has no ARN here; limited to the key whose alias is that key's (kms:ResourceAliases).`,
      });
    }
  }
  return findings;
}

const CROSS_REGION_ACCESS =
  "Cross-region copy of pipeline artifacts: the pipeline role writes it, the stage accounts' CDK deploy roles read it; see AwsSolutions-S1.";

/** The alias of one cross-region support stack's artifact key, in its region. */
interface CrossRegionKey {
  readonly region: string;
  readonly aliasName: string;
}

/**
 * CDK grants the pipeline role the cross-region artifact keys with `Resource: *`, because each key lives in
 * another region's support stack. This narrows that grant: the `*` is replaced by the keys of this account in
 * those regions, and only the keys whose alias is a support stack's artifact key alias (`kms:ResourceAliases`,
 * https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html).
 */
function scopeCrossRegionKeyUse(policy: iam.Policy, keys: readonly CrossRegionKey[]): void {
  const stack = Stack.of(policy);
  const cfn = policy.node.defaultChild as iam.CfnPolicy;
  const document = policy.document;
  const keyArns = keys.map(({ region }) =>
    stack.formatArn({ service: 'kms', region, resource: 'key', resourceName: '*' }),
  );
  cfn.policyDocument = Lazy.any({
    produce: () => {
      const resolved = stack.resolve(document) as { Statement: Record<string, unknown>[] };
      const statements = resolved.Statement.flatMap((statement) => {
        const actions = [statement.Action].flat() as string[];
        const resources = [statement.Resource].flat();
        if (!resources.includes('*') || !actions.every((a) => a.startsWith('kms:'))) return [statement];
        const rest = resources.filter((r) => r !== '*');
        return [
          ...(rest.length > 0 ? [{ ...statement, Resource: rest.length === 1 ? rest[0] : rest }] : []),
          {
            Action: statement.Action,
            Effect: statement.Effect,
            Resource: stack.resolve(keyArns.length === 1 ? keyArns[0] : keyArns),
            Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': keys.map((k) => k.aliasName) } },
          },
        ];
      });
      return { ...resolved, Statement: statements };
    },
  });
}
