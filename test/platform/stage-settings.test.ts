import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV_NAMES } from '../../contracts/env-names';
import { ServiceStack } from '../../lib/platform/service-stack';
import { StatefulStack } from '../../lib/platform/stateful-stack';
import { fixtureConfig, fixtureContext, fixtureProblems } from '../config/fixtures/production-context';

/** The Stateful and Service templates of the fixture's plain stage `test`, with `overrides` on the fixture. */
function templates(overrides: Record<string, unknown>) {
  const stage = fixtureConfig(overrides).stages.find((s) => s.name === 'test')!;
  // No Lambda bundling: these tests read templates.
  const app = new App({ context: { ...fixtureContext(overrides), 'aws:cdk:bundling-stacks': [] } });
  const env = { account: stage.account, region: stage.region };
  const stateful = new StatefulStack(app, 'Stateful', { env, stage });
  const service = new ServiceStack(app, 'Service', { env, stage, pipelineAccount: '999999999999', stateful });
  return { stateful: Template.fromStack(stateful), service: Template.fromStack(service) };
}

/** The function whose description starts with `description`, as the template has it. */
function functionDescribed(template: Template, description: string): Record<string, any> {
  const found = Object.values(template.findResources('AWS::Lambda::Function')).filter((f: any) =>
    String(f.Properties.Description).startsWith(description),
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('Stage settings reach the stacks', () => {
  // GIVEN the fixture's `test` stage with a model id, memory sizes and SES e-mail of its own
  const { stateful, service } = templates({
    'test.ai.modelId': 'claude-opus-4-6',
    'test.memoryMb.projectScoping': 1024,
    'test.memoryMb.health': 128,
    'test.email.ses.enabled': true,
    'test.email.ses.fromAddress': 'no-reply@example.com',
    'test.email.ses.verifiedDomain': 'example.com',
  });

  it("gives both AI agents the stage's model id, and no other function", () => {
    for (const agent of ['AI agent: scopes', 'AI agent: prices'])
      expect(functionDescribed(service, agent).Environment.Variables[ENV_NAMES.aiModelId]).toBe('claude-opus-4-6');
    const others = Object.values(service.findResources('AWS::Lambda::Function')).filter(
      (f: any) => f.Properties.Environment?.Variables?.[ENV_NAMES.aiModelId] !== undefined,
    );
    expect(others).toHaveLength(2);
  });

  it("sizes each function by its memoryMb key, the others by the keys' defaults", () => {
    expect(functionDescribed(service, 'AI agent: scopes').MemorySize).toBe(1024);
    expect(functionDescribed(service, 'AI agent: prices').MemorySize).toBe(512);
    expect(functionDescribed(service, 'GET /health').MemorySize).toBe(128);
    expect(functionDescribed(service, 'Business API').MemorySize).toBe(256);
  });

  it('sends the user pool e-mail through SES from the configured address', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'no-reply@example.com',
        SourceArn: Match.stringLikeRegexp('identity/example.com'),
      },
    });
  });

  it("leaves the user pool on Cognito's own sender where SES is off", () => {
    const { stateful: plain } = templates({});
    const pool = Object.values(plain.findResources('AWS::Cognito::UserPool'))[0] as any;
    expect(pool.Properties.EmailConfiguration?.EmailSendingAccount).not.toBe('DEVELOPER');
  });
});

describe('<stage>.ai.modelId', () => {
  it('refuses a model Anthropic has retired, naming the key, the value, the date and the source', () => {
    expect(fixtureProblems({ 'test.ai.modelId': 'claude-3-sonnet-20240229' })).toEqual([
      expect.stringMatching(
        /^test\.ai\.modelId = "claude-3-sonnet-20240229" is not valid: .*Anthropic retired claude-3-sonnet-20240229 on 2025-07-21.*model-deprecations/,
      ),
    ]);
  });

  it('defaults to a model that is not retired', () => {
    const stage = fixtureConfig().stages[0];
    expect(fixtureProblems({ 'test.ai.modelId': stage.ai.modelId })).toEqual([]);
    expect(stage.ai.modelId).not.toMatch(/^claude-3-sonnet/);
  });
});

describe('<stage>.email.ses', () => {
  it('refuses a sender outside its verified domain, naming both keys', () => {
    expect(
      fixtureProblems({
        'test.email.ses.enabled': true,
        'test.email.ses.fromAddress': 'no-reply@mail.example.com',
        'test.email.ses.verifiedDomain': 'example.com',
      }),
    ).toEqual([
      expect.stringMatching(
        /^test\.email\.ses\.fromAddress = "no-reply@mail\.example\.com" is not valid: it is not an address of test\.email\.ses\.verifiedDomain/,
      ),
    ]);
  });
});
