/**
 * The Journey action in the synthesized pipeline, from an explicit journey config: Staging runs the full
 * journey, Prod (asked for it) only its read-only part, Dev (not asked) none.
 */
import { JOURNEY_FUNCTION_ROLE_NAME, resourceNames } from '../../../contracts/resource-names';
import { JOURNEY_ACTION_NAME } from '../../../lib/pipeline/checks/journey-action-name';
import { stageNamed } from '../../support/pipeline-shape';
import { synthApp } from '../../support/synth';

/** CloudFormation JSON as a template holds it (untyped by nature). */
type Cfn = any;

const built = synthApp({
  'dev.journey.enabled': false,
  'staging.journey.enabled': true,
  'staging.journey.timeoutMinutes': 7,
  'prod.journey.enabled': true,
  'prod.journey.readOnly': true,
});
const template = built.pipelineTemplate;
const actionsOf = (stage: string) => stageNamed(template, stage).actions;
const journeyOf = (stage: string) => actionsOf(stage).find((a) => a.name === JOURNEY_ACTION_NAME);
const paramsOf = (stage: string) => JSON.parse(journeyOf(stage)!.configuration.UserParameters as string);

/** The policy statements of the journey role in a stage's Service stack. */
function journeyStatements(stage: string): Record<string, Cfn>[] {
  const service = built.template(stage, 'Service').toJSON().Resources as Record<string, Cfn>;
  const [roleId] = Object.entries(service).find(
    ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === resourceNames(stage).journeyRole,
  )!;
  return Object.values(service)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Cfn) => x.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('The Journey action', () => {
  it('sits in Staging after the health check (the DR check runs beside the health check), as a Lambda invoke action', () => {
    const staging = actionsOf('Staging');
    const journey = journeyOf('Staging')!;
    expect(journey.provider).toBe('Lambda');
    const health = staging.find((a) => a.name === 'HealthCheck')!;
    expect(journey.runOrder).toBeGreaterThan(health.runOrder);
    expect(journey.runOrder).toBe(Math.max(...staging.map((a) => a.runOrder)));
    const lastDeploy = Math.max(...staging.filter((a) => a.provider === 'CloudFormation').map((a) => a.runOrder));
    expect(staging.find((a) => a.name === 'DrCheck')!.runOrder).toBeGreaterThan(lastDeploy);
  });

  it("passes the stage's journey role, the stacks it reads and its config", () => {
    expect(paramsOf('Staging')).toEqual({
      stage: 'staging',
      region: 'eu-west-2',
      stackNames: ['Staging-Stateful', 'Staging-Service'],
      roleArn: `arn:aws:iam::${built.config.stages[1].account}:role/${resourceNames('staging').journeyRole}`,
      journey: { readOnly: false, timeoutMinutes: 7 },
    });
  });

  it('is absent, with its role, from a stage whose config does not turn it on', () => {
    expect(journeyOf('Dev')).toBeUndefined();
    expect(built.stage('dev').journey).toBeUndefined();
    const service = built.template('dev', 'Service').toJSON().Resources as Record<string, Cfn>;
    expect(Object.values(service).filter((r) => r.Properties?.RoleName === resourceNames('dev').journeyRole)).toEqual(
      [],
    );
  });

  it('runs only its read-only part in Prod, whose role may then only read the stage stacks', () => {
    expect(paramsOf('Prod').journey).toEqual({ readOnly: true, timeoutMinutes: 10 });
    expect(journeyOf('Prod')!.runOrder).toBeGreaterThan(
      actionsOf('Prod').find((a) => a.name === 'HealthCheck')!.runOrder,
    );
    const statements = journeyStatements('prod');
    expect(statements.map((s) => s.Action)).toEqual(['cloudformation:DescribeStacks']);
  });

  it("lets the journey function assume each stage's journey role and only those", () => {
    const resources = template.toJSON().Resources as Record<string, Cfn>;
    const [roleId] = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === JOURNEY_FUNCTION_ROLE_NAME,
    )!;
    const assumable = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Cfn) => x.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: Cfn) => s.Action === 'sts:AssumeRole')
      .flatMap((s: Cfn) => [s.Resource].flat());
    expect(assumable.sort()).toEqual([paramsOf('Staging').roleArn, paramsOf('Prod').roleArn].sort());
  });

  it("gives Staging's journey role the synthetic users and items, and nothing else", () => {
    const bySid = Object.fromEntries(journeyStatements('staging').map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'DecryptThroughDynamoDb',
      'ListWorkflowRuns',
      'ManageSyntheticUsers',
      'ReadAndRemoveSyntheticItems',
      'ReadStageStackOutputs',
      'StopJourneyWorkflowRun',
    ]);
    expect(bySid.ReadAndRemoveSyntheticItems.Action).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem']);
    expect(bySid.ReadAndRemoveSyntheticItems.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['journey-*'] },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
  });
});
