import { existsSync, readdirSync } from 'fs';
import * as path from 'path';
import { CHANGE_REVIEW_BUNDLE_COMMANDS } from '../lib/pipeline/change-review/change-review-step';
import { LAMBDA_ROOMS, lambdaEntry, LambdaRoom } from '../lib/lambda-entry';

const REPO = path.join(__dirname, '..');

// Every NodejsFunction the app creates records the entry it was given (undefined: CDK's default beside the defining file).
const mockEntries: Array<{ path: string; entry: string | undefined }> = [];
jest.mock('aws-cdk-lib/aws-lambda-nodejs', () => {
  const actual = jest.requireActual('aws-cdk-lib/aws-lambda-nodejs');
  class RecordingNodejsFunction extends actual.NodejsFunction {
    constructor(scope: any, id: string, props?: { entry?: string }) {
      super(scope, id, props);
      mockEntries.push({ path: this.node.path, entry: props?.entry });
    }
  }
  return { ...actual, NodejsFunction: RecordingNodejsFunction };
});
// Required after jest.mock, which the test transform does not hoist, so the app's constructs get the recording class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthApp } = require('./support/synth') as typeof import('./support/synth');

/** The function folders on disk: lambda/<room>/<name>/index.ts. */
function entriesOnDisk(): string[] {
  return LAMBDA_ROOMS.flatMap((room) => readdirSync(path.join(REPO, 'lambda', room), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(REPO, 'lambda', room, d.name, 'index.ts')))
    .map((d) => `lambda/${room}/${d.name}/index.ts`));
}

describe('lambdaEntry', () => {
  it.each([['platform', 'health-endpoint'], ['pipeline', 'stage-health']] as Array<[LambdaRoom, string]>)(
    'resolves %s/%s to lambda/<room>/<name>/index.ts', (room, name) => {
      const entry = lambdaEntry(room, name);
      expect(path.relative(REPO, entry)).toBe(path.join('lambda', room, name, 'index.ts'));
      expect(existsSync(entry)).toBe(true);
    });

  it('throws naming the path when the entry does not exist', () => {
    expect(() => lambdaEntry('platform', 'no-such-function')).toThrow('lambda/platform/no-such-function/index.ts does not exist');
    // The check function's folder is in the pipeline room, not the platform's.
    expect(() => lambdaEntry('platform', 'stage-health')).toThrow('lambda/platform/stage-health/index.ts does not exist');
  });

  it('rejects a room or folder that cannot hold a function', () => {
    expect(() => lambdaEntry('checks' as LambdaRoom, 'dr-check')).toThrow(/room "checks" is not accepted; expected one of platform, pipeline/);
    expect(() => lambdaEntry('platform', 'shared')).toThrow(/name "shared" is not a function folder/);
    expect(() => lambdaEntry('pipeline', 'private')).toThrow(/name "private" is not a function folder/);
    expect(() => lambdaEntry('platform', '../pipeline/dr-check')).toThrow(/is not a function folder/);
  });
});

describe('one entry convention', () => {
  beforeAll(() => {
    mockEntries.length = 0;
    synthApp().app; // builds the whole app's construct tree, which records every function's entry
  });

  it('gives every NodejsFunction of the app an entry lambda/<room>/<name>/index.ts', () => {
    expect(mockEntries.length).toBeGreaterThan(0);
    const wrong = mockEntries
      .map(({ path: at, entry }) => ({ at, entry: entry && path.relative(REPO, entry).split(path.sep).join('/') }))
      .filter(({ entry }) => !entry || !/^lambda\/(platform|pipeline)\/[a-z0-9-]+\/index\.ts$/.test(entry));
    expect(wrong).toEqual([]);
  });

  it('uses every function folder on disk, so no handler is left behind under another convention', () => {
    const used = new Set(mockEntries.map(({ entry }) => path.relative(REPO, entry!).split(path.sep).join('/')));
    // The change review runs in CodeBuild, not Lambda: the Build action bundles its entry (same convention).
    for (const command of CHANGE_REVIEW_BUNDLE_COMMANDS) for (const m of command.match(/lambda\/\S+\/index\.ts/g) ?? []) used.add(m);
    expect([...used].sort()).toEqual(entriesOnDisk().sort());
  });

  it('leaves no handler.ts under lambda/', () => {
    const handlerFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? handlerFiles(path.join(dir, d.name)) : d.name === 'handler.ts' ? [path.relative(REPO, path.join(dir, d.name))] : []);
    expect(handlerFiles(path.join(REPO, 'lambda'))).toEqual([]);
  });
});
