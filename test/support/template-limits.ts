/** Limits each synthesized template must respect; CloudFormation's hard limits are 500 / 1 MB / 200. */
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
  if (resources > limits.resources) out.push(`${name}: ${resources} resources (limit ${limits.resources}); split the stack.`);
  if (bytes > limits.bytes) out.push(`${name}: ${bytes} bytes (limit ${limits.bytes}); split the stack.`);
  if (outputs > limits.outputs) out.push(`${name}: ${outputs} outputs (limit ${limits.outputs}).`);
  return out;
}
