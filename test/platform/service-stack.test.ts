import { existsSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { OUTPUTS } from '../../contracts/output-names';
import { MANAGED_RULE_GROUPS } from '../../lib/platform/security/platform-web-acl';
import { platformStages } from '../support/platform-stages';

const built = platformStages({}, { bundle: true });
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
const resources = (t: Template, type: string): Resource[] => Object.values(t.findResources(type)) as Resource[];
/** The platform's own functions (not CDK's custom resource providers), which live under the `Functions` construct. */
const platformFunctions = (t: Template): Resource[] =>
  Object.entries(t.findResources('AWS::Lambda::Function'))
    .filter(([id]) => id.startsWith('Functions'))
    .map(([, r]) => r as Resource);

describe.each(['dev', 'staging', 'prod'])('The %s Service stack', (stageName) => {
  const stage = built.stage(stageName);
  const config = stage.config;
  const template = built.template(stageName, 'Service');

  it('runs every function on Node.js 22, ARM64, with X-Ray, its own log group and an async dead-letter queue', () => {
    const functions = platformFunctions(template);
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: expect.objectContaining({ STAGE: stageName }) },
      });
    }
  });

  it("keeps every log group for the stage's retention", () => {
    const groups = resources(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(7);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(config.logRetentionDays);
  });

  it("encrypts every log group with the stack's rotated log key, which only CloudWatch Logs of this account and region may use", () => {
    const keys = Object.entries(template.findResources('AWS::KMS::Key')).filter(([id]) =>
      id.startsWith('LogEncryptionKey'),
    );
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0] as [string, Resource];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements: any[] = key.Properties.KeyPolicy.Statement;
    const logs = statements.find((st) => st.Sid === 'AllowCloudWatchLogsOfThisAccount');
    expect(logs.Principal).toEqual({ Service: `logs.${config.region}.amazonaws.com` });
    expect(JSON.stringify(logs.Condition.ArnLike)).toContain(`:logs:${config.region}:${config.account}:log-group:*`);
    expect(statements.some((st) => st.Effect === 'Deny' && st.Action === 'kms:CreateGrant')).toBe(true);
    const groups = resources(template, 'AWS::Logs::LogGroup');
    for (const group of groups) expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  it('names the stage account on every permission API Gateway has to invoke a function', () => {
    const permissions = resources(template, 'AWS::Lambda::Permission').filter(
      (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions.length).toBeGreaterThanOrEqual(6);
    for (const permission of permissions) expect(permission.Properties.SourceAccount).toBe(config.account);
  });

  it('encrypts every dead-letter queue', () => {
    const queues = resources(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(6);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('gives every function a live alias, provisioned on the health and API functions exactly when the stage asks', () => {
    const aliases = resources(template, 'AWS::Lambda::Alias');
    expect(aliases).toHaveLength(5);
    for (const alias of aliases) expect(alias.Properties.Name).toBe('live');
    const provisioned = aliases.filter((a) => a.Properties.ProvisionedConcurrencyConfig !== undefined);
    expect(provisioned).toHaveLength(config.provisionedConcurrency === 0 ? 0 : 2);
    for (const alias of provisioned) {
      expect(alias.Properties.ProvisionedConcurrencyConfig).toEqual({
        ProvisionedConcurrentExecutions: config.provisionedConcurrency,
      });
    }
  });

  it('has every caller invoke the live alias: API integrations, workflow tasks and event rule targets', () => {
    const aliasIds = Object.keys(template.findResources('AWS::Lambda::Alias'));
    const refersToAlias = (value: unknown) => aliasIds.some((id) => JSON.stringify(value).includes(`"${id}"`));
    const integrations = resources(template, 'AWS::ApiGateway::Method').filter(
      (m) => m.Properties.Integration?.Type === 'AWS_PROXY',
    );
    expect(integrations.length).toBeGreaterThanOrEqual(3);
    for (const m of integrations) expect(refersToAlias(m.Properties.Integration.Uri)).toBe(true);
    const [machine] = resources(template, 'AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(aliasIds.filter((id) => definition.includes(`"${id}"`))).toHaveLength(3);
    const lambdaTargets = resources(template, 'AWS::Events::Rule')
      .flatMap((r) => r.Properties.Targets as Array<{ Arn: unknown }>)
      .filter((t) => JSON.stringify(t.Arn).includes('Functions'));
    expect(lambdaTargets.length).toBe(2);
    for (const t of lambdaTargets) expect(refersToAlias(t.Arn)).toBe(true);
  });

  it('names the API stage after the stage, with its throttling, access logs and tracing', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: stageName,
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [
        Match.objectLike({
          ThrottlingRateLimit: config.api.throttleRateLimit,
          ThrottlingBurstLimit: config.api.throttleBurstLimit,
        }),
      ],
    });
  });

  it('leaves GET /health open and puts the business routes behind Cognito with request validation', () => {
    const methods = resources(template, 'AWS::ApiGateway::Method');
    const open = methods.filter((m) => m.Properties.AuthorizationType === 'NONE');
    expect(open).toHaveLength(1);
    expect(open[0].Properties.HttpMethod).toBe('GET');
    const business = methods.filter((m) => m.Properties.AuthorizationType !== 'NONE');
    // POST /projects, POST /projects/{id}/quotes, and the three reads.
    expect(business.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'GET', 'GET', 'POST', 'POST']);
    for (const method of business) {
      expect(method.Properties).toMatchObject({
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: { Ref: expect.any(String) },
        RequestValidatorId: { Ref: expect.any(String) },
      });
    }
    for (const method of business.filter((m) => m.Properties.HttpMethod === 'POST'))
      expect(method.Properties.RequestModels).toEqual({ 'application/json': { Ref: expect.any(String) } });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: Match.objectLike({ required: ['title', 'description', 'postcode'], additionalProperties: false }),
    });
  });

  it('runs the AI workflow scope -> estimate -> notify with retries, catches to a failure state, logging as configured and tracing', () => {
    const [machine] = resources(template, 'AWS::StepFunctions::StateMachine');
    expect(machine.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration:
        config.workflowLogging === 'all-with-data'
          ? { Level: 'ALL', IncludeExecutionData: true }
          : { Level: 'ERROR', IncludeExecutionData: false },
    });
    const definition = JSON.parse(
      (machine.Properties.DefinitionString['Fn::Join'][1] as unknown[])
        .map((p) => (typeof p === 'string' ? p : 'REF'))
        .join(''),
    );
    expect(definition.StartAt).toBe('ScopeProject');
    expect(definition.States.ScopeProject.Next).toBe('EstimateQuote');
    expect(definition.States.EstimateQuote.Next).toBe('Notify');
    for (const task of ['ScopeProject', 'EstimateQuote', 'Notify']) {
      expect(definition.States[task].Retry[0]).toMatchObject({
        ErrorEquals: expect.arrayContaining(['TransientError']),
        MaxAttempts: 3,
      });
      expect(definition.States[task].Retry[0].ErrorEquals).not.toContain('InvalidInputError');
      expect(definition.States[task].Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'WorkflowFailed' }),
      ]);
    }
    expect(definition.States.WorkflowFailed.Type).toBe('Fail');
  });

  it('routes ProjectCreated, QuoteRequested and ContractSigned from the custom bus, each target with a dead-letter queue', () => {
    const rules = resources(template, 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties.EventPattern['detail-type'][0]).sort()).toEqual([
      'ContractSigned',
      'ProjectCreated',
      'QuoteRequested',
    ]);
    for (const rule of rules) {
      expect(rule.Properties.EventBusName).toEqual({ Ref: expect.stringMatching(/^DomainEventBus/) });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ DeadLetterConfig: { Arn: expect.anything() } }),
      ]);
    }
    const projectCreated = rules.find((r) => r.Properties.EventPattern['detail-type'][0] === 'ProjectCreated')!;
    expect(JSON.stringify(projectCreated.Properties.Targets[0].Arn)).toMatch(/AiWorkflowStateMachine/);
  });

  it('serves the site from a private bucket through origin access control, HTTPS only, with security headers and access logs', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [distribution] = resources(template, 'AWS::CloudFront::Distribution');
    const cfg = distribution.Properties.DistributionConfig;
    expect(cfg.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      ResponseHeadersPolicyId: { Ref: expect.any(String) },
    });
    expect(cfg.Logging).toMatchObject({
      Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^FrontendAccessLogs/), 'RegionalDomainName'] },
    });
    expect(cfg.CacheBehaviors).toEqual([
      expect.objectContaining({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only' }),
    ]);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      },
    });
  });

  it('publishes the API URL, health URL, distribution domain and state machine ARN under the contract keys', () => {
    for (const key of [OUTPUTS.apiUrl, OUTPUTS.healthUrl, OUTPUTS.distributionDomainName, OUTPUTS.stateMachineArn]) {
      expect(template.findOutputs(key)).toHaveProperty(key);
    }
    expect(JSON.stringify(template.findOutputs(OUTPUTS.healthUrl))).toMatch(/\/health/);
  });

  it('lets the health endpoint function describe tables and secrets but never read a secret value', () => {
    const healthPolicy = resources(template, 'AWS::IAM::Policy').find((p) =>
      JSON.stringify(p.Properties.Roles).includes('FunctionsHealth'),
    )!;
    const actions = healthPolicy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
      [s.Action].flat(),
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:DescribeTable', 'secretsmanager:DescribeSecret']));
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    expect(actions.filter((a: string) => a.startsWith('dynamodb:') && a !== 'dynamodb:DescribeTable')).toEqual([]);
  });

  it("grants the functions their own log group and the tables themselves, never the tables' indexes", () => {
    const policies = resources(template, 'AWS::IAM::Policy').filter((p) =>
      JSON.stringify(p.Properties.Roles).includes('Functions'),
    );
    expect(policies).toHaveLength(5);
    expect(JSON.stringify(policies)).not.toContain('/index/*');
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('Functions'));
    for (const [, role] of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('keeps the pipeline check role', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: `uk-home-improvement-${stageName}-pipeline-check` });
  });

  it('bundles every function small, with the AWS SDK left external', () => {
    const codeDirs = platformFunctions(template).map((f) =>
      path.join(built.app.outdir, `asset.${(f.Properties.Code.S3Key as string).replace('.zip', '')}`),
    );
    for (const dir of codeDirs) {
      expect(existsSync(path.join(dir, 'index.js'))).toBe(true);
      expect(statSync(path.join(dir, 'index.js')).size).toBeLessThan(50_000);
      expect(readdirSync(dir)).not.toContain('node_modules');
    }
  });
});

