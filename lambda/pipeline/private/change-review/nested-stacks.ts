import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import type { CallOptions } from '../aws-call';
import { CheckFailure } from '../aws-call';
import { listStackResources, readTemplate } from './deployed-template';
import type { Template } from './diff-stacks';

/** The resource type of a nested stack. */
export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

type Resources = Record<string, { Type?: unknown; Metadata?: Record<string, unknown>; Properties?: unknown }>;

/** Logical ids of the nested stacks a template declares. */
export function nestedStackIds(template: Template | undefined): string[] {
  const resources = (template?.Resources ?? {}) as Resources;
  return Object.keys(resources).filter((id) => resources[id]?.Type === NESTED_STACK_TYPE);
}

/** The asset manifests (`*.assets.json`) of an assembly directory: asset hash to the file it was built from. */
function assetSources(dir: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      files?: Record<string, { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }>;
    };
    for (const [hash, asset] of Object.entries(manifest.files ?? {})) {
      if (!asset.source?.path) continue;
      sources.set(hash, asset.source.path);
      for (const d of Object.values(asset.destinations ?? {}))
        if (d.objectKey) sources.set(d.objectKey, asset.source.path);
    }
  }
  return sources;
}

/**
 * The template in the cloud assembly of each nested stack `template` declares: the file its `aws:asset:path`
 * metadata names, else the file the stack's asset manifest publishes to the object its `TemplateURL` points to
 * (CDK's NestedStack publishes its template as a file asset).
 *
 * @param dir the directory of the assembly that holds `template` (nested stack templates sit beside it).
 * @param label the stack's name, for a failure.
 * @throws CheckFailure naming a nested stack whose template the assembly does not hold: the review never passes a
 *   nested stack it cannot see into.
 */
export function synthesizedNestedTemplates(template: Template, dir: string, label: string): Map<string, Template> {
  const resources = (template.Resources ?? {}) as Resources;
  const out = new Map<string, Template>();
  let sources: Map<string, string> | undefined;
  for (const id of nestedStackIds(template)) {
    let file = resources[id].Metadata?.['aws:asset:path'];
    if (typeof file !== 'string') {
      sources ??= assetSources(dir);
      const key = /([0-9a-f]{64}\.json)/.exec(JSON.stringify(resources[id].Properties ?? {}))?.[1];
      file = key ? (sources.get(key) ?? sources.get(key.replace(/\.json$/, ''))) : undefined;
    }
    const full = typeof file === 'string' ? path.join(dir, file) : undefined;
    if (!full || !existsSync(full))
      throw new CheckFailure(
        `the nested stack ${label}/${id} has no template in the cloud assembly (neither aws:asset:path metadata nor an asset for its TemplateURL); the review cannot see what it holds`,
      );
    out.set(id, JSON.parse(readFileSync(full, 'utf8')) as Template);
  }
  return out;
}

/** A deployed nested stack: its stack id and template. */
export interface DeployedNestedStack {
  readonly stackId: string;
  readonly template: Template;
}

/**
 * The deployed template of each nested stack of a deployed stack: its physical id (the nested stack's id, from
 * ListStackResources) read with GetTemplate. A nested stack the template declares but CloudFormation does not hold
 * (never created, or already deleted) is absent from the result.
 *
 * @param stackId the parent stack's name or id; `label` names it in a failure.
 */
export async function deployedNestedTemplates(
  client: CloudFormationClient,
  stackId: string,
  template: Template,
  label: string,
  options?: CallOptions,
): Promise<Map<string, DeployedNestedStack>> {
  const out = new Map<string, DeployedNestedStack>();
  const ids = nestedStackIds(template);
  if (!ids.length) return out;
  const resources = await listStackResources(client, stackId, options, label);
  for (const id of ids) {
    const physicalId = resources.find((r) => r.logicalId === id && r.type === NESTED_STACK_TYPE)?.physicalId;
    if (!physicalId) continue;
    out.set(id, { stackId: physicalId, template: await readTemplate(client, physicalId, options, `${label}/${id}`) });
  }
  return out;
}
