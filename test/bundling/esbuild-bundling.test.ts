import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { esbuildCode, EsbuildBundling, PROJECT_ROOT } from '../../lib/bundling/esbuild-bundling';
import { lambdaEntry } from '../../lib/lambda-entry';

const scratch = () => mkdtempSync(path.join(tmpdir(), 'esbuild-bundling-'));
const bundle = (props: ConstructorParameters<typeof EsbuildBundling>[0]) => {
  const dir = scratch();
  expect(new EsbuildBundling(props).tryBundle(dir)).toBe(true);
  return { dir, files: readdirSync(dir).sort(), read: (f: string) => readFileSync(path.join(dir, f)) };
};

describe('EsbuildBundling', () => {
  const entry = lambdaEntry('platform', 'health-endpoint');

  it('writes the same bytes wherever the output goes, with source map paths relative to the repository', () => {
    const a = bundle({ entry, sourceMap: true });
    const b = bundle({ entry, sourceMap: true });
    expect(a.files).toEqual(['index.js', 'index.js.map']);
    expect(a.read('index.js').equals(b.read('index.js'))).toBe(true);
    expect(a.read('index.js.map').equals(b.read('index.js.map'))).toBe(true);
    const map = JSON.parse(a.read('index.js.map').toString());
    // As NodejsFunction's esbuild run writes them from cdk.out/bundling-temp-*: two levels below the repository.
    expect(map.sources).toContain('../../lambda/platform/health-endpoint/index.ts');
    expect(map.sources.every((s: string) => s.startsWith('../../') && !s.includes(PROJECT_ROOT))).toBe(true);
    expect(a.read('index.js').toString()).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
  });

  it('leaves the AWS SDK to the runtime and writes no map when source maps are off', () => {
    const out = bundle({ entry: lambdaEntry('pipeline', 'stage-health'), sourceMap: false });
    expect(out.files).toEqual(['index.js']);
    const code = out.read('index.js').toString();
    expect(code).toMatch(/require\("@aws-sdk\/client-[a-z-]+"\)/);
    expect(code).not.toContain('sourceMappingURL');
  });

  it('fails naming the entry when esbuild cannot bundle it', () => {
    const dir = scratch();
    const broken = path.join(dir, 'broken.ts');
    writeFileSync(broken, 'export const handler = (;\n');
    expect(() => new EsbuildBundling({ entry: broken, sourceMap: false }).tryBundle(scratch())).toThrow(
      /esbuild could not bundle .*broken\.ts: .*Unexpected/s,
    );
  });

  it('gives different entries different assets and equal entries one asset', () => {
    const stack = new Stack(new App({ outdir: scratch() }), 'S');
    const fn = (id: string, name: string) =>
      new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: esbuildCode({ entry: lambdaEntry('platform', name), sourceMap: false }),
      });
    const hash = (f: lambda.Function) =>
      stack.resolve((f.node.findChild('Code') as unknown as { assetHash: string }).assetHash);
    const [a, b, c] = [fn('A', 'health-endpoint'), fn('B', 'notify'), fn('C', 'health-endpoint')];
    expect(hash(a)).not.toBe(hash(b));
    expect(hash(a)).toBe(hash(c));
  });
});
