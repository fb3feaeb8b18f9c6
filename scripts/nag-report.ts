/**
 * Prints every compliance acknowledgement of the app, grouped by finding id, with its reason and the
 * constructs it applies to. Usage: `npm run nag:report` (`tsx scripts/nag-report.ts`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { collectAcknowledgements, groupAcknowledgements } from './collect-acknowledgements';
import { ConfigError, loadConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../stages/platform-stage';

const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const outdir = mkdtempSync(path.join(tmpdir(), 'nag-report-'));
try {
  const app = new App({ context: cdkJson.context, outdir });
  new PipelineStack(app, 'PipelineStack', {
    config: loadConfig(app.node.getAllContext()),
    stageFactory: createPlatformStage,
  });
  app.synth(); // CDK Pipelines builds its constructs, and receives their acknowledgements, at synth.
  const records = collectAcknowledgements(app);
  const grouped = groupAcknowledgements(records);
  for (const [id, byReason] of grouped) {
    console.log(`\n${id}`);
    for (const [reason, paths] of byReason) {
      console.log(`  reason: ${reason}`);
      for (const p of paths) console.log(`    - ${p}`);
    }
  }
  console.log(
    `\n${records.length} acknowledgements of ${grouped.size} finding ids on ${new Set(records.map((r) => r.path)).size} constructs.`,
  );
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
