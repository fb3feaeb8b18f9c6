import type { Template } from 'aws-cdk-lib/assertions';

/** CloudFormation's hard limits on one template. */
export const CFN_LIMITS = { resources: 500, templateBytes: 1_000_000 } as const;

/** Limits each synthesized template must respect: a margin below CloudFormation's 500 resources, 1 MB and 200 outputs. */
export const TEMPLATE_LIMITS = { resources: 450, bytes: 1024 * 1024, outputs: 180 } as const;

/**
 * What a template breaks of {@link TEMPLATE_LIMITS}, one sentence each; empty when within limits.
 *
 * @param name template name for the messages.
 * @param body the template's JSON text.
 */
export function templateLimitFindings(name: string, body: string, limits = TEMPLATE_LIMITS): string[] {
  const template = JSON.parse(body) as { Resources?: object; Outputs?: object };
  const resources = Object.keys(template.Resources ?? {}).length;
  const outputs = Object.keys(template.Outputs ?? {}).length;
  const bytes = Buffer.byteLength(body, 'utf8');
  const out: string[] = [];
  if (resources > limits.resources)
    out.push(`${name}: ${resources} resources (limit ${limits.resources}); split the stack.`);
  if (bytes > limits.bytes) out.push(`${name}: ${bytes} bytes (limit ${limits.bytes}); split the stack.`);
  if (outputs > limits.outputs) out.push(`${name}: ${outputs} outputs (limit ${limits.outputs}).`);
  return out;
}

/** Resource count and size in bytes of a synthesized template. */
export function templateSize(template: Template): { resources: number; bytes: number } {
  const json = template.toJSON();
  return {
    resources: Object.keys(json.Resources ?? {}).length,
    bytes: Buffer.byteLength(JSON.stringify(json), 'utf8'),
  };
}
