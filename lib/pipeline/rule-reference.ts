/**
 * The configuration keys CodePipeline accepts per rule provider, as the CodePipeline rule reference
 * lists them (docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference.html), for the rules
 * this pipeline uses. A key is required here when the reference requires it in any partition: the
 * CloudWatchAlarm reference lists AlarmStates as optional in the commercial partition and as required in another.
 */

/** One configuration key of a rule: whether it must be set and which values it takes. */
export interface RuleKeySpec {
  readonly required: boolean;
  /** Whether `value` is accepted. */
  readonly accepts: (value: string) => boolean;
  /** What is accepted, for error messages. */
  readonly accepted: string;
}

const ALARM_STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

/** Accepted keys per rule provider (RuleTypeId.Provider). */
export const RULE_REFERENCE: Readonly<Record<string, Readonly<Record<string, RuleKeySpec>>>> = {
  CloudWatchAlarm: {
    AlarmName: {
      required: true,
      accepts: (v) => /^[^\s].{0,254}$/.test(v),
      accepted: 'a CloudWatch alarm name (1 to 255 characters)',
    },
    AlarmStates: {
      required: true,
      accepts: (v) => v.split(',').every((s) => ALARM_STATES.includes(s.trim())),
      accepted: `a comma-separated list of ${ALARM_STATES.join(', ')}`,
    },
    WaitTime: {
      required: false,
      accepts: (v) => /^[1-9]\d*$/.test(v),
      accepted: 'a whole number of minutes, at least 1',
    },
  },
  DeploymentWindow: {
    Cron: {
      required: true,
      accepts: (v) => v.trim().split(/\s+/).length >= 6 && v.trim().split(/\s+/).length <= 7,
      accepted: 'a cron expression of 6 or 7 fields',
    },
    TimeZone: {
      required: false,
      accepts: (v) => /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(v),
      accepted: 'an IANA time zone such as Europe/London',
    },
  },
};

/** A rule as the pipeline declares it: its provider and configuration. */
export interface RuleToCheck {
  readonly Name: string;
  readonly RuleTypeId: { readonly Provider: string };
  readonly Configuration?: Readonly<Record<string, unknown>>;
}

/**
 * Every problem of a rule's configuration against {@link RULE_REFERENCE}: an unknown provider, a key the
 * provider does not accept, a missing required key, a value that is not a string or not accepted.
 */
export function ruleConfigurationProblems(rule: RuleToCheck): string[] {
  const spec = RULE_REFERENCE[rule.RuleTypeId.Provider];
  if (!spec)
    return [
      `rule ${rule.Name}: provider ${rule.RuleTypeId.Provider} is not in the rule reference table (known: ${Object.keys(RULE_REFERENCE).join(', ')})`,
    ];
  const config = rule.Configuration ?? {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const keySpec = spec[key];
    if (!keySpec)
      problems.push(
        `rule ${rule.Name}: ${rule.RuleTypeId.Provider} has no configuration key ${key} (accepted: ${Object.keys(spec).join(', ')})`,
      );
    else if (typeof value !== 'string' || !keySpec.accepts(value))
      problems.push(`rule ${rule.Name}: ${key} = ${JSON.stringify(value)} is not ${keySpec.accepted}`);
  }
  for (const [key, keySpec] of Object.entries(spec)) {
    if (keySpec.required && !(key in config))
      problems.push(`rule ${rule.Name}: ${rule.RuleTypeId.Provider} requires ${key} (${keySpec.accepted})`);
  }
  return problems;
}
