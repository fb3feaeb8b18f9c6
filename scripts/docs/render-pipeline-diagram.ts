import type {
  ActionKind,
  CfnPipelineAction,
  CfnPipelineCondition,
  CfnPipelineProperties,
  CfnPipelineStage,
} from '../../support/cfn-pipeline';
import { actionKind, runOrderGroups } from '../../support/cfn-pipeline';

/** Where a pipeline stage's actions act: an account and a region. */
export interface StageTarget {
  /** AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** Short note shown after the region, for example `pipeline`. @default no note */
  readonly note?: string;
}

/** Everything the diagram is drawn from. */
export interface PipelineDiagramInput {
  /** Properties of the synthesized `AWS::CodePipeline::Pipeline`. */
  readonly pipeline: CfnPipelineProperties;
  /**
   * Target of each deploy stage, by pipeline stage name (from the stage's config).
   * @default a stage not listed is read from its deploy actions' role ARNs, else it runs in `pipelineTarget`
   */
  readonly stageTargets?: Readonly<Record<string, StageTarget>>;
  /** Account and region of the pipeline itself (Source, Build, UpdatePipeline, Assets). */
  readonly pipelineTarget: StageTarget;
}

const KIND_LABEL: Record<ActionKind, string> = {
  source: 'source',
  approval: 'manual approval',
  codebuild: 'CodeBuild',
  deploy: 'CloudFormation deploy',
  'change-set-create': 'create change set',
  'change-set-execute': 'execute change set',
  lambda: 'Lambda check',
  other: 'action',
};

const CLASS_DEFS = [
  'classDef source fill:#e0f2fe,stroke:#0369a1',
  'classDef build fill:#ede9fe,stroke:#6d28d9',
  'classDef deploy fill:#dcfce7,stroke:#15803d',
  'classDef check fill:#fef9c3,stroke:#a16207',
  'classDef approval fill:#fed7aa,stroke:#c2410c',
  'classDef condition fill:#f1f5f9,stroke:#475569,stroke-dasharray: 4 3',
  'classDef failure fill:#fee2e2,stroke:#b91c1c',
];

const KIND_CLASS: Record<ActionKind, string> = {
  source: 'source',
  approval: 'approval',
  codebuild: 'build',
  deploy: 'deploy',
  'change-set-create': 'deploy',
  'change-set-execute': 'deploy',
  lambda: 'check',
  other: 'build',
};

