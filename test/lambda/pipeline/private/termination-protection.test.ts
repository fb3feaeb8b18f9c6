import {
  CloudFormationClient,
  DescribeStacksCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { CheckClients } from '../../../../lambda/pipeline/private/check-clients';
import type { CheckContext } from '../../../../lambda/pipeline/private/check-context';
import { runStageHealthCheck, terminationProtected } from '../../../../lambda/pipeline/private/stage-health';
import { runTerminationProtection } from '../../../../lambda/pipeline/private/termination-protection';
import type { CheckParameters } from '../../../../contracts/check-parameters';
import { createLogger } from '../../../../lambda/shared/logger';

const cfn = mockClient(CloudFormationClient);
const PARAMS: CheckParameters = {
  stage: 'prod',
  region: 'eu-west-2',
  stackNames: ['Prod-Stateful', 'Prod-EdgeSecurity'],
  stackRegions: { 'Prod-EdgeSecurity': 'us-east-1' },
  roleArn: 'arn:aws:iam::333333333333:role/uk-home-improvement-prod-pipeline-termination-protection',
};

function context(params: CheckParameters = PARAMS): CheckContext {
  const primary = new CloudFormationClient({ region: params.region });
  const others = new Map<string, CloudFormationClient>();
  const clients = {
    cloudFormation: primary,
    cloudFormationIn: (region: string) => {
      if (!others.has(region)) others.set(region, new CloudFormationClient({ region }));
      return others.get(region)!;
    },
  } as unknown as CheckClients;
  return {
    params,
    clients,
    log: createLogger({ stage: params.stage, check: 'test' }, () => undefined),
    callOptions: { sleep: async () => undefined, timeoutMs: 500, attempts: 2 },
    httpGet: async () => ({ status: 200, body: '{}' }),
    now: () => new Date(),
  };
}

/** Stacks by name, with their protection; UpdateTerminationProtection changes it. */
function stacks(protection: Record<string, boolean>) {
  cfn.on(DescribeStacksCommand).callsFake((input) => ({
    Stacks: [
      {
        StackName: input.StackName,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(),
        EnableTerminationProtection: protection[input.StackName],
      },
    ],
  }));
  cfn.on(UpdateTerminationProtectionCommand).callsFake((input) => {
    protection[input.StackName] = input.EnableTerminationProtection;
    return { StackId: `arn:aws:cloudformation:eu-west-2:333333333333:stack/${input.StackName}/id` };
  });
}

beforeEach(() => cfn.reset());

/** The check role may not update termination protection: IAM's refusal. */
const refuseUpdates = () =>
  cfn.on(UpdateTerminationProtectionCommand).rejects(
    Object.assign(new Error('not authorized to perform: cloudformation:UpdateTerminationProtection'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    }),
  );

describe('runTerminationProtection (point 5)', () => {
  it("turns protection on for every unprotected stack, in the stack's own region, and leaves protected ones alone", async () => {
    const state = { 'Prod-Stateful': false, 'Prod-EdgeSecurity': true };
    stacks(state);
    const report = await runTerminationProtection(context());
    expect(report.passed).toBe(true);
    expect(state).toEqual({ 'Prod-Stateful': true, 'Prod-EdgeSecurity': true });
    const updates = cfn.commandCalls(UpdateTerminationProtectionCommand);
    expect(updates.map((c) => c.args[0].input)).toEqual([
      { StackName: 'Prod-Stateful', EnableTerminationProtection: true },
    ]);
    expect(report.outcomes.map((o) => o.detail).sort()).toEqual([
      'termination protection already on',
      'termination protection turned on',
    ]);
    const regions = await Promise.all(
      cfn
        .commandCalls(DescribeStacksCommand)
        .filter((c) => c.args[0].input.StackName === 'Prod-EdgeSecurity')
        .map((c) => (c.thisValue as { config: { region: () => Promise<string> } }).config.region()),
    );
    expect(new Set(regions)).toEqual(new Set(['us-east-1']));
  });

  it('fails, naming the stack and the reason, when the role may not update it', async () => {
    stacks({ 'Prod-Stateful': false, 'Prod-EdgeSecurity': true });
    refuseUpdates();
    const report = await runTerminationProtection(context());
    expect(report.passed).toBe(false);
    expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
      expect.objectContaining({
        name: 'stack Prod-Stateful',
        detail: expect.stringContaining('UpdateTerminationProtection'),
      }),
    ]);
  });

  it('fails when protection is still off after the update', async () => {
    stacks({ 'Prod-Stateful': false, 'Prod-EdgeSecurity': true });
    cfn.on(UpdateTerminationProtectionCommand).resolves({});
    const report = await runTerminationProtection(context());
    expect(report.passed).toBe(false);
    expect(report.outcomes.find((o) => o.status === 'fail')?.detail).toBe(
      'termination protection of Prod-Stateful is still off after UpdateTerminationProtection',
    );
  });
});

