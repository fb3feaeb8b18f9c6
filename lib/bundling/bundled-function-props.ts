import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { LambdaRoom } from '../lambda-entry';
import { lambdaEntry } from '../lambda-entry';
import { esbuildCode } from './esbuild-bundling';

/** Options of {@link bundledFunctionProps}. */
export interface BundledFunctionOptions {
  /** Emit a source map beside the bundle (platform functions do, for readable stack traces). */
  readonly sourceMap: boolean;
}

/**
 * The props every function of the app shares: the entry `lambda/<room>/<name>/index.ts` (located by
 * lambdaEntry), bundled in-process by esbuild with the AWS SDK left to the runtime, on Node.js 22, ARM64.
 * `entry` is kept beside `code` for readers and the one-entry test.
 */
export function bundledFunctionProps(room: LambdaRoom, name: string, options: BundledFunctionOptions) {
  const entry = lambdaEntry(room, name);
  return {
    entry,
    code: esbuildCode({ entry, sourceMap: options.sourceMap }),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
  };
}
