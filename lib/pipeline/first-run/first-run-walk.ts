import type { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { BootstrapEnvironment } from '../bootstrap-roles';
import { bootstrapRoleArns, partitionOf } from '../bootstrap-roles';
import { alarmArn, namedResources, resourceKindOf } from './named-resources';
import type { ValueContext } from './template-values';
import { arnsIn, resolveString } from './template-values';

/** Options of {@link walkFirstRun}. */
export interface FirstRunOptions {
  /** Qualifier the stage accounts are bootstrapped with (see bootstrapQualifier). */
  readonly qualifier: string;
  /**
   * Environments bootstrapped besides those a stack of the assembly lives in: the README's roll-out bootstraps
   * every region of a stage (its `regions`), which the change review reads even where no stack of it lives today.
   * @default only the environments of the assembly's stacks
   */
  readonly bootstrapped?: readonly BootstrapEnvironment[];
}

/** A role or resource an action or condition rule uses, as the walk checked it. */
export interface FirstRunUse {
  /** Pipeline stage. */
  readonly stage: string;
  /** Action name, or `<BeforeEntry|OnSuccess|OnFailure> rule <name>`. */
  readonly step: string;
  readonly arn: string;
  /** What it is (`IAM role`, `CloudWatch alarm`, ...). */
  readonly kind: string;
  /** Where the step names it (`action role`, `project environment variable X`, ...). */
  readonly source: string;
  /** Where it comes from when it exists (`the CDK bootstrap of 111111111111/eu-west-2`, `Dev/Service.Deploy`). */
  readonly existsFrom?: string;
}

/** An action or rule that would use something that does not exist yet on a first execution. */
export interface FirstRunFinding {
  readonly stage: string;
  readonly step: string;
  /** The missing role or resource (its ARN), when the finding is one. */
  readonly missing?: string;
  /** One sentence naming the stage, step, what is missing and who creates it. */
  readonly message: string;
}

/** What the walk saw. */
export interface FirstRunWalk {
  readonly findings: readonly FirstRunFinding[];
  /** Every use it checked, in execution order. */
  readonly uses: readonly FirstRunUse[];
  /** Pipeline stacks walked (hierarchical ids). */
  readonly pipelines: readonly string[];
  /** Environments the walk holds as bootstrapped (`account/region`). */
  readonly bootstrapped: readonly string[];
}

interface RuleShape {
  readonly Name: string;
  readonly RuleTypeId: { readonly Provider: string };
  readonly Configuration?: Record<string, unknown>;
  readonly RoleArn?: unknown;
  readonly Region?: string;
}
interface ConditionsShape {
  readonly Conditions?: ReadonlyArray<{ readonly Rules?: readonly RuleShape[] }>;
}
interface ActionShape {
  readonly Name: string;
  readonly ActionTypeId: { readonly Category: string; readonly Provider: string };
  readonly RunOrder?: number;
  readonly Configuration?: Record<string, unknown>;
  readonly RoleArn?: unknown;
}
interface StageShape {
  readonly Name: string;
  readonly Actions: readonly ActionShape[];
  readonly BeforeEntry?: ConditionsShape;
  readonly OnSuccess?: ConditionsShape;
  readonly OnFailure?: ConditionsShape;
}
type Resources = Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
/** What the walk reads of a CodeBuild project. */
interface ProjectShape {
  readonly Environment?: { readonly EnvironmentVariables?: ReadonlyArray<{ Name: string; Value: unknown }> };
  readonly Source?: { readonly BuildSpec?: unknown };
}

/** A role or resource named somewhere in a step. */
interface Named {
  readonly arn: string;
  readonly source: string;
}

/** Every stack of the assembly and of its nested (stage) assemblies. */
function allStacks(assembly: CloudAssembly): CloudFormationStackArtifact[] {
  return [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => allStacks(n.nestedAssembly))];
}

function contextOf(stack: CloudFormationStackArtifact): ValueContext {
  const { account, region } = stack.environment;
  return { account, region, partition: partitionOf(region) };
}

const CREATING_MODES = new Set(['CREATE_UPDATE', 'REPLACE_ON_FAILURE', 'CHANGE_SET_EXECUTE']);

/**
 * Walks every CodePipeline of the assembly's top-level stacks in execution order, as its first execution
 * would run: from stage accounts that hold only the CDK bootstrap (its five roles in every environment a
 * stack of the assembly lives in, and in `options.bootstrapped`) and the tooling account's own top-level stacks (PipelineStack, which the
 * operator deploys), adding the named resources (IAM roles with `RoleName`, alarms with `AlarmName`, ...)
 * of each stack a CloudFormation action deploys. Stages run in order; in a stage, the BeforeEntry rules,
 * then the actions by RunOrder (actions of one RunOrder run in parallel, so none may use what another
 * creates), then the OnSuccess rules; OnFailure rules see only what existed when the stage began.
 *
 * A step's uses are the ARNs it names: its role, its configuration (a Lambda action's UserParameters,
 * a CodeBuild action's environment variables), a CodeBuild project's environment variables and buildspec,
 * the publishing roles of the asset manifests its buildspec publishes, a rule's role and, for a
 * CloudWatchAlarm rule, the alarm it reads. ARNs of the accounts the walk models and of the types it
 * knows the ARNs of (named-resources.ts) are checked; others are outside what it can prove.
 */
