import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV_NAMES, HEALTH_ENDPOINT_ENV_PREFIXES } from '../../../contracts/env-names';
import { acknowledge } from '../../compliance/acknowledge';
import type { PlatformTableSet } from '../data/platform-tables';
import { PlatformFunction } from './platform-function';
import { PROJECT_INDEXES, QUOTE_INDEXES } from '../../../contracts/table-indexes';

/** The platform's functions by role. */
export interface PlatformFunctionSet<T = PlatformFunction> {
  /** GET /health: the health endpoint. */
  readonly health: T;
  /** The business routes: /projects, /projects/{projectId} and /projects/{projectId}/quotes. */
  readonly projectsApi: T;
  /** AI agent that scopes a project. */
  readonly projectScoping: T;
  /** AI agent that prices a scoped project. */
  readonly quoteEstimation: T;
  /** Records notifications (quote ready, contract signed) on the project. */
  readonly notify: T;
}

/** Props of {@link PlatformFunctions}. */
export interface PlatformFunctionsProps {
  /** Stage name (STAGE on every log line). */
  readonly stage: string;
  /** Log retention of every function, in days. */
  readonly logRetentionDays: number;
  /**
   * Keep the log group when its stack is deleted or it is replaced (the stage's `retainData`).
   * @default true: the log group outlives its stack
   */
  readonly retainLogs?: boolean;
  /**
   * Customer-managed key that encrypts every function's log group.
   * @default - log groups encrypted with a key CloudWatch Logs owns
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Provisioned concurrency of the latency-critical API functions (health, projects API).
   * @default 0 - none
   */
  readonly provisionedConcurrency?: number;
  /** The platform tables (from the stateful stack). */
  readonly tables: PlatformTableSet<dynamodb.ITable>;
  /** Third-party secrets (from the stateful stack). */
  readonly secrets: {
    readonly stripe: secretsmanager.ISecret;
    readonly docusign: secretsmanager.ISecret;
    readonly claude: secretsmanager.ISecret;
  };
  /** Bus the API publishes domain events on. */
  readonly eventBus: events.IEventBus;
  /** Claude model id the AI agents call (contracts/ai-models.ts lists the retired ones). */
  readonly aiModelId: string;
  /** Memory of each function, in MB (Lambda gives CPU in proportion; the stage's `memoryMb.<function>` keys). */
  readonly memoryMb: PlatformFunctionSet<number>;
}

/**
 * Grants exactly `actions` on the table itself (not its indexes), plus the table key's use the actions
 * need. `table.grant` would add `<table>/index/*` too.
 */
function grantItems(table: dynamodb.ITable, grantee: iam.IGrantable, actions: string[], keyActions: string[]) {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
  if (keyActions.length > 0) table.encryptionKey?.grant(grantee, ...keyActions);
}
/** Grants `dynamodb:Query` on one named index of the table (not the table, not its other indexes), and reading through the table key. */
function grantIndexQuery(table: dynamodb.ITable, indexName: string, grantee: iam.IGrantable) {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${indexName}`] }),
  );
  table.encryptionKey?.grant(grantee, ...READ_KEY);
}
/**
 * Lets `grantee` read the secret's value. Unlike `secret.grantRead`, this adds the key's
 * decrypt permission to the grantee's policy (limited to use through Secrets Manager), not to
 * the key policy in the stateful stack, which would make the stateful stack depend on this one.
 */
function grantSecretValue(secret: secretsmanager.ISecret, grantee: iam.IGrantable) {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }),
  );
  if (secret.encryptionKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(secret).region}.amazonaws.com` } },
      }),
    );
  }
}
const READ_KEY = ['kms:Decrypt'];
const WRITE_KEY = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'];

/** The platform's five functions with least-privilege grants on tables, secrets and the bus. */
export class PlatformFunctions extends Construct {
  /** The functions by role. */
  readonly functions: PlatformFunctionSet;

