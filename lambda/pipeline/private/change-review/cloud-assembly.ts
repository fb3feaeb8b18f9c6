import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { Template } from './diff-stacks';

/** One stack of a cloud assembly (nested stage assemblies included). */
export interface AssemblyStack {
  readonly stackName: string;
  /** Account and region from the artifact's environment (`aws://<account>/<region>`). */
  readonly account?: string;
  readonly region?: string;
  readonly templateFile: string;
  /** The stack tags the stack is deployed with. */
  readonly tags: Readonly<Record<string, string>>;
  /** Reads and parses the template. */
  template(): Template;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
    readonly tags?: Record<string, string>;
  };
}

function readManifest(dir: string): Record<string, ManifestArtifact> {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file))
    throw new Error(`${dir} is not a cloud assembly (no manifest.json); run cdk synth or pass --assembly`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return manifest.artifacts ?? {};
}

/** Every stack of the assembly in `dir`, descending into nested assemblies (CDK Pipelines stages). */
export function readAssemblyStacks(dir: string): AssemblyStack[] {
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(readManifest(dir))) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readAssemblyStacks(path.join(dir, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const templateFile = path.join(dir, artifact.properties.templateFile);
      const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
      stacks.push({
        stackName: artifact.properties.stackName ?? id,
        account: env?.[1],
        region: env?.[2],
        templateFile,
        tags: artifact.properties.tags ?? {},
        template: () => JSON.parse(readFileSync(templateFile, 'utf8')) as Template,
      });
    }
  }
  return stacks;
}

/**
 * The stacks named `stackNames` that deploy to `account`, in the order given.
 * @throws Error naming every stack the assembly lacks (a review of an assembly that is not this execution's would mislead).
 */
export function stageStacks(dir: string, stackNames: readonly string[], account: string): AssemblyStack[] {
  const all = readAssemblyStacks(dir).filter(
    (s) => s.account === undefined || s.account === account || s.account === 'unknown-account',
  );
  const missing = stackNames.filter((n) => !all.some((s) => s.stackName === n));
  if (missing.length)
    throw new Error(`the cloud assembly ${dir} has no stack ${missing.join(', ')} for account ${account}`);
  return stackNames.map((n) => all.find((s) => s.stackName === n)!);
}
