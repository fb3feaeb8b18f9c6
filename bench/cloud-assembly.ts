import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import type { CfnTemplate } from '../support/cfn-pipeline';

/** One stack of a synthesized cloud assembly (nested stage assemblies included). */
export interface AssemblyStack {
  /** Artifact id in its manifest. */
  readonly id: string;
  /** Display name, for example `PipelineStack/Dev/Service`. */
  readonly displayName: string;
  /** Directory of the assembly that holds the stack. */
  readonly assemblyDir: string;
  /** The stack's template. */
  readonly template: CfnTemplate & { readonly Resources?: Record<string, CfnResource> };
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string };
}

/**
 * Every stack in the cloud assembly at `outdir`, descending into nested assemblies (CDK stages).
 *
 * @throws Error naming the directory when it holds no manifest.json.
 */
export function assemblyStacks(outdir: string): AssemblyStack[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${outdir} is not a cloud assembly: it has no manifest.json.`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]): AssemblyStack[] => {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      return assemblyStacks(path.join(outdir, artifact.properties.directoryName));
    }
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const template = JSON.parse(readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
      return [{ id, displayName: artifact.displayName ?? id, assemblyDir: outdir, template }];
    }
    return [];
  });
}

/** A Node.js Lambda function of the assembly. */
export interface LambdaFunctionRef {
  /** Construct path, for example `PipelineStack/Dev/Service/Api/Handler/Resource`. */
  readonly constructPath: string;
  /** Literal environment variables from the template (intrinsics replaced by a placeholder). */
  readonly environment: Readonly<Record<string, string>>;
}

/** One Lambda code asset (several functions, for example one per stage, may share it). */
export interface LambdaAsset {
  /** Directory of the staged asset. */
  readonly assetDir: string;
  /** The handler's module file inside it (for example `index.js`). */
  readonly handlerFile: string;
  /** Size of the handler module file, in bytes. */
  readonly bundleBytes: number;
  /** The functions that run this code. */
  readonly functions: readonly LambdaFunctionRef[];
  /** Whether the code is a handler CDK itself provides (custom resource providers and the like). */
  readonly cdkProvided: boolean;
}

/** Construct paths of handlers that CDK (not this project) writes. */
const CDK_PROVIDED =
  /Custom::|CustomResourceProvider|\/framework-on|AWS679f53fac002430cb0da5b7982bd2287|LogRetention[0-9a-f]{8}|BucketNotificationsHandler|SingletonLambda/;

/** Placeholder for an environment value the template leaves as an intrinsic. */
export const PLACEHOLDER_ENV_VALUE = 'bench-placeholder';

function literalEnvironment(properties: Record<string, unknown> | undefined): Record<string, string> {
  const vars = (properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [
      k,
      typeof v === 'string' || typeof v === 'number' ? String(v) : PLACEHOLDER_ENV_VALUE,
    ]),
  );
}

function handlerModule(assetDir: string, handler: unknown): string | undefined {
  if (typeof handler !== 'string' || !handler.includes('.')) return undefined;
  const base = handler.slice(0, handler.lastIndexOf('.'));
  return ['.js', '.mjs', '.cjs'].map((ext) => path.join(assetDir, base + ext)).find((file) => existsSync(file));
}

/** The Node.js Lambda code assets of the assembly at `outdir`, one entry per asset directory. */
export function lambdaAssets(outdir: string): LambdaAsset[] {
  const byDir = new Map<string, { handlerFile: string; functions: LambdaFunctionRef[] }>();
  for (const stack of assemblyStacks(outdir)) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const runtime = resource.Properties?.Runtime;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string' || (typeof runtime === 'string' && !runtime.startsWith('nodejs'))) continue;
      const assetDir = path.resolve(stack.assemblyDir, assetPath);
      const handlerFile = handlerModule(assetDir, resource.Properties?.Handler);
      if (!handlerFile) continue;
      const constructPath = String(resource.Metadata?.['aws:cdk:path'] ?? `${stack.displayName}/${logicalId}`);
      const entry = byDir.get(assetDir) ?? { handlerFile, functions: [] };
      entry.functions.push({ constructPath, environment: literalEnvironment(resource.Properties) });
      byDir.set(assetDir, entry);
    }
  }
  return [...byDir.entries()]
    .map(([assetDir, { handlerFile, functions }]) => ({
      assetDir,
      handlerFile,
      bundleBytes: statSync(handlerFile).size,
      functions,
      cdkProvided: functions.every((f) => CDK_PROVIDED.test(f.constructPath)),
    }))
    .sort(
      (a, b) =>
        Number(a.cdkProvided) - Number(b.cdkProvided) ||
        a.functions[0].constructPath.localeCompare(b.functions[0].constructPath),
    );
}

/** A short name for an asset: its first function's construct path without the stage prefix, and how many share it. */
export function assetLabel(asset: LambdaAsset): string {
  const first = asset.functions[0].constructPath.replace(/\/Resource$/, '');
  const parts = first.split('/');
  const short = parts.length > 3 ? parts.slice(-3).join('/') : first;
  return asset.functions.length > 1 ? `${short} (+${asset.functions.length - 1} more)` : short;
}
