import { App, Stack } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../../lib/compliance/compliance-gates';
import { formatGateFinding, readSuppressedFindings } from '../../support/compliance-report';
import { contextWith } from '../../support/context';
import { gatesOutdir, synthWithGates } from '../../support/synth-with-gates';
import { ChangeReviewRole } from '../../../lib/platform/checks/change-review-role';
import { miniPipeline, PIPELINE_ACCOUNT, STAGE_ACCOUNT } from './mini-pipeline';

describe('compliance gates on the change review and failure notifier', () => {
  it('find nothing unacknowledged on the constructs of this change', () => {
    const outdir = gatesOutdir();
    // cdk.json's feature flags, as the real app has them (they decide how CodeBuild grants render ARNs).
    const app = new App({ outdir, context: contextWith() });
    miniPipeline(app);
    const stageStack = new Stack(app, 'StageStack', { env: { account: STAGE_ACCOUNT, region: 'eu-west-2' } });
    new ChangeReviewRole(stageStack, 'PipelineChangeReview', {
      roleName: 'uk-home-improvement-prod-pipeline-change-review',
      pipelineAccount: PIPELINE_ACCOUNT,
      trustedRoleName: 'uk-home-improvement-pipeline-change-review',
    });
    applyComplianceGates(app);
    // synthWithGates rethrows any error other than findings, so a broken synth fails here.
    const { findings } = synthWithGates(app);
    const covered = readSuppressedFindings(outdir)
      .map((f) => f.constructPath)
      .join('\n');
    expect(covered).toMatch(/ChangeReview/);
    expect(covered).toMatch(/FailureNotifier/);
    const mine = findings.filter((f) => /ChangeReview|FailureNotifier/.test(f.constructPath));
    expect(mine.map(formatGateFinding)).toEqual([]);
  });
});
