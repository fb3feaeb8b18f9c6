import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { assemblyStacks, assetLabel, lambdaAssets, PLACEHOLDER_ENV_VALUE } from '../../bench/cloud-assembly';

/** Writes `files` (path relative to `dir` -> content) and returns `dir`. */
function writeTree(dir: string, files: Record<string, unknown>): string {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function fn(cdkPath: string, asset: string, extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', ...extra },
    Metadata: { 'aws:cdk:path': cdkPath, 'aws:asset:path': asset, 'aws:asset:property': 'Code' },
  };
}

describe('Reading Lambda assets from a cloud assembly with nested stage assemblies', () => {
  // GIVEN a top-level stack with a check function, and Dev and Prod stage assemblies whose
  // functions share one asset, plus a CDK custom resource handler and a Python function
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-assembly-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeTree(dir, {
    'manifest.json': {
      artifacts: {
        'assembly-Dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Dev' } },
        'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
        PipelineStack: {
          type: 'aws:cloudformation:stack',
          displayName: 'PipelineStack',
          properties: { templateFile: 'PipelineStack.template.json' },
        },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    },
    'PipelineStack.template.json': {
      Resources: {
        Health: fn('PipelineStack/Checks/HealthCheck/Resource', 'asset.health', {
          Environment: { Variables: { STAGE: 'dev', TOPIC: { Ref: 'Topic' } } },
        }),
      },
    },
    'asset.health/index.js': 'x'.repeat(2048),
    'asset.api/index.mjs': 'y'.repeat(100),
    'asset.cr/__entrypoint__.js': 'z',
    'assembly-Dev/manifest.json': {
      artifacts: {
        DevService: { type: 'aws:cloudformation:stack', properties: { templateFile: 'DevService.template.json' } },
      },
    },
    'assembly-Dev/DevService.template.json': {
      Resources: {
        Api: fn('PipelineStack/Dev/Service/Api/Handler/Resource', '../asset.api'),
        Cr: fn('PipelineStack/Dev/Service/Custom::S3AutoDeleteObjectsCustomResourceProvider/Handler', '../asset.cr', {
          Handler: '__entrypoint__.handler',
        }),
        Py: fn('PipelineStack/Dev/Service/Py/Resource', '../asset.api', { Runtime: 'python3.12' }),
      },
    },
    'assembly-Prod/manifest.json': {
      artifacts: {
        ProdService: { type: 'aws:cloudformation:stack', properties: { templateFile: 'ProdService.template.json' } },
      },
    },
    'assembly-Prod/ProdService.template.json': {
      Resources: { Api: fn('PipelineStack/Prod/Service/Api/Handler/Resource', '../asset.api') },
    },
  });

  it('finds the stacks of every nested assembly', () => {
    expect(
      assemblyStacks(dir)
        .map((s) => s.displayName)
        .sort(),
    ).toEqual(['DevService', 'PipelineStack', 'ProdService']);
  });

  it('lists each asset once with every function that runs it, ours before those CDK provides, and skips non-Node.js runtimes', () => {
    const assets = lambdaAssets(dir);
    expect(assets.map((a) => [path.basename(a.handlerFile), a.bundleBytes, a.functions.length, a.cdkProvided])).toEqual(
      [
        ['index.js', 2048, 1, false],
        ['index.mjs', 100, 2, false],
        ['__entrypoint__.js', 1, 1, true],
      ],
    );
    expect(assetLabel(assets[1])).toBe('Service/Api/Handler (+1 more)');
  });

  it('keeps literal environment values and replaces intrinsics with a placeholder', () => {
    const health = lambdaAssets(dir).find((a) => a.handlerFile.endsWith(path.join('asset.health', 'index.js')))!;
    expect(health.functions[0].environment).toEqual({ STAGE: 'dev', TOPIC: PLACEHOLDER_ENV_VALUE });
  });

  it('fails with the directory named when it is not a cloud assembly', () => {
    expect(() => assemblyStacks(path.join(dir, 'asset.api'))).toThrow(
      /asset\.api is not a cloud assembly: it has no manifest\.json/,
    );
  });
});
