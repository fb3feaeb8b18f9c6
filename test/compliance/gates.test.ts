import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import type { BuildSynth } from '../support/build-synth';
import { BUILD_ASSEMBLY_ENV, buildSynthArguments, runBuildSynth } from '../support/build-synth';
import { loadConfig } from '../../lib/config';
import { realContext } from '../support/context';
import {
  COMPLIANCE_REPORT_FILE,
  formatGateFinding,
  readAcknowledgements,
  readGateFindings,
  readSuppressedFindings,
} from '../support/compliance-report';
import type { CfnLintFinding } from '../support/run-cfn-lint';
import { CFN_LINT_CONFIG, findTemplates, runCfnLint } from '../support/run-cfn-lint';
import { templateLimitFindings } from '../support/template-limits';

// The whole-app gates (jest project `gates`, `npm run gates`) over one assembly of the real cdk.json. The
// Build action names the assembly its synth has just written (BUILD_ASSEMBLY=cdk.out, buildspec/synth.yml),
// so every gate checks the very assembly the pipeline deploys; without the variable these tests run the
// Build action's synth command themselves (through the CDK CLI, bundles included, CDK's built-in
// CloudFormation validation on).
const given = process.env[BUILD_ASSEMBLY_ENV];
const title = given
  ? `The assembly the Build action's synth wrote (${BUILD_ASSEMBLY_ENV}=${given})`
  : "The Build action's synth, run as buildspec/synth.yml runs it";

describe(title, () => {
  let build: { readonly outdir: string; readonly synth?: BuildSynth };
  beforeAll(() => {
    if (given) build = { outdir: path.resolve(given) };
    else {
      const synth = runBuildSynth();
      build = { outdir: synth.outdir, synth };
    }
  });

  it("runs with the Control Tower controls and CDK's built-in validation switched on", () => {
    expect(buildSynthArguments()).toEqual(['synth', '-c', 'gates.controlTower=true', '-c', 'gates.cfnValidation=true']);
  });

  it('passes every gate: the synth exits 0 (where it runs here) and every compliance pack concludes success', () => {
    if (build.synth) {
      const { status, stderr } = build.synth;
      expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    }
    const report = JSON.parse(readFileSync(path.join(build.outdir, COMPLIANCE_REPORT_FILE), 'utf8'));
    const conclusions = report.pluginReports.map(
      (p: { pluginName: string; conclusion: string }) => `${p.pluginName}: ${p.conclusion}`,
    );
    expect(conclusions).toEqual(report.pluginReports.map((p: { pluginName: string }) => `${p.pluginName}: success`));
  });

  it("writes a template for the pipeline stack and every stack of each stage cdk.json's config has", () => {
    const names = findTemplates(build.outdir).map((t) => path.basename(t));
    expect(names).toContain('PipelineStack.template.json');
    for (const stage of loadConfig(realContext()).stages) {
      expect(names.filter((n) => n.startsWith(`PipelineStack${stage.displayName}`)).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('reports from AwsSolutions, NIST 800-53 rev 5 and the Control Tower controls, with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(path.join(build.outdir, COMPLIANCE_REPORT_FILE), 'utf8'));
    expect(report.pluginReports.map((p: { pluginName: string }) => p.pluginName).sort()).toEqual([
      'AwsSolutions',
      'NIST.800.53.R5',
      'cdk-validator-cfnguard',
    ]);
    expect(readGateFindings(build.outdir).map(formatGateFinding)).toEqual([]);
  });

  it('has no stale acknowledgement: each one suppresses a finding of its construct', () => {
    const used = new Set(readSuppressedFindings(build.outdir).map((s) => `${s.acknowledgedAt} ${s.acknowledgedId}`));
    const acknowledgements = readAcknowledgements(build.outdir);
    expect(acknowledgements.length).toBeGreaterThan(0);
    const stale = acknowledgements
      .filter((a) => !used.has(`${a.acknowledgedAt} ${a.acknowledgedId}`))
      .map((a) => `${a.acknowledgedAt}: ${a.acknowledgedId}`);
    expect(stale).toEqual([]);
  });

  it('keeps every template within 450 resources, 1 MB and 180 outputs', () => {
    const findings = findTemplates(build.outdir).flatMap((t) =>
      templateLimitFindings(path.relative(build.outdir, t), readFileSync(t, 'utf8')),
    );
    expect(findings).toEqual([]);
  });

  describe("on the post-deploy checks (their functions and action roles, and each stage's check role)", () => {
    const CHECKS = /PostDeployChecks|PipelineCheck\/|\/HealthCheck\/|\/DrCheck\//;

    it('ran over the checks: their acknowledged findings are in the report, on the pipeline and on every stage', () => {
      const checked = new Set(
        readSuppressedFindings(build.outdir)
          .map((f) => f.constructPath)
          .filter((p) => CHECKS.test(p)),
      );
      const where = [...checked].join('\n');
      expect(where).toMatch(/^PipelineStack\/PostDeployChecks\/HealthCheck\//m);
      expect(where).toMatch(/^PipelineStack\/PostDeployChecks\/DrCheck\//m);
      const stages = loadConfig(realContext()).stages;
      expect(stages.length).toBeGreaterThan(0);
      for (const stage of stages)
        expect(where).toMatch(new RegExp(`^PipelineStack/${stage.displayName}/Service/PipelineCheck/`, 'm'));
    });

    it('finds nothing unacknowledged on them', () => {
      expect(
        readGateFindings(build.outdir)
          .filter((f) => CHECKS.test(f.constructPath))
          .map(formatGateFinding),
      ).toEqual([]);
    });
  });

  describe('cfn-lint over that assembly', () => {
    // One run without any config gives every finding; the project config only ignores rules (asserted
    // below), so linting with it, as the buildspec does, reports exactly these findings less the ignored
    // rules. test/compliance/run-cfn-lint.test.ts proves cfn-lint honours the config's ignore list.
    const config: Record<string, unknown> = parse(readFileSync(CFN_LINT_CONFIG, 'utf8'));
    const ignored: string[] = (config.ignore_checks as string[] | undefined) ?? [];
    let unconfigured: CfnLintFinding[];
    beforeAll(() => {
      unconfigured = runCfnLint(build.outdir, { configFile: null });
    });

    it('passes with zero errors and zero warnings on every template, with .cfnlintrc.yaml', () => {
      expect(Object.keys(config)).toEqual(['ignore_checks']);
      const findings = unconfigured
        .filter((f) => !ignored.includes(f.rule))
        .map((f) => `${f.template}:${f.line} ${f.rule} ${f.message}`);
      expect(findings).toEqual([]);
    });

    it('ignores in .cfnlintrc.yaml only rules that hide a finding of these templates, and never an error', () => {
      const rules = new Set(unconfigured.map((f) => f.rule));
      expect([...rules].filter((rule) => rule.startsWith('E'))).toEqual([]);
      expect(ignored.filter((rule) => !rules.has(rule))).toEqual([]);
      expect([...rules].sort()).toEqual([...ignored].sort());
    });
  });
});
