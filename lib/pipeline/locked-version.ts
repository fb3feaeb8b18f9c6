import { readFileSync } from 'fs';
import * as path from 'path';

/** Default location of the lock file that pins the CDK tools. */
export const PACKAGE_LOCK = path.join(__dirname, '..', '..', 'package-lock.json');

/**
 * The exact version package-lock.json pins for an npm package (a top-level dependency). The pipeline
 * installs its CLIs at run time at these versions, so it never runs a tool newer (or older) than the
 * one tested here.
 *
 * @throws Error naming the package and the lock file when the lock file does not pin it.
 */
export function lockedVersion(packageName: string, lockPath = PACKAGE_LOCK): string {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages?: Record<string, { version?: string }> };
  const version = lock.packages?.[`node_modules/${packageName}`]?.version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `${lockPath} does not pin ${packageName} (packages["node_modules/${packageName}"].version); add it to package.json and run npm install.`,
    );
  }
  return version;
}

/** The aws-cdk CLI version package-lock.json pins (the pipeline's self-mutation step runs it). */
export function lockedCdkCliVersion(lockPath = PACKAGE_LOCK): string {
  return lockedVersion('aws-cdk', lockPath);
}

/** The cdk-assets version package-lock.json pins (the pipeline's Assets step runs it). */
export function lockedCdkAssetsVersion(lockPath = PACKAGE_LOCK): string {
  return lockedVersion('cdk-assets', lockPath);
}