describe('WAF', () => {
  it('is absent from dev: no WebACL and no EdgeSecurity stack', () => {
    built.template('dev', 'Service').resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(built.stage('dev').stacks.map((s) => s.node.id)).toEqual(['Stateful', 'Service']);
    const [distribution] = resources(built.template('dev', 'Service'), 'AWS::CloudFront::Distribution');
    expect(distribution.Properties.DistributionConfig.WebACLId).toBeUndefined();
  });

  describe.each(['staging', 'prod'])('in %s', (stageName) => {
    const stage = built.stage(stageName);
    const service = built.template(stageName, 'Service');

    it('puts a REGIONAL WebACL with the managed rule groups and the per-IP rate limit on the API stage', () => {
      const [acl] = resources(service, 'AWS::WAFv2::WebACL');
      expect(acl.Properties.Scope).toBe('REGIONAL');
      const rules = acl.Properties.Rules as Array<{ Name: string; Statement: Record<string, any> }>;
      expect(rules.map((r) => r.Name)).toEqual([...MANAGED_RULE_GROUPS, 'RateLimitPerIp']);
      expect(rules[3].Statement.RateBasedStatement).toEqual({
        Limit: stage.config.waf?.rateLimit,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
      });
      service.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/stages/')])]),
        }),
      });
    });

    it('creates a CLOUDFRONT WebACL in a us-east-1 EdgeSecurity stack that Service depends on', () => {
      const edge = stage.stacks.find((s) => s.node.id === 'EdgeSecurity')!;
      expect(edge.region).toBe('us-east-1');
      expect(stage.stacks.map((s) => s.node.id)).toEqual([
        'Stateful',
        'Audit',
        'EdgeSecurity',
        'DrVault',
        'Service',
        'Backup',
      ]);
      const service = stage.stacks.find((s) => s.node.id === 'Service')!;
      expect(service.dependencies.map((d) => d.node.id)).toContain('EdgeSecurity');
      const [acl] = resources(built.template(stageName, 'EdgeSecurity'), 'AWS::WAFv2::WebACL');
      expect(acl.Properties.Scope).toBe('CLOUDFRONT');
      expect(acl.Properties.Rules).toHaveLength(4);
    });

    it('attaches the edge WebACL to the distribution through a cross-region stack output', () => {
      const [distribution] = resources(service, 'AWS::CloudFront::Distribution');
      expect(distribution.Properties.DistributionConfig.WebACLId).toEqual({
        'Fn::GetStackOutput': expect.objectContaining({
          Region: 'us-east-1',
          StackName: expect.stringMatching(/EdgeSecurity/),
        }),
      });
    });
  });
});
