import { readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { BREAK_GLASS_PARAMETER } from '../../../../contracts/gate-spec';
import { sha256 } from '../../../../lambda/pipeline/self-mutation-guard/guard-integrity';
import { runGuard } from '../../../../lambda/pipeline/self-mutation-guard/run-guard';
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

  it('refuses a weakening without a break-glass, naming it and how to authorise it', () => {
    const { code, text, sha } = guard(withoutBake, notFound);
    expect(code).toBe(1);
    expect(text).toContain('REFUSED');
    expect(text).toContain('  - Live: the 30-minute bake (Bake, watching example-live-stage-unhealthy) is gone');
    expect(text).toContain(`The break-glass does not allow it: the parameter ${BREAK_GLASS_PARAMETER} does not exist.`);
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
