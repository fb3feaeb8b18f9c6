/** Synthesizes the app with explicit Prod gates, then runs the guard the SelfMutate buildspec carries. */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { BREAK_GLASS_PARAMETER } from '../../contracts/gate-spec';
import { parseGateSpec, parseGuardCommand } from '../../lambda/pipeline/self-mutation-guard/guard-command';
import { PROJECT_ROOT } from '../../lib/bundling/esbuild-bundling';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../stages/platform-stage';
import { productionGateSpec } from '../../lib/pipeline/self-mutation/production-gate-spec';
import {
  bundleSelfMutationGuard,
  GUARD_COMMAND_MAX_BYTES,
  SelfMutationGuardCheck,
} from '../../lib/pipeline/self-mutation/self-mutation-guard';
import { NO_BUNDLING } from '../../support/shared-assembly';
import { writeAssembly } from '../lambda/pipeline/self-mutation-guard/fixtures/guarded-pipeline';
import { configWith, contextWith } from '../support/context';
import { synthApp } from '../support/synth';
import { templateLimitFindings } from '../support/template-limits';

/** Prod's gates, set here rather than read from cdk.json's current values. */
const PROD_GATES = {
  'prod.production': true,
  'staging.production': false,
  'prod.delivery.manualApproval': true,
  'prod.delivery.bakeTimeMinutes': 45,
  'prod.delivery.rollbackOnFailure': true,
  'prod.delivery.terminationProtection': true,
  'prod.delivery.window.enabled': true,
  'prod.delivery.window.cron': '* * 10-14 ? * TUE-WED',
  'prod.delivery.window.timeZone': 'Europe/Dublin',
  'prod.backup.enabled': true,
};

const built = synthApp(PROD_GATES);
const template = built.pipelineTemplate.toJSON() as Record<string, any>;
const resources = template.Resources as Record<string, any>;
const [selfMutationId, selfMutation] = Object.entries(resources).find(
  ([, r]) => r.Type === 'AWS::CodeBuild::Project' && JSON.stringify(r.Properties.Name ?? '').includes('selfupdate'),
)!;
const buildSpec = JSON.parse(selfMutation.Properties.Source.BuildSpec);
const [guardLine] = buildSpec.phases.pre_build.commands as string[];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('The SelfMutate project', () => {
  it('runs the guard in pre_build, which CodeBuild runs before the build phase that deploys', () => {
    expect(Object.keys(buildSpec.phases)).toEqual(expect.arrayContaining(['install', 'pre_build', 'build']));
    expect(buildSpec.phases.pre_build.commands).toHaveLength(1);
    expect(buildSpec.phases.pre_build['on-failure']).toBeUndefined();
    expect(buildSpec.phases.build.commands).toEqual([
      'cdk -a . deploy PipelineStack --require-approval=never --verbose',
    ]);
    expect(JSON.stringify(buildSpec.phases.install)).not.toContain('cdk -a');
  });

  it('carries the bundled guard and the gates of the production stages, from the config', () => {
    const payload = parseGuardCommand(guardLine)!;
    expect(payload.script.equals(bundleSelfMutationGuard())).toBe(true);
    const spec = parseGateSpec(payload.specJson);
    expect(spec).toEqual(
      productionGateSpec(built.config, 'uk-home-improvement-delivery', { assembly: '.', stack: 'PipelineStack' }),
    );
    expect(spec.production).toEqual([
      {
        stage: 'Prod',
        approval: {
          stage: 'ApproveProd',
          actions: [
            { name: 'ChangeReview', category: 'Build', provider: 'CodeBuild' },
            { name: 'ApproveToProd', category: 'Approval', provider: 'Manual' },
          ],
        },
        window: { cron: '* * 10-14 ? * TUE-WED', timeZone: 'Europe/Dublin' },
        rollbackOnFailure: true,
        bake: {
          action: { name: 'Bake', category: 'Invoke', provider: 'Lambda' },
          alarmName: 'uk-home-improvement-prod-stage-unhealthy',
          minutes: 45,
        },
        checks: [
          { name: 'TerminationProtection', category: 'Invoke', provider: 'Lambda' },
          { name: 'HealthCheck', category: 'Invoke', provider: 'Lambda' },
          { name: 'DrCheck', category: 'Invoke', provider: 'Lambda' },
        ],
      },
    ]);
  });

  it('may read the break-glass parameter and nothing else of SSM', () => {
    const roleId = selfMutation.Properties.ServiceRole['Fn::GetAtt'][0];
    const ssm = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes('ssm:'));
    expect(ssm).toEqual([
      {
        Sid: 'ReadBreakGlass',
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: `arn:aws:ssm:eu-west-2:${built.config.pipeline.account}:parameter${BREAK_GLASS_PARAMETER}`,
      },
    ]);
  });

  it('leaves the break-glass parameter to administrators: no policy of the pipeline stack may write or delete it', () => {
    const documents = Object.values(resources).flatMap((r) => [
      ...(r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' ? [r.Properties.PolicyDocument] : []),
      ...(r.Type === 'AWS::IAM::Role' ? (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument) : []),
    ]);
    const writes = documents
      .flatMap((d) => d.Statement)
      .filter((s: any) => s.Effect === 'Allow')
      .flatMap((s: any) => [s.Action].flat())
      .filter((a: string) => /^(\*|ssm:\*|ssm:(Put|Delete|Label)\w*|ssm:\w*\*)$/.test(a));
    expect(documents.length).toBeGreaterThan(0);
    expect(writes).toEqual([]);
    expect(
      Object.values(resources).filter(
        (r) => r.Type === 'AWS::SSM::Parameter' && r.Properties.Name === BREAK_GLASS_PARAMETER,
      ),
    ).toEqual([]);
  });

  it('stays small: a guard without the AWS SDK or a checkout path, a command and a template within limits', () => {
    const script = bundleSelfMutationGuard().toString('utf8');
    expect(script).not.toMatch(/@aws-sdk|@smithy/);
    expect(script).not.toContain(PROJECT_ROOT);
    expect(Buffer.byteLength(guardLine)).toBeLessThanOrEqual(GUARD_COMMAND_MAX_BYTES);
    expect(templateLimitFindings('PipelineStack', JSON.stringify(template))).toEqual([]);
  });
});

