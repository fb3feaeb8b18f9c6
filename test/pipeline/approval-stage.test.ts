import type { Template } from 'aws-cdk-lib/assertions';
import type { StageConditionDeclarations } from '../../lib/pipeline/stage-conditions';
import { APPROVAL_TIMEOUT_DAYS, MAX_APPROVAL_COMMENT_LENGTH } from '../../lib/pipeline/approval-step';
import { pipelineStages, stageNamed } from '../support/pipeline-shape';
import { synthApp } from '../support/synth';

const built = synthApp();
const template = built.pipelineTemplate;
const names = () => pipelineStages(template).map((s) => s.name);

function stageWithManualAction(t: Template) {
  const stages = pipelineStages(t).filter((s) => s.actions.some((a) => a.category === 'Approval'));
  expect(stages).toHaveLength(1);
  return stages[0];
}

describe('The approval of Prod (point 1: the window gates the deploy)', () => {
  it('is a pipeline stage of its own, ApproveProd, right before Prod, holding the change review and then the approval', () => {
    expect(names().slice(-2)).toEqual(['ApproveProd', 'Prod']);
    const approve = stageNamed(template, 'ApproveProd');
    expect(approve.actions.map((a) => [a.name, a.category, a.provider, a.runOrder])).toEqual([
      ['ChangeReview', 'Build', 'CodeBuild', 1],
      ['ApproveToProd', 'Approval', 'Manual', 2],
    ]);
  });

  it("leaves no approval inside Prod, so the deploy can only start once Prod's window condition lets it in", () => {
    const prod = stageNamed(template, 'Prod');
    expect(prod.actions.filter((a) => a.category === 'Approval')).toEqual([]);
    expect((prod.raw as StageConditionDeclarations).BeforeEntry!.Conditions[0].Rules[0].RuleTypeId.Provider).toBe(
      'DeploymentWindow',
    );
    // The approval stage itself is not held by the window: requests may go out at any time, the deploy waits.
    expect(stageNamed(template, 'ApproveProd').raw.BeforeEntry).toBeUndefined();
    // The first action of Prod is a deploy, not an approval.
    const first = Math.min(...prod.actions.map((a) => a.runOrder));
    expect(prod.actions.filter((a) => a.runOrder === first).every((a) => a.provider === 'CloudFormation')).toBe(true);
  });

  it("follows each stage's manualApproval, whatever the stage: on for Staging gives ApproveStaging before it, named from its display name; off for Prod (under break-glass) leaves only its review", () => {
    const t = synthApp({
      'staging.delivery.manualApproval': true,
      'prod.delivery.manualApproval': false,
      'prod.breakGlass.manualApproval': 'CHG-42: approvers away, release manager decided, until Monday',
    }).pipelineTemplate;
    const order = pipelineStages(t).map((s) => s.name);
    expect(order.slice(order.indexOf('Dev'))).toEqual(['Dev', 'ApproveStaging', 'Staging', 'ReviewProd', 'Prod']);
    expect(
      pipelineStages(t)
        .filter((s) => s.actions.some((a) => a.category === 'Approval'))
        .map((s) => s.name),
    ).toEqual(['ApproveStaging']);
  });
});

describe('Rejecting the approval (point 2)', () => {
  it('fails a stage that has no rollback, so nothing in Prod is touched', () => {
    const holder = stageWithManualAction(template);
    expect(holder.name).not.toBe('Prod');
    expect(holder.raw.OnFailure).toBeUndefined();
    // Only the change review (which reads, never deploys) and the approval run there.
    expect(holder.actions.map((a) => a.name)).toEqual(['ChangeReview', 'ApproveToProd']);
  });

  it('while a failed deploy or check in Prod still rolls Prod back', () => {
    expect(stageNamed(template, 'Prod').raw.OnFailure).toEqual({ Result: 'ROLLBACK' });
  });
});

describe('The approval request (point 12)', () => {
  const approval = () => stageNamed(template, 'ApproveProd').actions.find((a) => a.category === 'Approval')!;

  it('is sent once: by the approval action to the topic, not again by a notification rule', () => {
    expect(approval().configuration.NotificationArn).toBeDefined();
    template.resourceCountIs('AWS::CodeStarNotifications::NotificationRule', 0);
    // The execution notifier hears only whole executions, never an action waiting for approval.
    const patterns = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
    const pipelineEvents = patterns.filter((p) => JSON.stringify(p?.source) === '["aws.codepipeline"]');
    expect(pipelineEvents.map((p) => p['detail-type'])).toEqual([['CodePipeline Pipeline Execution State Change']]);
  });

  it("links to this execution's change review report, kept in the pipeline account where the approver is signed in", () => {
    const { pipeline } = built.config;
    const link = JSON.stringify(approval().configuration.ExternalEntityLink);
    expect(link).toContain(`https://${pipeline.region}.console.aws.amazon.com/s3/object/`);
    expect(link).toContain('ChangeReviewReportsBucket');
    expect(link).toContain('change-review/prod/#{codepipeline.PipelineExecutionId}/report.md');
    expect(link).not.toMatch(/cloudwatch/);
  });

  it('states its timeout and what to check, within the length CodePipeline accepts', () => {
    const comment = approval().configuration.CustomData as string;
    expect(comment.length).toBeLessThanOrEqual(MAX_APPROVAL_COMMENT_LENGTH);
    expect(comment).toContain(`Expires after ${APPROVAL_TIMEOUT_DAYS} days`);
    expect(comment).toContain('uk-home-improvement-staging-dashboard');
    expect(comment).toContain('uk-home-improvement-staging-stage-unhealthy');
  });
});
