import { App, Validations, IPolicyValidationPlugin } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import { contextWith } from '../test/helpers/context';
const which = process.argv[2];
const ctx = { ...contextWith(), 'aws:cdk:bundling-stacks': [] };
const app = new App({ context: ctx, outdir: mkdtempSync(path.join(tmpdir(), 'prof-')) });
const plugins: Record<string, () => IPolicyValidationPlugin> = {
  aws: () => new AwsSolutionsChecks(app),
  nist: () => new NIST80053R5Checks(app),
  guard: () => new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 }) as unknown as IPolicyValidationPlugin,
};
if (which !== 'none') Validations.of(app).addPlugins(plugins[which]());
new PipelineStack(app, 'PipelineStack', { config: loadConfig((k) => (ctx as any)[k]) });
const t = Date.now();
try { app.synth(); } catch (e) { }
console.log(which, Date.now() - t, 'ms');
