import type { ActionGate, BakeGate, GateSpec, StageGates, WindowGate } from '../../../contracts/gate-spec';

/** A CloudFormation template, as far as the guard reads it. */
export interface Template {
  readonly Resources?: Record<string, { readonly Type?: unknown; readonly Properties?: Record<string, unknown> }>;
}

/** The `Properties` of an `AWS::CodePipeline::Pipeline` resource, as far as the gates need them. */
export interface PipelineProperties {
  readonly Name?: unknown;
  readonly ExecutionMode?: unknown;
  readonly Stages?: unknown;
}

/** An action of the pipeline, with the run order it has in its stage. */
export interface ObservedAction extends ActionGate {
  readonly runOrder: number;
}

/** What a pipeline (or a spec) holds of one production stage's gates, looked up by the names the spec expects. */
export interface ObservedStageGates {
  /** The expected approval stage: whether it comes before the production stage, and its actions. */
  readonly approval?: { readonly before: boolean; readonly actions: readonly ObservedAction[] };
  /** Every DeploymentWindow rule of a BeforeEntry condition that fails the entry. */
  readonly windows: readonly WindowGate[];
  readonly rollbackOnFailure: boolean;
  /** Every action of the stage, with whether it runs after all of the stage's deploy actions. */
  readonly actions: readonly StageAction[];
}

