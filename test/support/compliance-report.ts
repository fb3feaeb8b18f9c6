import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

/** The compliance report: the file the CDK writes policy validation results to, in the cloud assembly directory (the CDK's own name). */
export const COMPLIANCE_REPORT_FILE = 'validation-report.json';

/** One unacknowledged finding of one resource. */
export interface GateFinding {
  /** Plugin that reported it (`AwsSolutions`, `NIST.800.53.R5`, `cdk-validator-cfnguard`). */
  readonly plugin: string;
  /** Finding id, e.g. `AwsSolutions-IAM5[Action::*]` or `s3_bucket_logging_enabled_check`. */
  readonly rule: string;
  /** `error` or `warning`. */
  readonly severity: string;
  /** Construct path of the resource. */
  readonly constructPath: string;
  /** One-line description of the rule. */
  readonly description: string;
}

/**
 * The unacknowledged findings of the compliance report in `assemblyDir`, one per resource and rule.
 *
 * @throws Error when the report is missing: the gates did not run, which is never a pass.
 */
export function readGateFindings(assemblyDir: string): GateFinding[] {
  const file = path.join(assemblyDir, COMPLIANCE_REPORT_FILE);
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: the compliance gates did not run (call applyComplianceGates(app) before synth).`,
    );
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: {
        ruleName: string;
        description: string;
        severity: string;
        violatingConstructs: { constructPath: string }[];
      }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => ({
        plugin: plugin.pluginName,
        rule: v.ruleName,
        severity: v.severity,
        constructPath: c.constructPath,
        description: v.description,
      })),
    ),
  );
}

/** One line per finding, for a test failure message or a log. */
export function formatGateFinding(f: GateFinding): string {
  return `${f.severity.toUpperCase()} ${f.constructPath}: ${f.rule} (${f.plugin}) ${f.description}`;
}

/** One acknowledged finding that the compliance report shows as suppressed. */
export interface SuppressedFinding {
  /** Id the acknowledgement was recorded with (`AwsSolutions::AwsSolutions-S1`). */
  readonly acknowledgedId: string;
  /** Construct path the acknowledgement sits on. */
  readonly acknowledgedAt: string;
  /** Construct path of the resource whose finding it suppressed. */
  readonly constructPath: string;
  readonly reason: string;
}

/** The findings that acknowledgements suppressed, from the compliance report in `assemblyDir`. */
export function readSuppressedFindings(assemblyDir: string): SuppressedFinding[] {
  const report = JSON.parse(readFileSync(path.join(assemblyDir, COMPLIANCE_REPORT_FILE), 'utf8')) as {
    pluginReports: {
      suppressedViolations?: {
        acknowledgedId: string;
        acknowledgedAt: string;
        reason: string;
        violatingConstructs: { constructPath: string }[];
      }[];
    }[];
  };
  return report.pluginReports.flatMap((p) =>
    (p.suppressedViolations ?? []).flatMap((v) =>
      v.violatingConstructs.map((c) => ({
        acknowledgedId: v.acknowledgedId,
        acknowledgedAt: v.acknowledgedAt,
        constructPath: c.constructPath,
        reason: v.reason,
      })),
    ),
  );
}

/** One acknowledgement recorded in a cloud assembly's stack metadata. */
export interface RecordedAcknowledgement {
  /** Id as recorded (`AwsSolutions::AwsSolutions-S1`, `cdk-validator-cfnguard::<rule>`). */
  readonly acknowledgedId: string;
  /** Construct path the acknowledgement sits on (no leading `/`, as the report writes it). */
  readonly acknowledgedAt: string;
  readonly reason: string;
}

/**
 * Every acknowledgement of every stack in the assembly at `assemblyDir` and its nested stage
 * assemblies, read from the stacks' metadata: the acknowledgements of the assembly that deploys,
 * including those CDK Pipelines constructs receive only during synthesis.
 */
export function readAcknowledgements(assemblyDir: string): RecordedAcknowledgement[] {
  const assembly = new CloudAssembly(assemblyDir);
  const assemblies = [assembly, ...assembly.nestedAssemblies.map((n) => n.nestedAssembly)];
  return assemblies
    .flatMap((a) => a.stacks)
    .flatMap((stack) =>
      stack.findMetadataByType(Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((entry) =>
        Object.entries(entry.data as unknown as Record<string, string>).map(([acknowledgedId, reason]) => ({
          acknowledgedId,
          acknowledgedAt: entry.path.replace(/^\//, ''),
          reason,
        })),
      ),
    );
}