/** Text made safe inside a quoted Mermaid label. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Text made safe inside a Markdown table cell. */
function cellText(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The literal (non-intrinsic) settings of a rule or action, as `Key: value` pairs. */
function literalSettings(configuration: Record<string, unknown> | undefined): string[] {
  return Object.entries(configuration ?? {})
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}: ${String(v)}`);
}

/** One line per condition: `Provider (settings) else RESULT`. */
function describeConditions(conditions: readonly CfnPipelineCondition[] | undefined): string[] {
  return (conditions ?? []).flatMap((condition) => {
    const result = condition.Result ? ` else ${condition.Result}` : '';
    const rules = condition.Rules ?? [];
    if (rules.length === 0) return [`condition${result}`];
    return rules.map((rule) => {
      const settings = literalSettings(rule.Configuration);
      return `${rule.RuleTypeId.Provider}${settings.length ? ` (${settings.join(', ')})` : ''}${result}`;
    });
  });
}

/** The stage's condition lines, labelled with the condition's kind. */
function stageConditionLines(stage: CfnPipelineStage): {
  beforeEntry: string[];
  onSuccess: string[];
  onFailure: string[];
} {
  const onFailure = stage.OnFailure
    ? [
        ...(stage.OnFailure.Result ? [`on failure: ${stage.OnFailure.Result}`] : []),
        ...describeConditions(stage.OnFailure.Conditions).map((c) => `on failure: ${c}`),
      ]
    : [];
  return {
    beforeEntry: describeConditions(stage.BeforeEntry?.Conditions).map((c) => `before entry: ${c}`),
    onSuccess: describeConditions(stage.OnSuccess?.Conditions).map((c) => `on success: ${c}`),
    onFailure,
  };
}

/** The alarm and minutes a bake action's user parameters name (`{"alarmName": ..., "minutes": ...}`), or undefined. */
function bakeSubject(userParameters: unknown): string | undefined {
  if (typeof userParameters !== 'string') return undefined;
  try {
    const p = JSON.parse(userParameters) as { alarmName?: unknown; minutes?: unknown };
    return typeof p.alarmName === 'string' && typeof p.minutes === 'number'
      ? `${p.alarmName} out of ALARM for ${p.minutes} min`
      : undefined;
  } catch {
    return undefined;
  }
}

/** What an action works on, when its configuration names it literally (stack, repository, the alarm a bake watches). */
function actionSubject(action: CfnPipelineAction): string | undefined {
  const config = action.Configuration ?? {};
  if (typeof config.StackName === 'string') return `stack ${config.StackName}`;
  const bake = bakeSubject(config.UserParameters);
  if (bake) return bake;
  if (typeof config.FullRepositoryId === 'string') {
    return typeof config.BranchName === 'string'
      ? `${config.FullRepositoryId} @ ${config.BranchName}`
      : config.FullRepositoryId;
  }
  return undefined;
}

function kindLabel(action: CfnPipelineAction): string {
  const kind = actionKind(action);
  return kind === 'other' ? `${action.ActionTypeId.Category} / ${action.ActionTypeId.Provider}` : KIND_LABEL[kind];
}

/** The account id and region an action assumes its role in, read from a literal role ARN (CDK's bootstrap roles end in the region). */
function actionTarget(action: CfnPipelineAction): Partial<StageTarget> {
  const role = JSON.stringify(action.RoleArn ?? '');
  return {
    account: /:iam::(\d{12}):role\//.exec(role)?.[1],
    region: action.Region ?? /-([a-z]{2}(?:-[a-z]+)+-\d)"/.exec(role)?.[1],
  };
}

/** The account and region most of a stage's cross-account actions act in (the first of a tie), if any. */
function inferTarget(stage: CfnPipelineStage): StageTarget | undefined {
  const votes = new Map<string, number>();
  for (const action of stage.Actions) {
    const { account, region } = actionTarget(action);
    if (account && region) votes.set(`${account} ${region}`, (votes.get(`${account} ${region}`) ?? 0) + 1);
  }
  const best = [...votes.entries()].reduce<[string, number] | undefined>(
    (top, entry) => (!top || entry[1] > top[1] ? entry : top),
    undefined,
  );
  if (!best) return undefined;
  const [account, region] = best[0].split(' ');
  return { account, region };
}

/** Where an action acts, when that is not its stage's account and region (a us-east-1 or DR-region stack). */
function offTarget(action: CfnPipelineAction, target: StageTarget): string | undefined {
  const where = actionTarget(action);
  const account = where.account && where.account !== target.account ? where.account : undefined;
  const region = where.region && where.region !== target.region ? where.region : undefined;
  if (!account && !region) return undefined;
  return `in ${[account, region].filter(Boolean).join(' / ')}`;
}

/** The account and region of every stage, in pipeline order. */
export function stageTargets(input: PipelineDiagramInput): StageTarget[] {
  return input.pipeline.Stages.map(
    (stage) => input.stageTargets?.[stage.Name] ?? inferTarget(stage) ?? input.pipelineTarget,
  );
}

function targetText(target: StageTarget): string {
  return `${target.account} / ${target.region}${target.note ? ` (${target.note})` : ''}`;
}

/**
 * The Mermaid flowchart of a pipeline: one box per stage (with its account and region), its actions in
 * run order top to bottom, actions that share a run order side by side, and its conditions.
 */
export function renderPipelineDiagram(input: PipelineDiagramInput): string {
  const targets = stageTargets(input);
  const lines: string[] = ['flowchart TB'];
  input.pipeline.Stages.forEach((stage, s) => {
    const id = `s${s}`;
    lines.push(`  subgraph ${id}["${mermaidText(`${stage.Name} · ${targetText(targets[s])}`)}"]`);
    lines.push('    direction TB');
    const groups = runOrderGroups(stage.Actions.map((action, a) => ({ ...action, nodeId: `${id}a${a}` })));
    for (const group of groups) {
      for (const action of group) {
        const details = [actionSubject(action), offTarget(action, targets[s])].filter(
          (d): d is string => d !== undefined,
        );
        const label = [
          mermaidText(action.Name),
          `<i>${mermaidText(kindLabel(action))}</i>`,
          ...details.map(mermaidText),
        ].join('<br/>');
        const shaped = actionKind(action) === 'approval' ? `{{"${label}"}}` : `["${label}"]`;
        lines.push(`    ${action.nodeId}${shaped}:::${KIND_CLASS[actionKind(action)]}`);
      }
    }
    const conditions = stageConditionLines(stage);
    if (conditions.beforeEntry.length)
      lines.push(`    ${id}in["${conditions.beforeEntry.map(mermaidText).join('<br/>')}"]:::condition`);
    if (conditions.onSuccess.length)
      lines.push(`    ${id}ok["${conditions.onSuccess.map(mermaidText).join('<br/>')}"]:::condition`);
    if (conditions.onFailure.length)
      lines.push(`    ${id}fail{{"${conditions.onFailure.map(mermaidText).join('<br/>')}"}}:::failure`);
    const chain: string[][] = [
      ...(conditions.beforeEntry.length ? [[`${id}in`]] : []),
      ...groups.map((g) => g.map((a) => a.nodeId)),
      ...(conditions.onSuccess.length ? [[`${id}ok`]] : []),
    ];
    for (let i = 1; i < chain.length; i++) {
      lines.push(`    ${chain[i - 1].join(' & ')} --> ${chain[i].join(' & ')}`);
    }
    lines.push('  end');
    if (s > 0) lines.push(`  s${s - 1} --> ${id}`);
  });
  lines.push(...CLASS_DEFS.map((c) => `  ${c}`));
  return lines.join('\n');
}

/** The Markdown table of stages: account, region, actions per run order and conditions. */
export function renderStageTable(input: PipelineDiagramInput): string {
  const targets = stageTargets(input);
  const rows = input.pipeline.Stages.map((stage, s) => {
    const order = runOrderGroups(stage.Actions)
      .map(
        (group, i) =>
          `${i + 1}. ${group
            .map((a) => {
              const where = offTarget(a, targets[s]);
              return `${a.Name} (${kindLabel(a)}${where ? `, ${where}` : ''})`;
            })
            .join(' + ')}`,
      )
      .join('<br>');
    const c = stageConditionLines(stage);
    const conditions = [...c.beforeEntry, ...c.onSuccess, ...c.onFailure].join('<br>') || '-';
    const t = targets[s];
    return `| ${s + 1} | ${cellText(stage.Name)} | ${t.account}${t.note ? ` (${cellText(t.note)})` : ''} | ${t.region} | ${cellText(order)} | ${cellText(conditions)} |`;
  });
  return [
    '| # | Stage | Account | Region | Actions in run order (`+` = in parallel) | Conditions |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The whole docs/pipeline.md page. */
export function renderPipelineDoc(input: PipelineDiagramInput): string {
  return [
    '# The delivery pipeline',
    '',
    '<!-- Generated by `npm run diagram` (scripts/docs/diagram.ts) from the synthesized PipelineStack. Do not edit:',
    '     change the code, then run `npm run diagram`. A test fails when this file is out of date. -->',
    '',
    'Stages run top to bottom; inside a stage, actions run in run order, and actions side by side run in parallel.',
    'Each stage shows the account and region its actions act in. Dashed boxes are stage conditions',
    '(entry gates); red boxes say what happens when the stage fails. A Bake action proves the stage-unhealthy',
    'alarm stayed out of ALARM for the minutes it names.',
    '',
    '```mermaid',
    renderPipelineDiagram(input),
    '```',
    '',
    '## Stages',
    '',
    renderStageTable(input),
    '',
  ].join('\n');
}
