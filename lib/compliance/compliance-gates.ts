import type { IPolicyValidationPlugin, Stage } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { RelevantControlTowerRules } from './relevant-control-tower-rules';

/** Props of {@link applyComplianceGates}. */
export interface ComplianceGatesProps {
  /**
   * Largest cfn-guard output accepted, in bytes. Raise it only if synth fails with ENOBUFS.
   * @default 64 MiB (the plugin's own default of 1 MiB is too small for a whole app with findings)
   */
  readonly guardMaxBuffer?: number;
  /**
   * Add the long explanation of each rule to the report.
   * @default false: the report gives the rule's one-line summary
   */
  readonly verbose?: boolean;
  /**
   * Run the AWS Control Tower proactive controls (cfn-guard). They are the slow part of the gates
   * (about 20 s over the whole app), so `cdk synth` leaves them to `npm test` unless asked.
   * @default true
   */
  readonly controlTower?: boolean;
}

/**
 * Registers the compliance packs as policy validation plugins of `app`: cdk-nag AwsSolutions and
 * NIST 800-53 rev 5, and the AWS Control Tower proactive controls through cfn-guard (offline).
 * They run over every stack of every nested stage when the app synthesizes; any unacknowledged
 * finding makes synthesis fail (`cdk synth` exits non-zero, `app.synth()` throws) and the findings
 * are written to `validation-report.json` in the cloud assembly.
 *
 * @returns the registered plugins.
 */
export function applyComplianceGates(app: Stage, props: ComplianceGatesProps = {}): IPolicyValidationPlugin[] {
  const verbose = props.verbose ?? false;
  const plugins: IPolicyValidationPlugin[] = [
    new AwsSolutionsChecks(app, { verbose }),
    new NIST80053R5Checks(app, { verbose }),
  ];
  if (props.controlTower ?? true) {
    plugins.push(new RelevantControlTowerRules({ maxBuffer: props.guardMaxBuffer ?? 64 * 1024 * 1024 }));
  }
  Validations.of(app).addPlugins(...plugins);
  return plugins;
}
