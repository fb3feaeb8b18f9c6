import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The repository's TypeScript files and the repository files each one imports by relative path. */
export interface ImportGraph {
  /** Repository root the paths are relative to. */
  readonly root: string;
  /** Every `.ts` file found, relative to {@link root}, with the relative files it imports (static, dynamic, `require`, `export ... from`). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

/** The repository's source directories, every one that holds TypeScript. */
export const SOURCE_DIRS: readonly string[] = [
  'bin',
  'contracts',
  'lib',
  'stages',
  'lambda',
  'support',
  'scripts',
  'bench',
  'test',
];

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * Reads the imports of every `.ts` file below `dirs` of `root`. Only relative imports are followed
 * (packages are not part of the repository).
 */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const imports = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => tsFiles(path.join(root, d)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((s) => s.startsWith('.'))
      .flatMap((s) => resolve(file, s) ?? [])
      .map((t) => path.relative(root, t));
    imports.set(path.relative(root, file), targets);
  }
  return { root, imports };
}

/** Files reachable from `entry` (relative to the graph's root) through imports, `entry` included. */
export function reachableFrom(graph: ImportGraph, entry: string): Set<string> {
  if (!graph.imports.has(entry)) throw new Error(`${entry} is not in the import graph of ${graph.root}`);
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...(graph.imports.get(file) ?? []));
  }
  return seen;
}

/** `file imports target` lines for every import from a file below one of `fromDirs` into a file below one of `intoDirs`. */
export function importsAcross(graph: ImportGraph, fromDirs: readonly string[], intoDirs: readonly string[]): string[] {
  const under = (file: string, dirs: readonly string[]) => dirs.some((d) => file.startsWith(`${d}/`));
  return [...graph.imports].flatMap(([file, targets]) =>
    under(file, fromDirs) ? targets.filter((t) => under(t, intoDirs)).map((t) => `${file} imports ${t}`) : [],
  );
}

/** Who imports `target`, for a failure message. */
export function importersOf(graph: ImportGraph, target: string): string[] {
  return [...graph.imports].filter(([, targets]) => targets.includes(target)).map(([file]) => file);
}
