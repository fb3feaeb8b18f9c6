/** Resource types that hold data (or keys to it) and must survive a stack delete or replacement. */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Cognito::UserPool',
  'AWS::Backup::BackupVault',
  'AWS::Backup::LogicallyAirGappedBackupVault',
  'AWS::SecretsManager::Secret',
];

/** A synthesized template and what is required of it. */
export interface DataSafetyInput {
  /** Stack name, for the messages. */
  readonly stackName: string;
  /** The template (`Template.toJSON()` or the parsed file). */
  readonly template: {
    Resources?: Record<string, { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  };
  /** Whether stateful resources must be retained (the stage's `retainData`). */
  readonly retainData: boolean;
  /** Whether the stack must have termination protection. */
  readonly requireTerminationProtection: boolean;
  /** The stack's actual termination protection. */
  readonly terminationProtection: boolean;
}

/**
 * What a stack breaks of the data-safety rules, one sentence per resource; empty when safe.
 * Generic over resource types, so a new table or bucket anywhere in the stage is covered.
 */
export function dataSafetyFindings(input: DataSafetyInput): string[] {
  const out: string[] = [];
  if (input.requireTerminationProtection && !input.terminationProtection) {
    out.push(`${input.stackName}: termination protection is off.`);
  }
  if (!input.retainData) return out;
  for (const [logicalId, r] of Object.entries(input.template.Resources ?? {})) {
    if (!STATEFUL_RESOURCE_TYPES.includes(r.Type)) continue;
    if (r.DeletionPolicy !== 'Retain' || r.UpdateReplacePolicy !== 'Retain') {
      out.push(
        `${input.stackName}/${logicalId} (${r.Type}): DeletionPolicy ${r.DeletionPolicy ?? 'Delete'}, UpdateReplacePolicy ${r.UpdateReplacePolicy ?? 'Delete'}; both must be Retain.`,
      );
    }
  }
  return out;
}
