import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableBillingMode } from '../../config';
import { CONTRACT_INDEXES, PROJECT_INDEXES, QUOTE_INDEXES } from '../../../contracts/table-indexes';

/** The platform's four tables. */
export interface PlatformTableSet<T = dynamodb.Table> {
  readonly users: T;
  readonly projects: T;
  readonly quotes: T;
  readonly contracts: T;
}

/** Capacity range of a PROVISIONED table and of each of its indexes. */
export interface ProvisionedCapacity {
  /** Lowest read and write capacity units auto-scaling goes down to. */
  readonly min: number;
  /** Highest read and write capacity units auto-scaling goes up to. */
  readonly max: number;
  /** Target utilization percentage auto-scaling keeps. */
  readonly targetUtilizationPercent: number;
}

/** Props of {@link PlatformTables}. */
export interface PlatformTablesProps {
  /** Physical table names. */
  readonly names: PlatformTableSet<string>;
  /** Key that encrypts every table. */
  readonly key: kms.IKey;
  /** Billing mode. `PROVISIONED` auto-scales tables and indexes within {@link provisionedCapacity}. */
  readonly billingMode: TableBillingMode;
  /**
   * Capacity range when `billingMode` is `PROVISIONED`; ignored for `PAY_PER_REQUEST`.
   * @default - 5 to 100 units, 70 % target utilization
   */
  readonly provisionedCapacity?: ProvisionedCapacity;
  /** What happens to the tables when removed from the stack or replaced. */
  readonly removalPolicy: RemovalPolicy;
  /** Turn on DynamoDB deletion protection (a table cannot be deleted until it is turned off). */
  readonly deletionProtection: boolean;
}

/** One global secondary index: its name and keys (all string attributes, all attributes projected). */
interface IndexSpec {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

/**
 * Users, projects, quotes and contracts (see docs/data-model.md). Keys and indexes serve:
 * - users by `userId` (the Cognito `sub`);
 * - projects by `projectId`; a homeowner's projects, newest first: `byHomeowner` (`homeownerId`, `createdAt`);
 * - quotes by `quoteId`; a project's quotes: `byProject` (`projectId`, `createdAt`);
 *   a contractor's quotes: `byContractor` (`contractorId`, `createdAt`);
 * - contracts by `contractId`; a project's contract: `byProject` (`projectId`).
 *
 * Every table is encrypted with the given key and has point-in-time recovery.
 */
export class PlatformTables extends Construct {
  /** The four tables. */
  readonly tables: PlatformTableSet;

  constructor(scope: Construct, id: string, props: PlatformTablesProps) {
    super(scope, id);
    const capacity = props.provisionedCapacity ?? { min: 5, max: 100, targetUtilizationPercent: 70 };
    if (
      capacity.min < 1 ||
      capacity.max < capacity.min ||
      capacity.targetUtilizationPercent < 10 ||
      capacity.targetUtilizationPercent > 90
    ) {
      throw new Error(
        `${id}: provisionedCapacity ${JSON.stringify(capacity)} is not valid; expected 1 <= min <= max and a target utilization from 10 to 90.`,
      );
    }
    const provisioned = props.billingMode === 'PROVISIONED';
    const S = dynamodb.AttributeType.STRING;

    const table = (name: keyof PlatformTableSet, partitionKey: string, indexes: IndexSpec[]) => {
      const t = new dynamodb.Table(this, name.charAt(0).toUpperCase() + name.slice(1), {
        tableName: props.names[name],
        partitionKey: { name: partitionKey, type: S },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        billingMode: provisioned ? dynamodb.BillingMode.PROVISIONED : dynamodb.BillingMode.PAY_PER_REQUEST,
        ...(provisioned ? { readCapacity: capacity.min, writeCapacity: capacity.min } : {}),
        deletionProtection: props.deletionProtection,
        removalPolicy: props.removalPolicy,
      });
      for (const index of indexes) {
        t.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: { name: index.partitionKey, type: S },
          sortKey: index.sortKey ? { name: index.sortKey, type: S } : undefined,
          ...(provisioned ? { readCapacity: capacity.min, writeCapacity: capacity.min } : {}),
        });
      }
      if (provisioned) this.autoScale(t, indexes, capacity);
      return t;
    };

    this.tables = {
      users: table('users', 'userId', []),
      projects: table('projects', 'projectId', [
        { indexName: PROJECT_INDEXES.byHomeowner, partitionKey: 'homeownerId', sortKey: 'createdAt' },
      ]),
      quotes: table('quotes', 'quoteId', [
        { indexName: QUOTE_INDEXES.byProject, partitionKey: 'projectId', sortKey: 'createdAt' },
        { indexName: QUOTE_INDEXES.byContractor, partitionKey: 'contractorId', sortKey: 'createdAt' },
      ]),
      contracts: table('contracts', 'contractId', [
        { indexName: CONTRACT_INDEXES.byProject, partitionKey: 'projectId' },
      ]),
    };
  }

  /** Read and write auto-scaling of a PROVISIONED table and each of its indexes. */
  private autoScale(table: dynamodb.Table, indexes: IndexSpec[], capacity: ProvisionedCapacity): void {
    const range = { minCapacity: capacity.min, maxCapacity: capacity.max };
    const target = { targetUtilizationPercent: capacity.targetUtilizationPercent };
    table.autoScaleReadCapacity(range).scaleOnUtilization(target);
    table.autoScaleWriteCapacity(range).scaleOnUtilization(target);
    for (const { indexName } of indexes) {
      table.autoScaleGlobalSecondaryIndexReadCapacity(indexName, range).scaleOnUtilization(target);
      table.autoScaleGlobalSecondaryIndexWriteCapacity(indexName, range).scaleOnUtilization(target);
    }
  }
}
