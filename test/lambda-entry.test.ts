import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { AssetStaging } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EsbuildBundling } from '../lib/bundling/esbuild-bundling';
import { loadConfig } from '../lib/config';
import { CHANGE_REVIEW_BUNDLE_COMMANDS } from '../lib/pipeline/change-review/change-review-step';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import type { LambdaRoom } from '../lib/lambda-entry';
import { LAMBDA_ROOMS, lambdaEntry } from '../lib/lambda-entry';
import { SELF_MUTATION_GUARD_ENTRY } from '../lib/pipeline/self-mutation/self-mutation-guard';
import { createPlatformStage } from '../stages/platform-stage';
import { defaultContext } from './support/context';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

const REPO = path.join(__dirname, '..');

/** A NodejsFunction the app creates: its path, the entry it was given (undefined: CDK's default beside the defining file), and the directory of the code asset it deploys. */
interface Created {
  readonly path: string;
  readonly entry: string | undefined;
  readonly asset: string;
}

/** Every NodejsFunction the app creates. */
const created: Created[] = [];

/** While it runs, `build` sees a NodejsFunction that records each function it creates in {@link created}. */
function recordingFunctions(build: () => void): void {
  const Actual = nodejs.NodejsFunction;
  class RecordingNodejsFunction extends Actual {
    constructor(scope: Construct, id: string, props?: nodejs.NodejsFunctionProps) {
      super(scope, id, props);
      // The function's code asset (CDK deploys `code` when it is set, and ignores `entry` then), staged, so bundled, at construction.
      const staging = this.node.findChild('Code').node.findChild('Stage') as AssetStaging;
      created.push({ path: this.node.path, entry: props?.entry, asset: staging.absoluteStagedPath });
    }
  }
  // The app's modules read `NodejsFunction` from aws-cdk-lib's module object (this very object, a
  // configurable property there) at each `new`, so swapping that property swaps the class they build with.
  const original = Object.getOwnPropertyDescriptor(nodejs, 'NodejsFunction')!;
  Object.defineProperty(nodejs, 'NodejsFunction', {
    configurable: true,
    enumerable: true,
    value: RecordingNodejsFunction,
  });
  try {
    build();
  } finally {
    Object.defineProperty(nodejs, 'NodejsFunction', original);
  }
}

/** The function folders on disk: lambda/<room>/<name>/index.ts. */
function entriesOnDisk(): string[] {
  return LAMBDA_ROOMS.flatMap((room) =>
    readdirSync(path.join(REPO, 'lambda', room), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(REPO, 'lambda', room, d.name, 'index.ts')))
      .map((d) => `lambda/${room}/${d.name}/index.ts`),
  );
}

describe('lambdaEntry', () => {
  it.each([
    ['platform', 'health-endpoint'],
    ['pipeline', 'stage-health'],
  ] as Array<[LambdaRoom, string]>)('resolves %s/%s to lambda/<room>/<name>/index.ts', (room, name) => {
    const entry = lambdaEntry(room, name);
    expect(path.relative(REPO, entry)).toBe(path.join('lambda', room, name, 'index.ts'));
    expect(existsSync(entry)).toBe(true);
  });

  it('throws naming the path when the entry does not exist', () => {
    expect(() => lambdaEntry('platform', 'no-such-function')).toThrow(
      'lambda/platform/no-such-function/index.ts does not exist',
    );
    // The check function's folder is in the pipeline room, not the platform's.
    expect(() => lambdaEntry('platform', 'stage-health')).toThrow(
      'lambda/platform/stage-health/index.ts does not exist',
    );
  });

  it('rejects a room or folder that cannot hold a function', () => {
    expect(() => lambdaEntry('checks' as LambdaRoom, 'dr-check')).toThrow(
      /room "checks" is not accepted; expected one of platform, pipeline/,
    );
    expect(() => lambdaEntry('platform', 'shared')).toThrow(/name "shared" is not a function folder/);
    expect(() => lambdaEntry('pipeline', 'private')).toThrow(/name "private" is not a function folder/);
    expect(() => lambdaEntry('platform', '../pipeline/dr-check')).toThrow(/is not a function folder/);
  });
});

/** The bundle esbuild makes of `entry` (as every function is bundled), `index.js`, once per entry and source map setting. */
const bundles = new Map<string, Buffer>();
function bundleOf(entry: string, sourceMap: boolean): Buffer {
  const key = `${entry} ${sourceMap}`;
  if (!bundles.has(key)) {
    const dir = mkdtempSync(path.join(tmpdir(), 'entry-bundle-'));
    new EsbuildBundling({ entry, sourceMap }).tryBundle(dir);
    bundles.set(key, readFileSync(path.join(dir, 'index.js')));
  }
  return bundles.get(key)!;
}

/** Repository-relative path with forward slashes. */
const relative = (file: string) => path.relative(REPO, file).split(path.sep).join('/');

describe('one entry convention', () => {
  beforeAll(() => {
    created.length = 0;
    // The whole app's construct tree, with bundling: each function's code asset is bundled as the pipeline's synth bundles it.
    const app = new App({ context: defaultContext(), outdir: mkdtempSync(path.join(tmpdir(), 'entry-app-')) });
    recordingFunctions(
      () =>
        new PipelineStack(app, 'PipelineStack', {
          config: loadConfig(app.node.getAllContext()),
          stageFactory: createPlatformStage,
        }),
    );
  });

  it('gives every NodejsFunction of the app an entry lambda/<room>/<name>/index.ts', () => {
    expect(created.length).toBeGreaterThan(0);
    const wrong = created
      .map(({ path: at, entry }) => ({ at, entry: entry && relative(entry) }))
      .filter(({ entry }) => !entry || !/^lambda\/(platform|pipeline)\/[a-z0-9-]+\/index\.ts$/.test(entry));
    expect(wrong).toEqual([]);
  });

  it('deploys in every function the bundle of its own entry, not of another file', () => {
    const wrong = created
      .filter(({ entry, asset }) => {
        const deployed = readFileSync(path.join(asset, 'index.js'));
        return !deployed.equals(bundleOf(entry!, existsSync(path.join(asset, 'index.js.map'))));
      })
      .map(({ path: at, entry }) => `${at} (entry ${relative(entry!)})`);
    expect(wrong).toEqual([]);
    // Functions of different entries deploy different bundles.
    const byBundle = new Map(
      created.map(({ entry, asset }) => [readFileSync(path.join(asset, 'index.js')).toString(), entry]),
    );
    expect(byBundle.size).toBe(new Set(created.map(({ entry }) => entry)).size);
  });

  it('uses every function folder on disk, so no handler is left behind under another convention', () => {
    const used = new Set(created.map(({ entry }) => relative(entry!)));
    // The change review runs in CodeBuild, not Lambda: the Build action bundles its entry (same convention).
    for (const command of CHANGE_REVIEW_BUNDLE_COMMANDS)
      for (const m of command.match(/lambda\/\S+\/index\.ts/g) ?? []) used.add(m);
    // The self-mutation guard runs in CodeBuild too: synth bundles it into the SelfMutate buildspec.
    used.add(relative(SELF_MUTATION_GUARD_ENTRY));
    expect([...used].sort()).toEqual(entriesOnDisk().sort());
  });

  it('leaves no handler.ts under lambda/', () => {
    const handlerFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory()
          ? handlerFiles(path.join(dir, d.name))
          : d.name === 'handler.ts'
            ? [path.relative(REPO, path.join(dir, d.name))]
            : [],
      );
    expect(handlerFiles(path.join(REPO, 'lambda'))).toEqual([]);
  });
});
