import { guardWeakenings, sha256 } from '../../../../lambda/pipeline/self-mutation-guard/guard-integrity';
import {
  guardCommand,
  parseGateSpec,
  parseGuardCommand,
} from '../../../../lambda/pipeline/self-mutation-guard/guard-command';
import { BREAK_GLASS_PARAMETER } from '../../../../contracts/gate-spec';
import {
  actionOf,
  changed,
  guardedTemplate,
  SCRIPT,
  selfMutationBuildSpec,
  SPEC,
  stage,
  withBuildSpec,
} from './fixtures/guarded-pipeline';

const intact = guardedTemplate();

describe('the guard command', () => {
  it('carries the script and the spec, and reads them back', () => {
    const payload = parseGuardCommand(guardCommand(SCRIPT, SPEC))!;
    expect(payload.script.equals(SCRIPT)).toBe(true);
    expect(parseGateSpec(payload.specJson)).toEqual(SPEC);
  });

  it('is not found in another command', () => {
    expect(parseGuardCommand('cdk -a . deploy PipelineStack')).toBeUndefined();
    expect(parseGuardCommand(`${guardCommand(SCRIPT, SPEC)} || true`)).toBeUndefined();
  });

  it('refuses a spec of the wrong shape, naming the field', () => {
    expect(() => parseGateSpec('{')).toThrow(/^gate spec: not JSON/);
    expect(() => parseGateSpec(JSON.stringify({ ...SPEC, version: 2 }))).toThrow('gate spec: version is not 1');
    const noRollback = { ...SPEC, production: [{ ...SPEC.production[0], rollbackOnFailure: 'yes' }] };
    expect(() => parseGateSpec(JSON.stringify(noRollback))).toThrow(
      'gate spec: production[0].rollbackOnFailure is not true or false',
    );
  });
});

describe('the guard in the next pipeline', () => {
  it('holds when the self-mutation step runs the same guard on a spec as strong', () => {
    expect(guardWeakenings(SPEC, intact, SCRIPT)).toEqual([]);
  });

  it.each<[string, Record<string, any>, string]>([
    [
      'the guard removed from pre_build',
      withBuildSpec(intact, {
        ...selfMutationBuildSpec(),
        phases: { ...selfMutationBuildSpec().phases, pre_build: undefined },
      }),
      'UpdatePipeline/SelfMutate no longer runs the guard in pre_build, before its deploy',
    ],
    [
      'the guard moved to post_build, after the deploy',
      withBuildSpec(intact, {
        ...selfMutationBuildSpec(),
        phases: {
          ...selfMutationBuildSpec().phases,
          pre_build: undefined,
          post_build: selfMutationBuildSpec().phases.pre_build,
        },
      }),
      'UpdatePipeline/SelfMutate no longer runs the guard in pre_build, before its deploy',
    ],
    [
      'a refusal made harmless by on-failure CONTINUE',
      withBuildSpec(intact, {
        ...selfMutationBuildSpec(),
        phases: {
          ...selfMutationBuildSpec().phases,
          pre_build: { ...selfMutationBuildSpec().phases.pre_build, 'on-failure': 'CONTINUE' },
        },
      }),
      'UpdatePipeline/SelfMutate: pre_build on-failure is CONTINUE, so a refusal would not stop the deploy',
    ],
    [
      'other guard code',
      guardedTemplate(Buffer.from('process.exit(0);\n')),
      `UpdatePipeline/SelfMutate would run other guard code (sha256 ${sha256(SCRIPT)} now, ${sha256('process.exit(0);\n')} next)`,
    ],
    [
      'a weaker spec: the bake shortened',
      guardedTemplate(SCRIPT, {
        ...SPEC,
        production: [{ ...SPEC.production[0], bake: { ...SPEC.production[0].bake!, minutes: 1 } }],
      }),
      "the next guard's spec: Live: the bake is shorter, 1 minute instead of 30 minutes",
    ],
    [
      'a weaker spec: the production flag dropped',
      guardedTemplate(SCRIPT, { ...SPEC, production: [] }),
      "the next guard's spec: Live: no longer a production stage (its production flag is unset, or the stage renamed)",
    ],
    [
      'the self-mutation stage removed',
      changed(intact, (t) => {
        const stages = t.Resources.Pipeline.Properties.Stages;
        stages.splice(stages.indexOf(stage(t, 'UpdatePipeline')), 1);
      }),
      'the self-mutation stage UpdatePipeline is gone: the next pipeline would not run the guard',
    ],
    [
      'the self-mutation action renamed',
      changed(intact, (t) => {
        actionOf(t, 'UpdatePipeline', 'SelfMutate').Name = 'Mutate';
      }),
      'UpdatePipeline/SelfMutate is gone: the next pipeline would not run the guard',
    ],
    [
      'the action pointed at a project of another stack',
      changed(intact, (t) => {
        actionOf(t, 'UpdatePipeline', 'SelfMutate').Configuration.ProjectName = 'some-other-project';
      }),
      'UpdatePipeline/SelfMutate no longer runs a CodeBuild project of this stack, so the guard cannot be found in it',
    ],
    [
      'a buildspec read from a file',
      changed(intact, (t) => {
        t.Resources.SelfMutation.Properties.Source.BuildSpec = 'buildspec.yml';
      }),
      'the buildspec of UpdatePipeline/SelfMutate is not the JSON CDK writes, so the guard cannot be found in it',
    ],
  ])('refuses %s', (_, next, message) => {
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([message]);
  });

  it('refuses a stack that would manage the break-glass parameter', () => {
    const next = changed(intact, (t) => {
      t.Resources.BreakGlass = {
        Type: 'AWS::SSM::Parameter',
        Properties: { Name: BREAK_GLASS_PARAMETER, Type: 'String', Value: '{}' },
      };
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      `the stack would manage the break-glass parameter ${BREAK_GLASS_PARAMETER} itself (BreakGlass)`,
    ]);
  });

  it('refuses a spec it cannot read, with the reason', () => {
    const command = guardCommand(SCRIPT, SPEC).replace(/ \S+$/, ` ${Buffer.from('{"version":1}').toString('base64')}`);
    const next = withBuildSpec(intact, {
      ...selfMutationBuildSpec(),
      phases: { ...selfMutationBuildSpec().phases, pre_build: { commands: [command] } },
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      "the next guard's spec cannot be read: gate spec: pipelineStack is not an object",
    ]);
  });
});

