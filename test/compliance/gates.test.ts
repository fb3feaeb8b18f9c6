import { readFileSync } from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { qualifiedFindingId } from '../../lib/compliance/acknowledge';
import { collectAcknowledgements } from '../../scripts/collect-acknowledgements';
import { parse } from 'yaml';
import { CFN_LINT_CONFIG, findTemplates, runCfnLint } from '../support/run-cfn-lint';
import { GatedSynthesis, synthWithGates } from '../support/synth-with-gates';
import { templateLimitFindings } from '../support/template-limits';
import { formatGateFinding, readSuppressedFindings } from '../support/compliance-report';
import { gatedApp } from '../support/gated-app';

describe('The whole app, synthesized with the compliance gates', () => {
  let app: App;
  let result: GatedSynthesis;
  beforeAll(() => {
    app = gatedApp().app;
    result = synthWithGates(app);
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

  it('has no stale acknowledgement: each one suppresses a finding of its construct', () => {
    const used = new Set(readSuppressedFindings(result.outdir).map((s) => `${s.acknowledgedAt} ${s.acknowledgedId}`));
    const acknowledgements = collectAcknowledgements(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    const stale = acknowledgements.filter((a) => !used.has(`${a.path} ${qualifiedFindingId(a.id)}`)).map((a) => `${a.path}: ${a.id}`);
    expect(stale).toEqual([]);
  });

  it('passes cfn-lint with zero errors and zero warnings on every template', () => {
    const findings = runCfnLint(result.outdir).map((f) => `${f.template}:${f.line} ${f.rule} ${f.message}`);
    expect(findings).toEqual([]);
  });

  it('ignores in .cfnlintrc.yaml only rules that hide a finding of these templates, and never an error', () => {
    const ignored: string[] = parse(readFileSync(CFN_LINT_CONFIG, 'utf8')).ignore_checks ?? [];
    const unconfigured = new Set(runCfnLint(result.outdir, { configFile: null }).map((f) => f.rule));
    expect([...unconfigured].filter((rule) => rule.startsWith('E'))).toEqual([]);
    expect(ignored.filter((rule) => !unconfigured.has(rule))).toEqual([]);
    expect([...unconfigured].sort()).toEqual([...ignored].sort());
  });

  it('keeps every template within 450 resources, 1 MB and 180 outputs', () => {
    const findings = findTemplates(result.outdir).flatMap((t) => templateLimitFindings(path.relative(result.outdir, t), readFileSync(t, 'utf8')));
    expect(findings).toEqual([]);
  });
});