/** An action of a production stage as the gates see it. */
export interface StageAction extends ActionGate {
  readonly afterDeploy: boolean;
  /** Its `UserParameters` read as JSON; undefined when there are none or they are not literal JSON. */
  readonly parameters?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const items = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

function runOrderOf(action: Json): number {
  const n = action.RunOrder === undefined ? 1 : Number(action.RunOrder);
  return Number.isFinite(n) ? n : Number.NaN;
}

function actionOf(action: Json): ObservedAction {
  const type = isObject(action.ActionTypeId) ? action.ActionTypeId : {};
  return {
    name: text(action.Name) ?? '',
    category: text(type.Category) ?? '',
    provider: text(type.Provider) ?? '',
    runOrder: runOrderOf(action),
  };
}

/** The rules of the conditions of `kind` (BeforeEntry) whose result is `result`. */
function rulesOf(stage: Json, kind: string, result: string): Json[] {
  const block = isObject(stage[kind]) ? stage[kind] : {};
  return items(block.Conditions)
    .filter((c) => c.Result === result)
    .flatMap((c) => items(c.Rules));
}

const provider = (rule: Json): string | undefined =>
  isObject(rule.RuleTypeId) ? text(rule.RuleTypeId.Provider) : undefined;
const configuration = (rule: Json): Json => (isObject(rule.Configuration) ? rule.Configuration : {});

/** The `AWS::CodePipeline::Pipeline` resources of `template` named `name`. */
export function pipelinesNamed(template: Template, name: string): PipelineProperties[] {
  return Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::CodePipeline::Pipeline' && r.Properties?.Name === name)
    .map((r) => r.Properties as PipelineProperties);
}

/** The stages of a pipeline declaration, in order. */
export function stagesOf(pipeline: PipelineProperties): Json[] {
  return items(pipeline.Stages);
}

/**
 * What `stages` hold of the gates `expected` names; `undefined` when there is no stage of that name.
 * A value that is not a literal (an intrinsic function) counts as absent.
 */
export function observedStageGates(stages: readonly Json[], expected: StageGates): ObservedStageGates | undefined {
  const index = stages.findIndex((s) => s.Name === expected.stage);
  if (index < 0) return undefined;
  const stage = stages[index];
  let approval: ObservedStageGates['approval'];
  if (expected.approval) {
    const at = stages.findIndex((s) => s.Name === expected.approval!.stage);
    if (at >= 0) approval = { before: at < index, actions: items(stages[at].Actions).map(actionOf) };
  }
  const windows = rulesOf(stage, 'BeforeEntry', 'FAIL')
    .filter((r) => provider(r) === 'DeploymentWindow')
    .map((r) => ({ cron: text(configuration(r).Cron) ?? '', timeZone: text(configuration(r).TimeZone) ?? '' }));
  const declared = items(stage.Actions);
  const actions = declared.map(actionOf);
  const lastDeploy = Math.max(0, ...actions.filter((a) => a.category === 'Deploy').map((a) => a.runOrder));
  const onFailure = isObject(stage.OnFailure) ? stage.OnFailure : {};
  return {
    ...(approval ? { approval } : {}),
    windows,
    rollbackOnFailure: onFailure.Result === 'ROLLBACK',
    actions: actions.map((a, i) => ({
      name: a.name,
      category: a.category,
      provider: a.provider,
      afterDeploy: a.runOrder > lastDeploy,
      ...userParameters(declared[i]),
    })),
  };
}

/** The `UserParameters` of an action read as JSON, when they are literal JSON. */
function userParameters(action: Json): { parameters?: unknown } {
  const raw = isObject(action.Configuration) ? action.Configuration.UserParameters : undefined;
  if (typeof raw !== 'string') return {};
  try {
    return { parameters: JSON.parse(raw) as unknown };
  } catch {
    return {};
  }
}

/**
 * A spec's stage as if a pipeline held exactly it, looked up by the names `expected` gives: each
 * approval action one run order after the one before.
 */
export function observedFromSpec(gates: StageGates, expected: StageGates): ObservedStageGates {
  const approval = gates.approval?.stage === expected.approval?.stage ? gates.approval : undefined;
  return {
    ...(approval
      ? { approval: { before: true, actions: approval.actions.map((a, i) => ({ ...a, runOrder: i + 1 })) } }
      : {}),
    windows: gates.window ? [gates.window] : [],
    rollbackOnFailure: gates.rollbackOnFailure,
    actions: [
      ...gates.checks.map((c) => ({ ...c, afterDeploy: true })),
      ...(gates.bake
        ? [
            {
              ...gates.bake.action,
              afterDeploy: true,
              parameters: { alarmName: gates.bake.alarmName, minutes: gates.bake.minutes },
            },
          ]
        : []),
    ],
  };
}

const kind = (a: ActionGate) => `${a.category}/${a.provider}`;
const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;
const windowText = (w: WindowGate) => `"${w.cron}" (${w.timeZone})`;

/** The approval actions `expected` lists that `observed` lacks, has of another kind, or runs out of order. */
function approvalWeakenings(stage: string, expected: StageGates['approval'], observed: ObservedStageGates): string[] {
  if (!expected) return [];
  const { stage: name } = expected;
  if (!observed.approval) return [`${stage}: the approval stage ${name} is gone`];
  const out: string[] = [];
  if (!observed.approval.before) out.push(`${stage}: the approval stage ${name} no longer runs before ${stage}`);
  const found: Array<ObservedAction | undefined> = expected.actions.map((want) => {
    const got = observed.approval!.actions.find((a) => a.name === want.name);
    if (!got) out.push(`${stage}: ${want.name} (${kind(want)}) is gone from ${name}`);
    else if (kind(got) !== kind(want))
      out.push(`${stage}: ${want.name} in ${name} is no longer a ${kind(want)} action (it is ${kind(got)})`);
    return got && kind(got) === kind(want) ? got : undefined;
  });
  for (let i = 1; i < found.length; i++) {
    const [a, b] = [found[i - 1], found[i]];
    if (a && b && !(a.runOrder < b.runOrder))
      out.push(
        `${stage}: ${a.name} no longer finishes before ${b.name} starts in ${name} (run order ${a.runOrder}, then ${b.runOrder})`,
      );
  }
  return out;
}

/**
 * How the bake action of `observed` is weaker than `bake`: gone, of another kind, before a deploy, shorter,
 * or watching another alarm (read from its user parameters).
 */
function bakeWeakenings(stage: string, bake: BakeGate, observed: ObservedStageGates): string[] {
  const name = bake.action.name;
  const got = observed.actions.find((a) => a.name === name);
  if (!got) return [`${stage}: the ${bake.minutes}-minute bake (${name}, watching ${bake.alarmName}) is gone`];
  if (kind(got) !== kind(bake.action))
    return [`${stage}: ${name} is no longer a ${kind(bake.action)} action (it is ${kind(got)})`];
  const out: string[] = [];
  if (!got.afterDeploy) out.push(`${stage}: ${name} no longer runs after every deploy action of ${stage}`);
  const p = isObject(got.parameters) ? got.parameters : {};
  if (p.alarmName !== bake.alarmName)
    out.push(
      `${stage}: ${name} watches ${typeof p.alarmName === 'string' ? p.alarmName : 'no alarm it names'} instead of ${bake.alarmName}`,
    );
  if (typeof p.minutes !== 'number' || !(p.minutes >= bake.minutes))
    out.push(
      `${stage}: the bake is shorter, ${typeof p.minutes === 'number' ? minutes(p.minutes) : 'of no length it names'} instead of ${minutes(bake.minutes)}`,
    );
  return out;
}

/**
 * How `observed` is weaker than `expected`, one sentence per weakening naming the stage and the gate;
 * empty when every gate holds. `observed` undefined means the stage is gone.
 */
export function stageWeakenings(expected: StageGates, observed: ObservedStageGates | undefined): string[] {
  const stage = expected.stage;
  if (!observed) return [`${stage}: the production stage is gone (removed or renamed)`];
  const out = approvalWeakenings(stage, expected.approval, observed);
  const { window } = expected;
  if (window && !observed.windows.some((w) => w.cron === window.cron && w.timeZone === window.timeZone)) {
    out.push(
      observed.windows.length
        ? `${stage}: the deployment window changed from ${windowText(window)} to ${observed.windows.map(windowText).join(' and ')}`
        : `${stage}: the deployment window ${windowText(window)} is gone`,
    );
  }
  if (expected.rollbackOnFailure && !observed.rollbackOnFailure)
    out.push(`${stage}: rollback on failure is gone (OnFailure is no longer ROLLBACK)`);
  if (expected.bake) out.push(...bakeWeakenings(stage, expected.bake, observed));
  for (const check of expected.checks) {
    const got = observed.actions.find((a) => a.name === check.name);
    if (!got) out.push(`${stage}: the ${check.name} action (${kind(check)}) is gone`);
    else if (kind(got) !== kind(check))
      out.push(`${stage}: ${check.name} is no longer a ${kind(check)} action (it is ${kind(got)})`);
    else if (!got.afterDeploy) out.push(`${stage}: ${check.name} no longer runs after every deploy action of ${stage}`);
  }
  return out;
}

/**
 * How the pipeline declared in `template` is weaker than `spec`: the pipeline gone, a production stage
 * gone, or one of its gates removed, reordered or weakened; also a self-mutation step that no longer
 * runs before the production stages. Empty when every gate holds.
 */
export function pipelineWeakenings(spec: GateSpec, template: Template): string[] {
  const pipelines = pipelinesNamed(template, spec.pipelineName);
  if (pipelines.length !== 1)
    return [
      pipelines.length
        ? `the pipeline ${spec.pipelineName} is declared ${pipelines.length} times`
        : `the pipeline ${spec.pipelineName} is gone (no AWS::CodePipeline::Pipeline of that name)`,
    ];
  const [pipeline] = pipelines;
  const out: string[] = [];
  if (pipeline.ExecutionMode === 'PARALLEL')
    out.push(
      'the pipeline runs in PARALLEL mode: executions overlap, so a newer one can deploy before an older one is approved',
    );
  const stages = stagesOf(pipeline);
  const selfMutation = stages.findIndex((s) => s.Name === spec.selfMutation.stage);
  for (const expected of spec.production) {
    out.push(...stageWeakenings(expected, observedStageGates(stages, expected)));
    const first = Math.min(
      ...[expected.stage, expected.approval?.stage].flatMap((n) => {
        const i = stages.findIndex((s) => s.Name === n);
        return i >= 0 ? [i] : [];
      }),
    );
    // Never true without a self-mutation stage (-1) or when neither stage is found (first is Infinity).
    if (selfMutation > first) out.push(`${expected.stage}: ${spec.selfMutation.stage} no longer runs before it`);
  }
  return out;
}

/**
 * How the spec `next` is weaker than `current`: a production stage dropped (its production flag
 * unset, or renamed), one of its gates weakened, or the guard pointed at another pipeline or stack.
 */
export function specWeakenings(current: GateSpec, next: GateSpec): string[] {
  const out: string[] = [];
  if (next.pipelineName !== current.pipelineName)
    out.push(`the guard would check the pipeline ${next.pipelineName} instead of ${current.pipelineName}`);
  const { assembly, stack } = current.pipelineStack;
  if (next.pipelineStack.assembly !== assembly || next.pipelineStack.stack !== stack)
    out.push(
      `the guard would read ${next.pipelineStack.stack} in ${next.pipelineStack.assembly} instead of ${stack} in ${assembly}`,
    );
  if (
    next.selfMutation.stage !== current.selfMutation.stage ||
    next.selfMutation.action !== current.selfMutation.action
  )
    out.push(
      `the guard would look for ${next.selfMutation.stage}/${next.selfMutation.action} instead of ${current.selfMutation.stage}/${current.selfMutation.action}`,
    );
  for (const expected of current.production) {
    const mine = next.production.find((s) => s.stage === expected.stage);
    if (!mine) {
      out.push(`${expected.stage}: no longer a production stage (its production flag is unset, or the stage renamed)`);
      continue;
    }
    out.push(...stageWeakenings(expected, observedFromSpec(mine, expected)));
  }
  return out;
}