describe('the guard in the next pipeline, edge cases', () => {
  const preBuild = (pre: Record<string, unknown>) =>
    withBuildSpec(intact, {
      ...selfMutationBuildSpec(),
      phases: { ...selfMutationBuildSpec().phases, pre_build: pre },
    });
  const command = guardCommand(SCRIPT, SPEC);

  it('holds with on-failure ABORT written out, and with other commands and non-text entries beside the guard', () => {
    expect(
      guardWeakenings(SPEC, preBuild({ 'on-failure': 'ABORT', commands: ['npm ci', command, 42] }), SCRIPT),
    ).toEqual([]);
  });

  it('refuses a guard run twice, which leaves the deployed spec unclear', () => {
    expect(guardWeakenings(SPEC, preBuild({ commands: [command, command] }), SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate runs the guard 2 times in pre_build',
    ]);
  });

  it('refuses when the pipeline is gone, and the guard with it', () => {
    const next = changed(intact, (t) => {
      t.Resources.Pipeline.Properties.Name = 'another-delivery';
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual(['the pipeline is gone, and the guard with it']);
  });

  it('refuses an action whose project is not a CodeBuild project', () => {
    const next = changed(intact, (t) => {
      t.Resources.SelfMutation.Type = 'AWS::Lambda::Function';
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate no longer runs a CodeBuild project of this stack, so the guard cannot be found in it',
    ]);
  });

  it('refuses a buildspec that is not written out as text', () => {
    const next = changed(intact, (t) => {
      t.Resources.SelfMutation.Properties.Source.BuildSpec = { 'Fn::Sub': '${Spec}' };
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'the buildspec of UpdatePipeline/SelfMutate is not written out in the template, so the guard cannot be found in it',
    ]);
  });

  it('refuses a buildspec that is JSON but not an object', () => {
    const next = changed(intact, (t) => {
      t.Resources.SelfMutation.Properties.Source.BuildSpec = '["phases"]';
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'the buildspec of UpdatePipeline/SelfMutate is not the JSON CDK writes, so the guard cannot be found in it',
    ]);
  });

  it('refuses a self-mutation stage without actions', () => {
    const next = changed(intact, (t) => {
      delete stage(t, 'UpdatePipeline').Actions;
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate is gone: the next pipeline would not run the guard',
    ]);
  });

  it('reports the break-glass parameter managed by the stack together with a missing guard', () => {
    const next = changed(withBuildSpec(intact, { ...selfMutationBuildSpec(), phases: {} }), (t) => {
      t.Resources.Other = { Type: 'AWS::SSM::Parameter', Properties: { Name: '/another/parameter' } };
      t.Resources.Glass = { Type: 'AWS::SSM::Parameter', Properties: { Name: BREAK_GLASS_PARAMETER } };
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      `the stack would manage the break-glass parameter ${BREAK_GLASS_PARAMETER} itself (Glass)`,
      'UpdatePipeline/SelfMutate no longer runs the guard in pre_build, before its deploy',
    ]);
  });

  it('reports the break-glass parameter together with a self-mutation step that is gone', () => {
    const next = changed(intact, (t) => {
      actionOf(t, 'UpdatePipeline', 'SelfMutate').Name = 'Mutate';
      t.Resources.Glass = { Type: 'AWS::SSM::Parameter', Properties: { Name: BREAK_GLASS_PARAMETER } };
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      `the stack would manage the break-glass parameter ${BREAK_GLASS_PARAMETER} itself (Glass)`,
      'UpdatePipeline/SelfMutate is gone: the next pipeline would not run the guard',
    ]);
  });

  it('reports every weakening of the guard at once: on-failure, other code and a weaker spec', () => {
    const weaker = { ...SPEC, production: [{ ...SPEC.production[0], rollbackOnFailure: false }] };
    const other = Buffer.from('other');
    const next = withBuildSpec(intact, {
      ...selfMutationBuildSpec(),
      phases: {
        ...selfMutationBuildSpec().phases,
        pre_build: { 'on-failure': 'CONTINUE', commands: [guardCommand(other, weaker)] },
      },
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate: pre_build on-failure is CONTINUE, so a refusal would not stop the deploy',
      `UpdatePipeline/SelfMutate would run other guard code (sha256 ${sha256(SCRIPT)} now, ${sha256(other)} next)`,
      "the next guard's spec: Live: rollback on failure is gone (OnFailure is no longer ROLLBACK)",
    ]);
  });

  it('names code by its full sha256', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('the guard in the next pipeline, values the template may hold', () => {
  const command = guardCommand(SCRIPT, SPEC);

  it('refuses a buildspec of JSON null, and finds no guard in phases of null', () => {
    const nullSpec = changed(intact, (t) => {
      t.Resources.SelfMutation.Properties.Source.BuildSpec = 'null';
    });
    expect(guardWeakenings(SPEC, nullSpec, SCRIPT)).toEqual([
      'the buildspec of UpdatePipeline/SelfMutate is not the JSON CDK writes, so the guard cannot be found in it',
    ]);
    expect(guardWeakenings(SPEC, withBuildSpec(intact, { ...selfMutationBuildSpec(), phases: null }), SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate no longer runs the guard in pre_build, before its deploy',
    ]);
  });

  it('does not take a project named by text for a resource of this stack, even one whose logical id is "undefined"', () => {
    const next = changed(intact, (t) => {
      t.Resources.undefined = t.Resources.SelfMutation;
      t.Resources.SelfMutation = {
        Type: 'AWS::CodeBuild::Project',
        Properties: { Name: 'unguarded', Source: { Type: 'CODEPIPELINE', BuildSpec: '{}' } },
      };
      actionOf(t, 'UpdatePipeline', 'SelfMutate').Configuration.ProjectName = 'unguarded';
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate no longer runs a CodeBuild project of this stack, so the guard cannot be found in it',
    ]);
  });

  it('refuses a CodeBuild project without properties, whose buildspec is nowhere in the template', () => {
    const next = changed(intact, (t) => {
      delete t.Resources.SelfMutation.Properties;
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'the buildspec of UpdatePipeline/SelfMutate is not written out in the template, so the guard cannot be found in it',
    ]);
  });

  it('does not take a resource of another type that has the name of the break-glass parameter for it', () => {
    const next = changed(intact, (t) => {
      t.Resources.Document = { Type: 'AWS::SSM::Document', Properties: { Name: BREAK_GLASS_PARAMETER } };
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([]);
  });

  it('does not take a parameter resource without properties for the break-glass parameter', () => {
    const next = changed(intact, (t) => {
      t.Resources.Parameter = { Type: 'AWS::SSM::Parameter' };
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([]);
  });

  it('counts only commands written as text: the guard command inside a list is not run as it stands', () => {
    const next = withBuildSpec(intact, {
      ...selfMutationBuildSpec(),
      phases: { ...selfMutationBuildSpec().phases, pre_build: { commands: [[command]] } },
    });
    expect(guardWeakenings(SPEC, next, SCRIPT)).toEqual([
      'UpdatePipeline/SelfMutate no longer runs the guard in pre_build, before its deploy',
    ]);
  });
});
