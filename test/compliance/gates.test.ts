import { readFileSync } from 'fs';
import * as path from 'path';
import { findTemplates, runCfnLint } from '../../lib/compliance/run-cfn-lint';
import { GatedSynthesis, synthWithGates } from '../../lib/compliance/synth-with-gates';
import { templateLimitFindings } from '../../lib/compliance/template-limits';
import { formatGateFinding } from '../../lib/compliance/validation-report';
import { gatedApp } from './helpers/gated-app';

describe('The whole app, synthesized with the compliance gates', () => {
  let result: GatedSynthesis;
  beforeAll(() => {
    result = synthWithGates(gatedApp().app);
  });

  it('writes a template for the pipeline stack and every stack of Dev, Staging and Prod', () => {
    const names = findTemplates(result.outdir).map((t) => path.basename(t));
    expect(names).toContain('PipelineStack.template.json');
    for (const stage of ['Dev', 'Staging', 'Prod']) {
      expect(names.filter((n) => n.startsWith(`PipelineStack${stage}`)).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has no unacknowledged AwsSolutions, NIST 800-53 rev 5 or Control Tower finding', () => {
    expect(result.findings.map(formatGateFinding)).toEqual([]);
  });

  it('passes cfn-lint with zero errors and zero warnings on every template', () => {
    const findings = runCfnLint(result.outdir).map((f) => `${f.template}:${f.line} ${f.rule} ${f.message}`);
    expect(findings).toEqual([]);
  });

  it('keeps every template within 450 resources, 1 MB and 180 outputs', () => {
    const findings = findTemplates(result.outdir).flatMap((t) => templateLimitFindings(path.relative(result.outdir, t), readFileSync(t, 'utf8')));
    expect(findings).toEqual([]);
  });
});