export function walkFirstRun(assembly: CloudAssembly, options: FirstRunOptions): FirstRunWalk {
  const stacks = allStacks(assembly);
  const envs = new Map<string, BootstrapEnvironment>();
  for (const s of stacks) envs.set(`${s.environment.account}/${s.environment.region}`, contextOf(s));
  for (const env of options.bootstrapped ?? []) envs.set(`${env.account}/${env.region}`, env);
  const accounts = new Set([...envs.values()].map((e) => e.account));

  // What exists before the first execution: the bootstrap of every environment, and the operator's stacks.
  const state = new Map<string, string>();
  for (const [name, env] of envs)
    for (const arn of Object.values(bootstrapRoleArns(env, options.qualifier)))
      state.set(arn, `the CDK bootstrap of ${name}`);
  for (const s of assembly.stacks)
    for (const r of namedResources(s.template, contextOf(s)))
      state.set(r.arn, `${s.stackName}, deployed by the operator`);

  const findings: FirstRunFinding[] = [];
  const uses: FirstRunUse[] = [];
  const pipelines: string[] = [];
  for (const pipelineStack of assembly.stacks) {
    const resources = (pipelineStack.template.Resources ?? {}) as Resources;
    for (const pipeline of Object.values(resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline')) {
      pipelines.push(pipelineStack.hierarchicalId);
      const walker = new PipelineWalker(assembly, stacks, resources, contextOf(pipelineStack), accounts, state);
      walker.walk((pipeline.Properties?.Stages ?? []) as StageShape[]);
      findings.push(...walker.findings);
      uses.push(...walker.uses);
    }
  }
  return { findings, uses, pipelines, bootstrapped: [...envs.keys()] };
}

/** One pipeline's walk over the shared model of what exists. */
class PipelineWalker {
  readonly findings: FirstRunFinding[] = [];
  readonly uses: FirstRunUse[] = [];
  /** Who creates each ARN in this pipeline (the first creator), for "created later by". */
  private readonly creators = new Map<string, string>();

  constructor(
    private readonly assembly: CloudAssembly,
    private readonly stacks: readonly CloudFormationStackArtifact[],
    private readonly resources: Resources,
    private readonly ctx: ValueContext,
    private readonly accounts: ReadonlySet<string>,
    private readonly state: Map<string, string>,
  ) {}

  walk(stages: readonly StageShape[]): void {
    const planned = new Map<string, CloudFormationStackArtifact>();
    for (const stage of stages)
      for (const action of stage.Actions)
        for (const [arn, origin] of this.creates(stage, action, planned))
          if (!this.creators.has(arn)) this.creators.set(arn, origin);
    const changeSets = new Map<string, CloudFormationStackArtifact>();
    for (const stage of stages) {
      const entry = new Map(this.state);
      this.checkRules(stage, 'BeforeEntry', stage.BeforeEntry, this.state);
      const runOrders = [...new Set(stage.Actions.map((a) => a.RunOrder ?? 1))].sort((a, b) => a - b);
      for (const runOrder of runOrders) {
        const group = stage.Actions.filter((a) => (a.RunOrder ?? 1) === runOrder);
        for (const action of group) for (const use of this.actionUses(action)) this.check(stage, action.Name, use);
        for (const action of group)
          for (const [arn, origin] of this.creates(stage, action, changeSets, true)) this.state.set(arn, origin);
      }
      this.checkRules(stage, 'OnSuccess', stage.OnSuccess, this.state);
      this.checkRules(stage, 'OnFailure', stage.OnFailure, entry);
    }
  }

  private check(stage: StageShape, step: string, use: Named, state: ReadonlyMap<string, string> = this.state) {
    const account = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(use.arn)?.[1];
    const kind = resourceKindOf(use.arn);
    if (!account || !this.accounts.has(account) || !kind) return;
    const existsFrom = state.get(use.arn);
    this.uses.push({ stage: stage.Name, step, arn: use.arn, kind, source: use.source, existsFrom });
    if (existsFrom) return;
    const creator = this.creators.get(use.arn);
    const when = creator
      ? `${creator} creates it later`
      : 'nothing before it creates it (neither the CDK bootstrap, nor PipelineStack, nor an earlier action)';
    this.findings.push({
      stage: stage.Name,
      step,
      missing: use.arn,
      message: `${stage.Name}/${step} uses ${kind} ${use.arn} (${use.source}), which does not exist when it runs on a first execution: ${when}`,
    });
  }

  private checkRules(
    stage: StageShape,
    type: string,
    conditions: ConditionsShape | undefined,
    state: ReadonlyMap<string, string>,
  ): void {
    for (const rule of (conditions?.Conditions ?? []).flatMap((c) => c.Rules ?? [])) {
      const step = `${type} rule ${rule.Name}`;
      const named: Named[] = [
        ...this.named(rule.RoleArn, 'rule role'),
        ...this.named(rule.Configuration, 'rule configuration'),
      ];
      const alarm = rule.Configuration?.AlarmName;
      if (rule.RuleTypeId.Provider === 'CloudWatchAlarm' && typeof alarm === 'string') {
        // The rule reads the alarm in its region, in the account of the role it assumes.
        const role = resolveString(rule.RoleArn, this.ctx);
        const account = /^arn:[^:]+:iam::(\d{12}):/.exec(role)?.[1] ?? this.ctx.account;
        const region = rule.Region ?? this.ctx.region;
        named.push({ arn: alarmArn({ ...this.ctx, account, region }, alarm), source: 'the alarm the rule reads' });
      }
      for (const use of named) this.check(stage, step, use, state);
    }
  }

  private named(value: unknown, source: string): Named[] {
    return [...new Set(arnsIn(value, this.ctx))].map((arn) => ({ arn, source }));
  }

  /** The ARNs an action names (see {@link walkFirstRun}). */
  private actionUses(action: ActionShape): Named[] {
    const config = action.Configuration ?? {};
    const named = [...this.named(action.RoleArn, 'action role')];
    for (const [key, value] of Object.entries(config)) {
      if (key === 'EnvironmentVariables' && typeof value === 'string') {
        for (const v of JSON.parse(value) as Array<{ name: string; value: unknown }>)
          named.push(...this.named(v.value, `action environment variable ${v.name}`));
      } else named.push(...this.named(value, `configuration ${key}`));
    }
    if (action.ActionTypeId.Provider === 'CodeBuild') named.push(...this.projectUses(config.ProjectName));
    return [...new Map(named.map((n) => [`${n.arn} ${n.source}`, n])).values()];
  }

  /** A CodeBuild project's environment variables, its buildspec, and the publishing roles of the assets it publishes. */
  private projectUses(projectName: unknown): Named[] {
    const ref = (projectName as { Ref?: string } | undefined)?.Ref;
    const project = (ref ? this.resources[ref]?.Properties : undefined) as ProjectShape | undefined;
    if (!project) return [];
    const named: Named[] = [];
    for (const v of project.Environment?.EnvironmentVariables ?? [])
      named.push(...this.named(v.Value, `project environment variable ${v.Name}`));
    const spec = project.Source?.BuildSpec;
    const specFile = typeof spec === 'string' && !spec.includes('\n') ? path.join(this.assembly.directory, spec) : '';
    const text = specFile && existsSync(specFile) ? readFileSync(specFile, 'utf8') : resolveString(spec, this.ctx);
    named.push(...this.named(text, 'buildspec'));
    const manifests = new Set([...text.matchAll(/cdk-assets --path \\?"([^"\\]+)\\?"/g)].map((m) => m[1]));
    for (const file of manifests) {
      const manifest = JSON.parse(readFileSync(path.join(this.assembly.directory, file), 'utf8'));
      for (const entry of [...Object.values(manifest.files ?? {}), ...Object.values(manifest.dockerImages ?? {})])
        for (const dest of Object.values((entry as { destinations?: object }).destinations ?? {}) as Array<{
          assumeRoleArn?: string;
        }>)
          if (dest.assumeRoleArn)
            named.push({
              arn: dest.assumeRoleArn.replace(/\$\{AWS::Partition\}/g, this.ctx.partition),
              source: `publishing role of asset manifest ${file}`,
            });
    }
    return named;
  }

  /**
   * What a CloudFormation action creates: the named resources of the stack it deploys, by ARN, with the
   * step as origin. A change set is created by CHANGE_SET_REPLACE and takes effect at CHANGE_SET_EXECUTE.
   * A template the walk cannot find is a finding (when `report`): it cannot tell what the action creates.
   */
  private creates(
    stage: StageShape,
    action: ActionShape,
    changeSets: Map<string, CloudFormationStackArtifact>,
    report = false,
  ): Map<string, string> {
    const created = new Map<string, string>();
    const config = action.Configuration ?? {};
    if (action.ActionTypeId.Provider !== 'CloudFormation') return created;
    const stackName = resolveString(config.StackName, this.ctx);
    let stack: CloudFormationStackArtifact | undefined = changeSets.get(stackName);
    if (typeof config.TemplatePath === 'string') {
      const file = config.TemplatePath.slice(config.TemplatePath.indexOf('::') + 2);
      const full = path.resolve(this.assembly.directory, file);
      stack = this.stacks.find((s) => path.resolve(s.templateFullPath) === full);
      if (!stack) {
        if (report)
          this.findings.push({
            stage: stage.Name,
            step: action.Name,
            message: `${stage.Name}/${action.Name} deploys ${config.TemplatePath}, which is not a template of the cloud assembly: the walk cannot tell what it creates`,
          });
        return created;
      }
      if (config.ActionMode === 'CHANGE_SET_REPLACE') changeSets.set(stackName, stack);
    }
    if (!stack || !CREATING_MODES.has(String(config.ActionMode))) return created;
    for (const r of namedResources(stack.template, contextOf(stack)))
      created.set(r.arn, `${stage.Name}/${action.Name} (stack ${stack.stackName})`);
    return created;
  }
}
