import { readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { BREAK_GLASS_PARAMETER } from '../../../../contracts/gate-spec';
import { sha256 } from '../../../../lambda/pipeline/self-mutation-guard/guard-integrity';
import { readPipelineTemplate, runGuard } from '../../../../lambda/pipeline/self-mutation-guard/run-guard';
import { changed, guardedTemplate, SCRIPT, SPEC, stage, writeAssembly } from './fixtures/guarded-pipeline';

const NOW = new Date('2026-12-02T15:00:00Z');
const REASON = 'Prod bake removed for the incident INC-42, approved by the head of platform';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the guard over `template` as the next pipeline, with the break-glass `readBreakGlass` answers. */
function guard(template: Record<string, any>, readBreakGlass: () => string | undefined) {
  const dir = writeAssembly(template);
  dirs.push(dir);
  const lines: string[] = [];
  const code = runGuard(JSON.stringify(SPEC), {
    inputDir: dir,
    ownScript: SCRIPT,
    now: NOW,
    readBreakGlass,
    out: (l) => lines.push(l),
  });
  const sha = sha256(readFileSync(path.join(dir, 'PipelineStack.template.json')));
  return { code, text: lines.join('\n'), sha };
}

const notFound = () => undefined;
const withoutBake = changed(guardedTemplate(), (t) => {
  stage(t, 'Live').Actions = stage(t, 'Live').Actions.filter((a: { Name: string }) => a.Name !== 'Bake');
});

describe('the self-mutation guard', () => {
  it('deploys a pipeline that keeps every gate, saying what it checked', () => {
    const { code, text } = guard(guardedTemplate(), notFound);
    expect(code).toBe(0);
    expect(text).toContain(
      'Live: ChangeReview then ApproveToLive in ApproveLive; window "* * 9-15 ? * MON-THU" Europe/London; rollback on failure; 30-minute Bake on example-live-stage-unhealthy; checks TerminationProtection, HealthCheck, DrCheck',
    );
    expect(text).toContain('no production gate is weakened; deploying.');
  });

  it('deploys without a break-glass warning when no break-glass is set', () => {
    const { code, text } = guard(guardedTemplate(), notFound);
    expect(code).toBe(0);
    expect(text).not.toContain('WARNING');
    expect(text.split('\n').at(-1)).toBe('Self-mutation guard: no production gate is weakened; deploying.');
  });

  it('refuses a weakening without a break-glass, naming it and how to authorise it', () => {
    const { code, text, sha } = guard(withoutBake, notFound);
    expect(code).toBe(1);
    expect(text).toContain('REFUSED');
    expect(text).toContain('  - Live: the 30-minute bake (Bake, watching example-live-stage-unhealthy) is gone');
    expect(text).toContain(`The break-glass does not allow it: the parameter ${BREAK_GLASS_PARAMETER} does not exist.`);
    expect(text).toContain(
      'If the change is intended, an administrator of the pipeline account authorises this very template, then retries UpdatePipeline:',
    );
    expect(text).toContain(
      `aws ssm put-parameter --name ${BREAK_GLASS_PARAMETER} --type String --overwrite --value '{"reason":"<why, and who approved it: at least 20 characters>","expires":"2026-12-02T16:00:00Z","template":"${sha}"}'`,
    );
    expect(text).toContain(`aws ssm delete-parameter --name ${BREAK_GLASS_PARAMETER}`);
  });

  it('lets a weakening through with a valid break-glass, with a loud warning naming it and the reason', () => {
    const { code, text } = guard(withoutBake, () =>
      JSON.stringify({ reason: REASON, expires: '2026-12-02T17:00:00Z' }),
    );
    expect(code).toBe(0);
    expect(text).toContain('BREAK-GLASS IN USE: this deploy weakens production gates:');
    expect(text).toContain('  - Live: the 30-minute bake (Bake, watching example-live-stage-unhealthy) is gone');
    expect(text).toContain(`Reason: ${REASON}`);
    expect(text).toContain('Allowed until 2026-12-02T17:00:00.000Z for any template.');
  });

  it('refuses with an expired break-glass, saying so', () => {
    const { code, text } = guard(withoutBake, () =>
      JSON.stringify({ reason: REASON, expires: '2026-12-01T17:00:00Z' }),
    );
    expect(code).toBe(1);
    expect(text).toContain('The break-glass does not allow it: it expired at 2026-12-01T17:00:00.000Z.');
  });

  it('refuses with a break-glass whose reason is too short', () => {
    const { code, text } = guard(withoutBake, () =>
      JSON.stringify({ reason: 'urgent', expires: '2026-12-02T17:00:00Z' }),
    );
    expect(code).toBe(1);
    expect(text).toContain(
      'The break-glass does not allow it: its reason must be a sentence of at least 20 characters.',
    );
  });

  it('fails when the parameter cannot be read, even with nothing weakened', () => {
    const denied = () => {
      throw new Error('aws ssm get-parameter failed (exit 254): An error occurred (AccessDeniedException) ...');
    };
    const { code, text } = guard(guardedTemplate(), denied);
    expect(code).toBe(1);
    expect(text).toContain(
      `cannot read the break-glass parameter ${BREAK_GLASS_PARAMETER}: aws ssm get-parameter failed (exit 254): An error occurred (AccessDeniedException) ...`,
    );
  });

  it('reminds to delete a break-glass nothing needs', () => {
    const { code, text } = guard(guardedTemplate(), () =>
      JSON.stringify({ reason: REASON, expires: '2026-12-02T17:00:00Z' }),
    );
    expect(code).toBe(0);
    expect(text).toContain(
      `WARNING: the break-glass parameter ${BREAK_GLASS_PARAMETER} is still set although nothing needs it`,
    );
  });

  it('fails, deploying nothing, when the assembly has no pipeline stack', () => {
    const dir = writeAssembly(guardedTemplate());
    dirs.push(dir);
    rmSync(path.join(dir, 'PipelineStack.template.json'));
    const lines: string[] = [];
    const code = runGuard(JSON.stringify(SPEC), {
      inputDir: dir,
      ownScript: SCRIPT,
      now: NOW,
      readBreakGlass: notFound,
      out: (l) => lines.push(l),
    });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(
      /cannot check the new pipeline, so it is not deployed: ENOENT.*PipelineStack\.template\.json/,
    );
  });
});

describe('the self-mutation guard, what it prints', () => {
  it('names the stack, the template it checks and the deployed pipeline before the gates', () => {
    const { text, sha } = guard(guardedTemplate(), notFound);
    expect(text.split('\n')[0]).toBe(
      `Self-mutation guard: checking PipelineStack (template sha256 ${sha}) against the gates of the deployed pipeline example-delivery:`,
    );
    expect(text).not.toContain('(no production stage)');
  });

  it('says when the deployed pipeline has no production stage, and deploys', () => {
    const dir = writeAssembly(guardedTemplate());
    dirs.push(dir);
    const lines: string[] = [];
    const code = runGuard(JSON.stringify({ ...SPEC, production: [] }), {
      inputDir: dir,
      ownScript: SCRIPT,
      now: NOW,
      readBreakGlass: notFound,
      out: (l) => lines.push(l),
    });
    // The next guard's spec (SPEC) is stronger than the deployed one: nothing is weakened.
    expect(code).toBe(0);
    expect(lines).toContain('  (no production stage)');
  });

  it('lists a production stage without gates as such', () => {
    const spec = { ...SPEC, production: [{ stage: 'Live', rollbackOnFailure: false, checks: [] }] };
    const dir = writeAssembly(guardedTemplate(SCRIPT, spec));
    dirs.push(dir);
    const lines: string[] = [];
    runGuard(JSON.stringify(spec), {
      inputDir: dir,
      ownScript: SCRIPT,
      now: NOW,
      readBreakGlass: notFound,
      out: (l) => lines.push(l),
    });
    expect(lines).toContain('  Live: no gates');
  });

  it('lists the weakenings it could not let through when the break-glass cannot be read', () => {
    const { code, text } = guard(withoutBake, () => {
      throw new Error('aws ssm get-parameter failed (exit 254): AccessDeniedException');
    });
    expect(code).toBe(1);
    expect(text).toContain('  - Live: the 30-minute bake (Bake, watching example-live-stage-unhealthy) is gone');
    expect(text).toContain('The guard does not deploy what it could not fully check.');
    expect(text).not.toContain('BREAK-GLASS IN USE');
  });

  it('frames a break-glass limited to this template, and says how to remove it', () => {
    const dir = writeAssembly(withoutBake);
    dirs.push(dir);
    const sha = sha256(readFileSync(path.join(dir, 'PipelineStack.template.json')));
    const lines: string[] = [];
    const code = runGuard(JSON.stringify(SPEC), {
      inputDir: dir,
      ownScript: SCRIPT,
      now: NOW,
      readBreakGlass: () => JSON.stringify({ reason: REASON, expires: '2026-12-02T17:00:00Z', template: sha }),
      out: (l) => lines.push(l),
    });
    expect(code).toBe(0);
    const rule = '!'.repeat(100);
    expect(lines[lines.indexOf('BREAK-GLASS IN USE: this deploy weakens production gates:') - 1]).toBe(rule);
    expect(lines.at(-1)).toBe(rule);
    expect(lines).toContain(`Allowed until 2026-12-02T17:00:00.000Z for template ${sha} only.`);
    expect(lines).toContain(
      `Delete the parameter once this is deployed: aws ssm delete-parameter --name ${BREAK_GLASS_PARAMETER}`,
    );
  });

  it('refuses when the spec it was given cannot be read', () => {
    const dir = writeAssembly(guardedTemplate());
    dirs.push(dir);
    const lines: string[] = [];
    const code = runGuard('{"version":2}', {
      inputDir: dir,
      ownScript: SCRIPT,
      now: NOW,
      readBreakGlass: notFound,
      out: (l) => lines.push(l),
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      'Self-mutation guard: cannot check the new pipeline, so it is not deployed: gate spec: version is not 1',
    ]);
  });
});

describe('reading the new pipeline stack from the cloud assembly', () => {
  /** An assembly whose manifest lists `artifacts`. */
  function assembly(artifacts: Record<string, unknown>): string {
    const dir = writeAssembly(guardedTemplate());
    dirs.push(dir);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts }));
    return dir;
  }
  const stackArtifact = (extra: object = {}) => ({
    type: 'aws:cloudformation:stack',
    properties: { templateFile: 'PipelineStack.template.json' },
    ...extra,
  });

  it('finds the stack by its id when it has no display name, as the CLI does', () => {
    const dir = assembly({ PipelineStack: stackArtifact() });
    const { template, bytes } = readPipelineTemplate(dir, SPEC);
    expect(template).toEqual(guardedTemplate());
    expect(bytes.equals(readFileSync(path.join(dir, 'PipelineStack.template.json')))).toBe(true);
  });

  it('finds the stack by its display name over its id', () => {
    const dir = assembly({ 'Pipeline-Stack-1A2B': stackArtifact({ displayName: 'PipelineStack' }) });
    expect(readPipelineTemplate(dir, SPEC).template).toEqual(guardedTemplate());
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no stack of that name', { Other: stackArtifact({ displayName: 'Other' }) }, 'has 0 stacks named PipelineStack'],
    [
      'an artifact of that name that is not a stack',
      { PipelineStack: { ...stackArtifact(), type: 'cdk:tree' } },
      'has 0 stacks named PipelineStack',
    ],
    [
      'two stacks of that name',
      { A: stackArtifact({ displayName: 'PipelineStack' }), PipelineStack: stackArtifact() },
      'has 2 stacks named PipelineStack; the deploy needs exactly one',
    ],
    [
      'a stack without a template file',
      { PipelineStack: { type: 'aws:cloudformation:stack' } },
      'stack PipelineStack names no templateFile',
    ],
  ])('fails on %s', (_, artifacts, message) => {
    const dir = assembly(artifacts);
    expect(() => readPipelineTemplate(dir, SPEC)).toThrow(`${path.join(dir, 'manifest.json')}`);
    expect(() => readPipelineTemplate(dir, SPEC)).toThrow(message);
  });

  it('fails on a manifest without artifacts', () => {
    const dir = assembly({});
    writeFileSync(path.join(dir, 'manifest.json'), '{"version":"48.0.0"}');
    expect(() => readPipelineTemplate(dir, SPEC)).toThrow('has 0 stacks named PipelineStack');
  });

  it('reads the assembly directory the spec names, relative to the input', () => {
    const root = writeAssembly(guardedTemplate());
    dirs.push(root);
    writeAssembly(guardedTemplate(), path.join(root, 'cdk.out'));
    const spec = { ...SPEC, pipelineStack: { assembly: 'cdk.out', stack: 'PipelineStack' } };
    rmSync(path.join(root, 'manifest.json'));
    expect(readPipelineTemplate(root, spec).template).toEqual(guardedTemplate());
  });
});
