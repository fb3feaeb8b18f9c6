import { writeFileSync } from 'fs';
import * as path from 'path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

/** The repository root: the asset source of every bundle, and esbuild's working directory. */
export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/**
 * Where esbuild is told the bundle goes. Source map `sources` are written relative to it, so they read
 * `../../lambda/...` wherever the checkout and the assembly are: the same bytes, and so the same asset
 * hash, as NodejsFunction's own esbuild run gives in `cdk.out/bundling-temp-*` of a default synth.
 */
const VIRTUAL_OUTFILE = path.join(PROJECT_ROOT, 'cdk.out', 'bundling', 'index.js');

/** Props of {@link EsbuildBundling}. */
export interface EsbuildBundlingProps {
  /** Absolute path of the entry file (see lambdaEntry). */
  readonly entry: string;
  /** Whether to write `index.js.map` beside the bundle and link it. */
  readonly sourceMap: boolean;
  /**
   * Modules left to the Lambda runtime.
   * @default ['@aws-sdk/*'] - the AWS SDK v3 the Node.js runtime provides
   */
  readonly externalModules?: readonly string[];
  /**
   * esbuild target.
   * @default 'node22'
   */
  readonly target?: string;
}

/**
 * Bundles one Lambda entry in-process with esbuild's API: the options NodejsFunction passes to the
 * esbuild CLI (bundle, platform node, minify, externals, target, `index.js`), without spawning
 * `npx esbuild` per function. Its public fields take part in CDK's asset cache key, so two functions
 * share a bundle only when entry and options are equal.
 */
export class EsbuildBundling implements ILocalBundling {
  readonly entry: string;
  readonly sourceMap: boolean;
  readonly externalModules: readonly string[];
  readonly target: string;

  constructor(props: EsbuildBundlingProps) {
    this.entry = props.entry;
    this.sourceMap = props.sourceMap;
    this.externalModules = props.externalModules ?? ['@aws-sdk/*'];
    this.target = props.target ?? 'node22';
  }

  /** Writes `index.js` (and `index.js.map`) into `outputDir`. @throws Error naming the entry when esbuild fails. */
  tryBundle(outputDir: string): boolean {
    let outputs;
    try {
      outputs = buildSync({
        entryPoints: [this.entry],
        absWorkingDir: PROJECT_ROOT,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: this.target,
        minify: true,
        sourcemap: this.sourceMap,
        external: [...this.externalModules],
        outfile: VIRTUAL_OUTFILE,
        write: false,
        logLevel: 'silent',
      }).outputFiles;
    } catch (e) {
      throw new Error(`esbuild could not bundle ${path.relative(PROJECT_ROOT, this.entry)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    for (const file of outputs) writeFileSync(path.join(outputDir, path.basename(file.path)), file.contents);
    return true;
  }
}

/**
 * A Lambda code asset bundled by {@link EsbuildBundling}, hashed by its output: unchanged code keeps
 * its asset hash. Never falls back to Docker: a failed bundle fails the synth with esbuild's message.
 */
export function esbuildCode(props: EsbuildBundlingProps): lambda.Code {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: { image: DockerImage.fromRegistry('unused-local-bundling'), local: new EsbuildBundling(props) },
  });
}