describe('The synth-time check of the guard', () => {
  it('passes the pipeline this config builds', () => {
    const dir = writeAssembly(template);
    dirs.push(dir);
    const spec = parseGateSpec(parseGuardCommand(guardLine)!.specJson);
    const report = new SelfMutationGuardCheck('PipelineStack', spec, bundleSelfMutationGuard()).validate({
      templatePaths: [path.join(dir, 'PipelineStack.template.json')],
      stackTemplates: [
        {
          stackConstructPath: 'PipelineStack',
          templatePath: path.join(dir, 'PipelineStack.template.json'),
          accountId: undefined,
          region: undefined,
        },
      ],
      appConstruct: built.app,
    });
    expect(report).toEqual({ success: true, violations: [] });
  });

  it('fails the synth of a pipeline that lacks a gate its own guard holds it to, naming the gate', () => {
    const app = new App({ context: { ...contextWith(PROD_GATES), ...NO_BUNDLING } });
    const stack = new PipelineStack(app, 'PipelineStack', {
      config: configWith(PROD_GATES),
      stageFactory: createPlatformStage,
    });
    const cfn = stack.pipeline.pipeline.node.defaultChild as codepipeline.CfnPipeline;
    const prod = stack.pipeline.pipeline.stages.findIndex((s) => s.stageName === 'Prod');
    cfn.addPropertyDeletionOverride(`Stages.${prod}.OnFailure`);
    expect(() => app.synth()).toThrow(
      'The deployed guard would refuse this pipeline: Prod: rollback on failure is gone (OnFailure is no longer ROLLBACK) (SelfMutationGuard)',
    );
  });
});

