import { App, Stack } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../../lib/compliance/compliance-gates';
import { gatesOutdir } from '../../../lib/compliance/synth-with-gates';
import { readGateFindings } from '../../../lib/compliance/validation-report';
import { ChangeReviewRole } from '../../../lib/platform/checks/change-review-role';
import { miniPipeline, PIPELINE_ACCOUNT, STAGE_ACCOUNT } from './mini-pipeline';

describe('compliance gates on the change review and failure notifier', () => {
  it('find nothing unacknowledged on the constructs of this change', () => {
    const outdir = gatesOutdir();
    const app = new App({ outdir });
    miniPipeline(app);
    const stageStack = new Stack(app, 'StageStack', { env: { account: STAGE_ACCOUNT, region: 'eu-west-2' } });
    new ChangeReviewRole(stageStack, 'PipelineChangeReview', { roleName: 'uk-home-improvement-prod-pipeline-change-review', pipelineAccount: PIPELINE_ACCOUNT, trustedRoleName: 'uk-home-improvement-pipeline-change-review' });
    applyComplianceGates(app);
    try { app.synth(); } catch { /* findings are read from the report */ }
    const mine = readGateFindings(outdir).filter((f) => /ChangeReview|FailureNotifier/.test(f.constructPath));
    expect(mine.map((f) => `${f.rule} @ ${f.constructPath}`)).toEqual([]);
  });
});
