import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { synthApp } from '../support/synth';

const built = synthApp({ 'pipeline.logRetentionDays': 180 });
const template = built.pipelineTemplate;
const projects = Object.entries(template.findResources('AWS::CodeBuild::Project'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));

/** A project's buildspec as text: inline, or the file CDK Pipelines writes into the assembly (the Assets project's). */
function buildSpec(properties: Record<string, any>): string {
  const spec = properties.Source.BuildSpec;
  if (typeof spec !== 'string') return JSON.stringify(spec);
  return spec.startsWith('{') ? spec : readFileSync(path.join(built.app.outdir, spec), 'utf8');
}

describe('The CodeBuild projects of the pipeline (Build, UpdatePipeline, Assets)', () => {
  it('are the three projects, each named by what it runs', () => {
    const specs = projects.map(([, p]) => buildSpec(p.Properties));
    expect(specs.filter((s) => s.includes('cdk synth'))).toHaveLength(1);
    expect(specs.filter((s) => s.includes('npm install -g aws-cdk@'))).toHaveLength(1);
    expect(specs.filter((s) => s.includes('cdk-assets'))).toHaveLength(1);
  });

  it('install cdk-assets at the version package-lock.json pins, never @latest', () => {
    const version: string = lock.packages['node_modules/cdk-assets'].version;
    const installs = projects.flatMap(
      ([, p]) => buildSpec(p.Properties).match(/npm install -g cdk-assets@[^"\\ ]+/g) ?? [],
    );
    expect(installs).toEqual([`npm install -g cdk-assets@${version}`]);
  });

  it('run on the standard 7.0 image with Node.js 22 selected', () => {
    for (const [id, p] of projects) {
      expect([id, p.Properties.Environment.Image]).toEqual([id, 'aws/codebuild/standard:7.0']);
      expect([id, parse(buildSpec(p.Properties)).phases.install['runtime-versions']]).toEqual([
        id,
        expect.objectContaining({ nodejs: 22 }),
      ]);
    }
  });

  it("log to one log group with the pipeline's retention, retained on delete", () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    const logGroupIds = new Set(projects.map(([, p]) => p.Properties.LogsConfig?.CloudWatchLogs?.GroupName?.Ref));
    expect(logGroupIds.size).toBe(1);
    const [id] = [...logGroupIds];
    expect(groups[id]).toMatchObject({
      Properties: { RetentionInDays: 180 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(projects.map(([, p]) => p.Properties.LogsConfig.CloudWatchLogs.Status)).toEqual(
      projects.map(() => 'ENABLED'),
    );
  });
});

describe('Every Lambda function the app deploys', () => {
  it('runs on Node.js 22, or a newer runtime aws-cdk-lib chose for a provider it generates', () => {
    const runtimes = new Map<string, string>();
    const stacks = [
      ['PipelineStack', template] as const,
      ...built.config.stages.flatMap((s) =>
        built
          .stage(s.name)
          .node.children.filter((c) => 'templateFile' in c)
          .map((c) => [`${s.name}/${c.node.id}`, built.template(s.name, c.node.id)] as const),
      ),
    ];
    for (const [stack, t] of stacks) {
      for (const [id, fn] of Object.entries(t.findResources('AWS::Lambda::Function')))
        runtimes.set(`${stack}/${id}`, fn.Properties.Runtime);
    }
    expect(runtimes.size).toBeGreaterThan(5);
    const generated = (id: string) => /\/Custom[A-Za-z0-9]+CustomResourceProvider/.test(id);
    expect([...runtimes].filter(([id, runtime]) => !generated(id) && runtime !== 'nodejs22.x')).toEqual([]);
    expect(
      [...runtimes].filter(([id, runtime]) => generated(id) && !(Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1]) >= 22)),
    ).toEqual([]);
  });
});