/** A stand-in for the AWS CLI v2 on PATH, answering `aws ssm get-parameter` as the CLI does for `FAKE_AWS_ANSWER`. */
function fakeAwsCli(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-aws-'));
  dirs.push(dir);
  const file = path.join(dir, 'aws');
  writeFileSync(
    file,
    `#!/bin/sh
if [ "$*" != "ssm get-parameter --name ${BREAK_GLASS_PARAMETER} --query Parameter.Value --output text" ]; then
  printf 'usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\\naws: error: unexpected call: %s\\n' "$*" >&2
  exit 252
fi
case "$FAKE_AWS_ANSWER" in
  not-found)
    printf '\\nAn error occurred (ParameterNotFound) when calling the GetParameter operation: \\n' >&2
    exit 254 ;;
  access-denied)
    printf '\\nAn error occurred (AccessDeniedException) when calling the GetParameter operation: User: arn:aws:sts::999999999999:assumed-role/SelfMutationRole/AWSCodeBuild-1 is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-2:999999999999:parameter${BREAK_GLASS_PARAMETER} because no identity-based policy allows the ssm:GetParameter action\\n' >&2
    exit 254 ;;
  value)
    printf '%s\\n' "$FAKE_AWS_VALUE"
    exit 0 ;;
esac
exit 255
`,
  );
  chmodSync(file, 0o755);
  return dir;
}

describe('The guard the SelfMutate buildspec carries, run as CodeBuild runs it', () => {
  const fakeBin = fakeAwsCli();

  /** Runs the buildspec's pre_build command in a cloud assembly holding `next` as the new pipeline stack. */
  function preBuild(next: Record<string, any>, answer: 'not-found' | 'access-denied' | 'value', value = '') {
    const dir = writeAssembly(next);
    dirs.push(dir);
    const run = spawnSync('sh', ['-c', guardLine], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${fakeBin}${path.delimiter}${process.env.PATH}`,
        FAKE_AWS_ANSWER: answer,
        FAKE_AWS_VALUE: value,
      },
    });
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
  }

  const weakened = structuredClone(template);
  const prodStage = (t: Record<string, any>) =>
    Object.values(t.Resources as Record<string, any>)
      .find((r) => r.Type === 'AWS::CodePipeline::Pipeline')!
      .Properties.Stages.find((s: { Name: string }) => s.Name === 'Prod');
  delete prodStage(weakened).BeforeEntry;

  it('deploys its own pipeline from a tooling account without the break-glass parameter (the first SelfMutate after `cdk deploy PipelineStack`)', () => {
    const { status, out } = preBuild(template, 'not-found');
    expect(out).toContain('Self-mutation guard: no production gate is weakened; deploying.');
    expect(status).toBe(0);
  });

  it('refuses a pipeline without the Prod window, naming it and the put-parameter command', () => {
    const { status, out } = preBuild(weakened, 'not-found');
    expect(out).toContain('  - Prod: the deployment window "* * 10-14 ? * TUE-WED" (Europe/Dublin) is gone');
    expect(out).toContain(`aws ssm put-parameter --name ${BREAK_GLASS_PARAMETER} --type String --overwrite`);
    expect(status).toBe(1);
  });

  it('lets it through with a break-glass for this very template, loudly', () => {
    const dir = writeAssembly(weakened);
    dirs.push(dir);
    const sha = createHash('sha256')
      .update(readFileSync(path.join(dir, 'PipelineStack.template.json')))
      .digest('hex');
    const value = JSON.stringify({
      reason: 'Window lifted for the incident INC-7, approved by the head of platform',
      expires: new Date(Date.now() + 3600_000).toISOString(),
      template: sha,
    });
    const { status, out } = preBuild(weakened, 'value', value);
    expect(out).toContain('BREAK-GLASS IN USE');
    expect(out).toContain('Reason: Window lifted for the incident INC-7, approved by the head of platform');
    expect(status).toBe(0);
  });

  it('refuses when the role may not read the parameter, with the CLI message', () => {
    const { status, out } = preBuild(template, 'access-denied');
    expect(out).toContain('An error occurred (AccessDeniedException) when calling the GetParameter operation');
    expect(status).toBe(1);
  });

  it('refuses a next pipeline whose SelfMutate no longer runs the guard', () => {
    const next = structuredClone(template);
    const spec = JSON.parse(next.Resources[selfMutationId].Properties.Source.BuildSpec);
    delete spec.phases.pre_build;
    next.Resources[selfMutationId].Properties.Source.BuildSpec = JSON.stringify(spec);
    const { status, out } = preBuild(next, 'not-found');
    expect(out).toContain('  - UpdatePipeline/SelfMutate no longer runs the guard in pre_build, before its deploy');
    expect(status).toBe(1);
  });
});
