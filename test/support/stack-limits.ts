import { Template } from 'aws-cdk-lib/assertions';

/** CloudFormation's limits on one template. */
export const CFN_LIMITS = { resources: 500, templateBytes: 1_000_000 } as const;

/** Resource count and size in bytes of a synthesized template. */
export function templateSize(template: Template): { resources: number; bytes: number } {
  const json = template.toJSON();
  return { resources: Object.keys(json.Resources ?? {}).length, bytes: Buffer.byteLength(JSON.stringify(json), 'utf8') };
}
