import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TableBillingMode } from '../../config';

/** The platform's four tables. */
export interface PlatformTableSet<T = dynamodb.Table> {
  readonly users: T;
  readonly projects: T;
  readonly quotes: T;
  readonly contracts: T;
}

/** Props of {@link PlatformTables}. */
export interface PlatformTablesProps {
  /** Physical table names. */
  readonly names: PlatformTableSet<string>;
  /** Key that encrypts every table. */
  readonly key: kms.IKey;
  /** Billing mode. */
  readonly billingMode: TableBillingMode;
  /** What happens to the tables when removed from the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** Turn on DynamoDB deletion protection. */
  readonly deletionProtection: boolean;
}

/**
 * Users, projects, quotes and contracts. Keys and indexes serve these access patterns:
 * - users by `userId` (the Cognito `sub`);
 * - projects by `projectId`; a homeowner's projects: index `byHomeowner` (`homeownerId`, `createdAt`);
 * - quotes by `quoteId`; a project's quotes: `byProject` (`projectId`, `createdAt`);
 *   a contractor's quotes: `byContractor` (`contractorId`, `createdAt`);
 * - contracts by `contractId`; a project's contract: `byProject` (`projectId`).
 */
export class PlatformTables extends Construct {
  readonly tables: PlatformTableSet;

  constructor(scope: Construct, id: string, props: PlatformTablesProps) {
    super(scope, id);
    const S = dynamodb.AttributeType.STRING;
    const table = (tableId: keyof PlatformTableSet, partitionKey: string) =>
      new dynamodb.Table(this, tableId.charAt(0).toUpperCase() + tableId.slice(1), {
        tableName: props.names[tableId],
        partitionKey: { name: partitionKey, type: S },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        billingMode: props.billingMode === 'PAY_PER_REQUEST' ? dynamodb.BillingMode.PAY_PER_REQUEST : dynamodb.BillingMode.PROVISIONED,
        deletionProtection: props.deletionProtection,
        removalPolicy: props.removalPolicy,
      });
    const users = table('users', 'userId');
    const projects = table('projects', 'projectId');
    projects.addGlobalSecondaryIndex({ indexName: 'byHomeowner', partitionKey: { name: 'homeownerId', type: S }, sortKey: { name: 'createdAt', type: S } });
    const quotes = table('quotes', 'quoteId');
    quotes.addGlobalSecondaryIndex({ indexName: 'byProject', partitionKey: { name: 'projectId', type: S }, sortKey: { name: 'createdAt', type: S } });
    quotes.addGlobalSecondaryIndex({ indexName: 'byContractor', partitionKey: { name: 'contractorId', type: S }, sortKey: { name: 'createdAt', type: S } });
    const contracts = table('contracts', 'contractId');
    contracts.addGlobalSecondaryIndex({ indexName: 'byProject', partitionKey: { name: 'projectId', type: S } });
    this.tables = { users, projects, quotes, contracts };
  }
}
