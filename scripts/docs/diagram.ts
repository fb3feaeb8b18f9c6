#!/usr/bin/env node
/**
 * `npm run diagram`: builds the app in-process exactly as bin/app.ts does (config from cdk.json's
 * context) and writes docs/pipeline.md, a Mermaid diagram of the synthesized pipeline.
 *
 * Usage: tsx scripts/docs/diagram.ts [--out <file>] [--stdout]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { createPlatformStage } from '../../stages/platform-stage';
import type { CfnTemplate } from '../../support/cfn-pipeline';
import { pipelineDiagramInput } from './pipeline-diagram-input';
import { renderPipelineDoc } from './render-pipeline-diagram';

const ROOT = path.join(__dirname, '..', '..');
/** Where the generated page is committed. */
export const PIPELINE_DOC = path.join(ROOT, 'docs', 'pipeline.md');

function main(argv: string[]): void {
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(argv[outIndex + 1] ?? '') : PIPELINE_DOC;
  const context = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context ?? {};
  const app = new App({ context });
  const config = loadConfig(app.node.getAllContext());
  const stack = new PipelineStack(app, 'PipelineStack', { config, stageFactory: createPlatformStage });
  const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  const page = renderPipelineDoc(pipelineDiagramInput(stack, template));
  if (argv.includes('--stdout')) {
    process.stdout.write(page);
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, page);
  console.log(`Wrote ${path.relative(process.cwd(), out)} (${page.split('\n').length} lines).`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