  constructor(scope: Construct, id: string, props: PlatformFunctionsProps) {
    super(scope, id);
    const { tables, secrets } = props;
    const common = {
      stage: props.stage,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      logEncryptionKey: props.logEncryptionKey,
    };
    const { memoryMb } = props;
    const aiAgent = { timeout: Duration.seconds(60) };

    const health = new PlatformFunction(this, 'Health', {
      ...common,
      handlerName: 'health-endpoint',
      memorySize: memoryMb.health,
      description: 'GET /health: reports each table and secret',
      provisionedConcurrency: props.provisionedConcurrency,
      environment: {
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.table}USERS`]: tables.users.tableName,
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.table}PROJECTS`]: tables.projects.tableName,
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.table}QUOTES`]: tables.quotes.tableName,
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.table}CONTRACTS`]: tables.contracts.tableName,
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.secret}STRIPE`]: secrets.stripe.secretArn,
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.secret}DOCUSIGN`]: secrets.docusign.secretArn,
        [`${HEALTH_ENDPOINT_ENV_PREFIXES.secret}CLAUDE`]: secrets.claude.secretArn,
      },
    });
    for (const table of Object.values(tables)) grantItems(table, health.function, ['dynamodb:DescribeTable'], []);
    health.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret'],
        resources: Object.values(secrets).map((s) => s.secretArn),
      }),
    );

    const projectsApi = new PlatformFunction(this, 'ProjectsApi', {
      ...common,
      handlerName: 'projects-api',
      memorySize: memoryMb.projectsApi,
      description: "Business API: create and read a homeowner's projects and quotes, request quotes",
      provisionedConcurrency: props.provisionedConcurrency,
      environment: {
        [ENV_NAMES.projectsTable]: tables.projects.tableName,
        [ENV_NAMES.quotesTable]: tables.quotes.tableName,
        [ENV_NAMES.eventBusName]: props.eventBus.eventBusName,
      },
    });
    grantItems(tables.projects, projectsApi.function, ['dynamodb:GetItem', 'dynamodb:PutItem'], WRITE_KEY);
    grantIndexQuery(tables.projects, PROJECT_INDEXES.byHomeowner, projectsApi.function);
    grantIndexQuery(tables.quotes, QUOTE_INDEXES.byProject, projectsApi.function);
    props.eventBus.grantPutEventsTo(projectsApi.function);

    const projectScoping = new PlatformFunction(this, 'ProjectScoping', {
      ...common,
      ...aiAgent,
      handlerName: 'project-scoping',
      memorySize: memoryMb.projectScoping,
      description: 'AI agent: scopes a project with Claude',
      environment: {
        [ENV_NAMES.projectsTable]: tables.projects.tableName,
        [ENV_NAMES.claudeSecretArn]: secrets.claude.secretArn,
        [ENV_NAMES.aiModelId]: props.aiModelId,
      },
    });
    grantItems(tables.projects, projectScoping.function, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], WRITE_KEY);
    grantSecretValue(secrets.claude, projectScoping.function);

    const quoteEstimation = new PlatformFunction(this, 'QuoteEstimation', {
      ...common,
      ...aiAgent,
      handlerName: 'quote-estimation',
      memorySize: memoryMb.quoteEstimation,
      description: 'AI agent: prices a scoped project with Claude',
      environment: {
        [ENV_NAMES.projectsTable]: tables.projects.tableName,
        [ENV_NAMES.quotesTable]: tables.quotes.tableName,
        [ENV_NAMES.claudeSecretArn]: secrets.claude.secretArn,
        [ENV_NAMES.aiModelId]: props.aiModelId,
      },
    });
    grantItems(tables.projects, quoteEstimation.function, ['dynamodb:GetItem'], READ_KEY);
    grantItems(tables.quotes, quoteEstimation.function, ['dynamodb:PutItem'], WRITE_KEY);
    grantSecretValue(secrets.claude, quoteEstimation.function);

    const notify = new PlatformFunction(this, 'Notify', {
      ...common,
      handlerName: 'notify',
      memorySize: memoryMb.notify,
      description: 'Records quote-ready and contract-signed notifications on the project',
      environment: { [ENV_NAMES.projectsTable]: tables.projects.tableName },
    });
    grantItems(tables.projects, notify.function, ['dynamodb:UpdateItem'], WRITE_KEY);

    // The functions that write items (WRITE_KEY) need data keys of the table key.
    for (const writer of [projectsApi, projectScoping, quoteEstimation, notify]) {
      acknowledge(writer.function.role!, [
        {
          id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          reason:
            'DynamoDB needs data keys of the table key to write items; the grant is limited to the stage data key.',
        },
      ]);
    }
    this.functions = { health, projectsApi, projectScoping, quoteEstimation, notify };
  }
}
