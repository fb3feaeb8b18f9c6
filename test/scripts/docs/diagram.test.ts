import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { CfnPipelineAction, CfnPipelineStage } from '../../../support/cfn-pipeline';
import { diagramDrift, pipelineDiagramInput } from '../../../scripts/docs/pipeline-diagram-input';
import type { PipelineDiagramInput } from '../../../scripts/docs/render-pipeline-diagram';
import {
  renderPipelineDiagram,
  renderPipelineDoc,
  renderStageTable,
  stageTargets,
} from '../../../scripts/docs/render-pipeline-diagram';
import { synthApp } from '../../support/synth';

const PIPELINE = { account: '999999999999', region: 'eu-west-2', note: 'pipeline' };

function action(
  name: string,
  provider: string,
  runOrder: number,
  extra: Partial<CfnPipelineAction> = {},
): CfnPipelineAction {
  const category =
    provider === 'Manual'
      ? 'Approval'
      : provider === 'Lambda'
        ? 'Invoke'
        : provider === 'CloudFormation'
          ? 'Deploy'
          : 'Build';
  return {
    Name: name,
    ActionTypeId: { Category: category, Owner: 'AWS', Provider: provider, Version: '1' },
    RunOrder: runOrder,
    ...extra,
  };
}

function deploy(stack: string, runOrder: number, account = '333333333333'): CfnPipelineAction {
  return action(`${stack}.Deploy`, 'CloudFormation', runOrder, {
    Configuration: { StackName: `Prod-${stack}`, ActionMode: 'CREATE_UPDATE' },
    RoleArn: {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-eu-west-1`],
      ],
    },
  });
}

/** Lines of the diagram that draw an edge. */
function edges(diagram: string): string[] {
  return diagram
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('-->'));
}

describe('The pipeline diagram of a stage with parallel actions', () => {
  // GIVEN a stage whose two stacks deploy in parallel, followed by two checks in parallel
  const prod: CfnPipelineStage = {
    Name: 'Prod',
    Actions: [
      action('ApproveToProd', 'Manual', 1),
      deploy('Stateful', 2),
      deploy('Audit', 2),
      deploy('Service', 3),
      action('HealthCheck', 'Lambda', 4),
      action('DrCheck', 'Lambda', 4),
    ],
  };
  const input: PipelineDiagramInput = { pipeline: { Stages: [prod] }, pipelineTarget: PIPELINE };
  const diagram = renderPipelineDiagram(input);

  it('draws actions of the same run order side by side, each joined to every action of the next run order', () => {
    expect(edges(diagram)).toEqual(['s0a0 --> s0a1 & s0a2', 's0a1 & s0a2 --> s0a3', 's0a3 --> s0a4 & s0a5']);
  });

  it('draws the approval as a hexagon and the checks as Lambda checks', () => {
    expect(diagram).toContain('s0a0{{"ApproveToProd<br/><i>manual approval</i>"}}:::approval');
    expect(diagram).toContain('s0a4["HealthCheck<br/><i>Lambda check</i>"]:::check');
  });

  it('names the stack each deploy action deploys', () => {
    expect(diagram).toContain(
      's0a1["Stateful.Deploy<br/><i>CloudFormation deploy</i><br/>stack Prod-Stateful"]:::deploy',
    );
  });

  it('names the alarm a Bake action watches and for how long', () => {
    const bake = action('Bake', 'Lambda', 5, {
      Configuration: { UserParameters: JSON.stringify({ stage: 'prod', alarmName: 'prod-unhealthy', minutes: 30 }) },
    });
    expect(
      renderPipelineDiagram({ ...input, pipeline: { Stages: [{ ...prod, Actions: [...prod.Actions, bake] }] } }),
    ).toContain('s0a6["Bake<br/><i>Lambda check</i><br/>prod-unhealthy out of ALARM for 30 min"]:::check');
  });

  it('lists the run orders in the stage table, parallel actions joined by +', () => {
    expect(renderStageTable(input)).toContain(
      '1. ApproveToProd (manual approval)<br>2. Stateful.Deploy (CloudFormation deploy) + Audit.Deploy (CloudFormation deploy)<br>3.',
    );
  });

  it('orders actions by run order even when the template lists them out of order', () => {
    const shuffled = renderPipelineDiagram({
      ...input,
      pipeline: { Stages: [{ ...prod, Actions: [...prod.Actions].reverse() }] },
    });
    expect(edges(shuffled)[0]).toMatch(/^s0a5 --> /);
  });
});

describe('The account and region of each stage', () => {
  const stages: CfnPipelineStage[] = [
    { Name: 'Build', Actions: [action('Synth', 'CodeBuild', 1)] },
    { Name: 'Prod', Actions: [deploy('Stateful', 1, '333333333333')] },
    { Name: 'Dev', Actions: [deploy('Stateful', 1, '111111111111')] },
  ];

  it("comes from the stage config when given, else from most deploy role ARNs, else is the pipeline's", () => {
    const targets = stageTargets({
      pipeline: { Stages: stages },
      pipelineTarget: PIPELINE,
      stageTargets: { Dev: { account: '111111111111', region: 'eu-west-2' } },
    });
    expect(targets).toEqual([
      PIPELINE,
      { account: '333333333333', region: 'eu-west-1' },
      { account: '111111111111', region: 'eu-west-2' },
    ]);
  });

  it('is shown beside an action that acts in another region than its stage', () => {
    const edge = { ...deploy('EdgeSecurity', 1, '333333333333'), Region: 'us-east-1' };
    const input = {
      pipeline: { Stages: [{ Name: 'Prod', Actions: [edge, deploy('Service', 2), deploy('Backup', 2)] }] },
      pipelineTarget: PIPELINE,
    };
    const diagram = renderPipelineDiagram(input);
    expect(diagram).toContain('stack Prod-EdgeSecurity<br/>in us-east-1"]');
    expect(diagram).not.toContain('stack Prod-Service<br/>in');
    expect(renderStageTable(input)).toContain('EdgeSecurity.Deploy (CloudFormation deploy, in us-east-1)');
  });

  it('is shown in the title of the stage box', () => {
    const diagram = renderPipelineDiagram({ pipeline: { Stages: stages }, pipelineTarget: PIPELINE });
    expect(diagram).toContain('subgraph s0["Build · 999999999999 / eu-west-2 (pipeline)"]');
    expect(diagram).toContain('subgraph s1["Prod · 333333333333 / eu-west-1"]');
  });
});

describe('Stage conditions in the diagram', () => {
  // GIVEN a stage with a deployment window, an on-success alarm condition and rollback on failure
  const stage: CfnPipelineStage = {
    Name: 'Prod',
    Actions: [deploy('Stateful', 1), action('HealthCheck', 'Lambda', 2)],
    BeforeEntry: {
      Conditions: [
        {
          Result: 'FAIL',
          Rules: [
            {
              Name: 'ProdDeploymentWindow',
              RuleTypeId: { Category: 'Rule', Provider: 'DeploymentWindow' },
              Configuration: { Cron: '* * 9-15 ? * MON-THU', TimeZone: 'Europe/London' },
            },
          ],
        },
      ],
    },
    OnSuccess: {
      Conditions: [
        {
          Result: 'ROLLBACK',
          Rules: [
            {
              Name: 'ProdBakeTime',
              RuleTypeId: { Category: 'Rule', Provider: 'CloudWatchAlarm' },
              Configuration: { AlarmName: 'prod-unhealthy', WaitTime: '30' },
              RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }]] },
            },
          ],
        },
      ],
    },
    OnFailure: { Result: 'ROLLBACK' },
  };
  const input: PipelineDiagramInput = { pipeline: { Stages: [stage] }, pipelineTarget: PIPELINE };
  const diagram = renderPipelineDiagram(input);

  it('gates the first run order behind the entry condition, with its settings and result', () => {
    expect(diagram).toContain(
      's0in["before entry: DeploymentWindow (Cron: * * 9-15 ? * MON-THU, TimeZone: Europe/London) else FAIL"]:::condition',
    );
    expect(edges(diagram)[0]).toBe('s0in --> s0a0');
  });

  it('puts an on-success condition after the last run order', () => {
    expect(diagram).toContain(
      's0ok["on success: CloudWatchAlarm (AlarmName: prod-unhealthy, WaitTime: 30) else ROLLBACK"]:::condition',
    );
    expect(edges(diagram)).toContain('s0a1 --> s0ok');
  });

  it('shows what happens on failure', () => {
    expect(diagram).toContain('s0fail{{"on failure: ROLLBACK"}}:::failure');
  });

  it('lists every condition in the stage table', () => {
    expect(renderStageTable(input)).toContain(
      'before entry: DeploymentWindow (Cron: * * 9-15 ? * MON-THU, TimeZone: Europe/London) else FAIL<br>on success:',
    );
  });

  it('draws no condition for a stage without one', () => {
    const plain = renderPipelineDiagram({
      pipeline: { Stages: [{ Name: 'Dev', Actions: stage.Actions }] },
      pipelineTarget: PIPELINE,
    });
    expect(plain).not.toMatch(/:::(condition|failure)/);
  });
});

describe('Labels with characters Mermaid treats specially', () => {
  it('are escaped so the diagram still parses', () => {
    const diagram = renderPipelineDiagram({
      pipeline: { Stages: [{ Name: 'Check "A" <B>', Actions: [action('Say "hi"', 'CodeBuild', 1)] }] },
      pipelineTarget: PIPELINE,
    });
    expect(diagram).toContain('Check #quot;A#quot; #lt;B#gt;');
    expect(diagram).toContain('["Say #quot;hi#quot;<br/>');
  });
});

describe('A committed diagram', () => {
  it('that differs from the generated one is reported with the first differing line and the fix', () => {
    expect(diagramDrift('a\nb\n', 'a\nc\n')).toBe(
      'docs/pipeline.md is out of date with the pipeline: run `npm run diagram` and commit it. ' +
        'First difference at line 2: committed "b", generated "c".',
    );
    expect(diagramDrift(undefined, 'a')).toContain('missing: run `npm run diagram`');
    expect(diagramDrift('same', 'same')).toBeUndefined();
  });
});

describe('docs/pipeline.md', () => {
  // GIVEN the whole app as bin/app.ts builds it from cdk.json, whatever its config
  const built = synthApp({}, { cdkJson: true });
  const generated = renderPipelineDoc(pipelineDiagramInput(built.pipelineStack, built.pipelineTemplate.toJSON()));
  const file = path.join(__dirname, '..', '..', '..', 'docs', 'pipeline.md');

  it("is what `npm run diagram` generates from the current code and cdk.json's config (run npm run diagram if this fails)", () => {
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    expect(diagramDrift(committed, generated)).toBeUndefined();
  });

  it('shows every stage of the synthesized pipeline with its configured account', () => {
    for (const stage of built.pipelineStack.stages) {
      expect(generated).toContain(`["${stage.stageName} · ${stage.config.account} / ${stage.config.region}"]`);
    }
    expect(generated).toContain(
      `Source · ${built.config.pipeline.account} / ${built.config.pipeline.region} (pipeline)`,
    );
  });
});
