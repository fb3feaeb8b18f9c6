import { App } from 'aws-cdk-lib';
import { applyComplianceGates } from '../../../lib/compliance/compliance-gates';
import { formatGateFinding, readSuppressedFindings } from '../../support/compliance-report';
import { contextWith } from '../../support/context';
import { gatesOutdir, synthWithGates } from '../../support/synth-with-gates';
import { miniPipeline } from './mini-pipeline';

describe('compliance gates on the change review and execution notifier', () => {
  it('find nothing unacknowledged on the constructs of this change', () => {
    const outdir = gatesOutdir();
    // cdk.json's feature flags, as the real app has them (they decide how CodeBuild grants render ARNs).
    const app = new App({ outdir, context: contextWith() });
    miniPipeline(app);
    applyComplianceGates(app);
    // synthWithGates rethrows any error other than findings, so a broken synth fails here.
    const { findings } = synthWithGates(app);
    const covered = readSuppressedFindings(outdir)
      .map((f) => f.constructPath)
      .join('\n');
    expect(covered).toMatch(/ChangeReview/);
    expect(covered).toMatch(/ExecutionNotifier/);
    const mine = findings.filter((f) => /ChangeReview|ExecutionNotifier/.test(f.constructPath));
    expect(mine.map(formatGateFinding)).toEqual([]);
  });
});