describe('runTerminationProtection, what it reports and how it calls', () => {
  it('reports as the termination-protection check, one outcome per stack named after it', async () => {
    stacks({ 'Prod-Stateful': false, 'Prod-EdgeSecurity': true });
    const report = await runTerminationProtection(context());
    expect(report).toMatchObject({ check: 'termination-protection', stage: 'prod', passed: true });
    expect(report.outcomes).toEqual([
      { name: 'stack Prod-Stateful', status: 'pass', detail: 'termination protection turned on' },
      { name: 'stack Prod-EdgeSecurity', status: 'pass', detail: 'termination protection already on' },
    ]);
  });

  it('sends each call with the signal that cancels it when its attempt times out', async () => {
    stacks({ 'Prod-Stateful': false, 'Prod-EdgeSecurity': true });
    await runTerminationProtection(context());
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(1);
    expect(cfn.calls()).toHaveLength(4);
    for (const c of cfn.calls())
      expect(((c.args as unknown[])[1] as { abortSignal?: unknown } | undefined)?.abortSignal).toBeInstanceOf(
        AbortSignal,
      );
  });

  it('fails naming the update call and the stack when the role may not update it', async () => {
    stacks({ 'Prod-Stateful': false, 'Prod-EdgeSecurity': true });
    refuseUpdates();
    const report = await runTerminationProtection(context());
    expect(report.outcomes.find((o) => o.status === 'fail')?.detail).toMatch(
      /^UpdateTerminationProtection Prod-Stateful failed: access denied/,
    );
  });

  it('fails naming the stack when DescribeStacks answers without a list of stacks', async () => {
    stacks({ 'Prod-Stateful': true, 'Prod-EdgeSecurity': true });
    cfn.on(DescribeStacksCommand, { StackName: 'Prod-Stateful' }).resolves({});
    const report = await runTerminationProtection(context());
    expect(report.outcomes.find((o) => o.status === 'fail')?.detail).toBe(
      'DescribeStacks Prod-Stateful returned no stack',
    );
  });
});

describe('runTerminationProtection on a stage that is not (fully) deployed', () => {
  it('fails naming the stack when CloudFormation says it does not exist, and changes nothing', async () => {
    stacks({ 'Prod-Stateful': true, 'Prod-EdgeSecurity': true });
    cfn.on(DescribeStacksCommand, { StackName: 'Prod-EdgeSecurity' }).rejects(
      Object.assign(new Error('Stack with id Prod-EdgeSecurity does not exist'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const report = await runTerminationProtection(context());
    expect(report.passed).toBe(false);
    expect(report.outcomes.filter((o) => o.status === 'fail')).toEqual([
      {
        name: 'stack Prod-EdgeSecurity',
        status: 'fail',
        detail:
          'DescribeStacks Prod-EdgeSecurity failed: ValidationError: Stack with id Prod-EdgeSecurity does not exist',
      },
    ]);
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(0);
  });

  it('fails naming the stack when DescribeStacks answers without it', async () => {
    stacks({ 'Prod-Stateful': true, 'Prod-EdgeSecurity': true });
    cfn.on(DescribeStacksCommand, { StackName: 'Prod-Stateful' }).resolves({ Stacks: [] });
    const report = await runTerminationProtection(context());
    expect(report.outcomes.find((o) => o.status === 'fail')?.detail).toBe(
      'DescribeStacks Prod-Stateful returned no stack',
    );
  });

  it('protects every stack in the primary region when no stack names another region', async () => {
    const state = { 'Prod-Stateful': false, 'Prod-EdgeSecurity': false };
    stacks(state);
    const report = await runTerminationProtection(context({ ...PARAMS, stackRegions: undefined }));
    expect(report.passed).toBe(true);
    expect(state).toEqual({ 'Prod-Stateful': true, 'Prod-EdgeSecurity': true });
    const regions = await Promise.all(
      cfn
        .commandCalls(UpdateTerminationProtectionCommand)
        .map((c) => (c.thisValue as { config: { region: () => Promise<string> } }).config.region()),
    );
    expect(regions).toEqual(['eu-west-2', 'eu-west-2']);
  });
});

describe('The stage health check and termination protection (point 5)', () => {
  it('fails a protected stage with an unprotected stack, naming it', async () => {
    stacks({ 'Prod-Stateful': true, 'Prod-EdgeSecurity': false });
    const report = await runStageHealthCheck(context({ ...PARAMS, terminationProtection: true }), { attempts: 1 });
    expect(report.outcomes.find((o) => o.name === 'termination-protection')).toEqual({
      name: 'termination-protection',
      status: 'fail',
      detail: "termination protection is off on Prod-EdgeSecurity; the stage's config asks for it",
    });
  });

  it('does not look at protection when the stage does not ask for it', async () => {
    stacks({ 'Prod-Stateful': false, 'Prod-EdgeSecurity': false });
    const report = await runStageHealthCheck(context(), { attempts: 1 });
    expect(report.outcomes.map((o) => o.name)).not.toContain('termination-protection');
  });

  it('passes when every stack is protected', () => {
    expect(
      terminationProtected([
        { name: 'A', status: 'UPDATE_COMPLETE', outputs: {}, terminationProtection: true },
        { name: 'B', status: 'UPDATE_COMPLETE', outputs: {}, terminationProtection: true },
      ]),
    ).toEqual({ name: 'termination-protection', status: 'pass', detail: 'on for all 2 stacks' });
  });
});

// Puts back the SDK clients this file stubs.
afterAll(() => {
  cfn.restore();
});
