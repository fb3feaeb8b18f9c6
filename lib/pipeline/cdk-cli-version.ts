import { readFileSync } from 'fs';
import * as path from 'path';

/** Default location of the lock file that pins the CDK CLI. */
export const PACKAGE_LOCK = path.join(__dirname, '..', '..', 'package-lock.json');

/**
 * The aws-cdk CLI version that package-lock.json pins. The pipeline's self-mutation and
 * asset steps use it, so the pipeline never runs a CLI newer (or older) than the one tested here.
 *
 * @throws Error when the lock file does not pin aws-cdk.
 */
export function lockedCdkCliVersion(lockPath = PACKAGE_LOCK): string {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages?: Record<string, { version?: string }> };
  const version = lock.packages?.['node_modules/aws-cdk']?.version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`${lockPath} does not pin the aws-cdk CLI (packages["node_modules/aws-cdk"].version); run npm install.`);
  }
  return version;
}
