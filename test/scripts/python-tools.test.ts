import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { PYTHON_TOOLS_INSTALL_COMMAND, pythonTool } from '../../support/python-tools';

const ROOT = path.join(__dirname, '..', '..');
const STEP = path.join(ROOT, 'scripts', 'python-tools.sh');

/** The tools the build and the tests call: requirements-dev.in names them, requirements-dev.txt pins their closure. */
const ROOTS = ['cfn-lint', 'moto[server]'];

/** A distribution name as pip compares it (PEP 503). */
const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The requirement lines of a pip-compile output: `name==version`, without comments, hashes and continuations. */
function requirementLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+--hash=/)[0]);
}

/** Python: the dependency closure of the roots, as installed (markers evaluated here, extras followed). */
const CLOSURE_SNIPPET = `
import json, re, sys, importlib.metadata as md
from packaging.requirements import Requirement
seen, todo = {}, [Requirement(r) for r in json.loads(sys.argv[1])]
while todo:
    req = todo.pop()
    key = re.sub(r'[-_.]+', '-', req.name).lower()
    extras = set(req.extras)
    if key in seen and extras <= seen[key]:
        continue
    seen[key] = seen.get(key, set()) | extras
    for r in md.distribution(req.name).requires or []:
        dep = Requirement(r)
        if dep.marker is None or any(dep.marker.evaluate({'extra': e}) for e in [''] + sorted(seen[key])):
            todo.append(dep)
print(json.dumps(sorted(seen)))
`;

/** Python: the installed version of each distribution named in argv[1] (JSON), by name. */
const VERSIONS_SNIPPET =
  'import json, sys, importlib.metadata as md; print(json.dumps({n: md.version(n) for n in json.loads(sys.argv[1])}))';

describe('requirements-dev.txt', () => {
  const lines = requirementLines(path.join(ROOT, 'requirements-dev.txt'));
  const pins = new Map(lines.map((line) => [normalize(line.split('==')[0]), line.split('==')[1]]));

  it('pins every requirement exactly, compiled from requirements-dev.in, which names the two tools', () => {
    expect(lines.filter((line) => !/^[A-Za-z0-9][\w.-]*==[\w.!+-]+$/.test(line))).toEqual([]);
    expect(requirementLines(path.join(ROOT, 'requirements-dev.in')).map((l) => l.split('==')[0])).toEqual(ROOTS);
  });

  it("pins the whole dependency closure of cfn-lint and moto[server], and nothing else but setuptools (pip-compile's unsafe package)", () => {
    const run = spawnSync(pythonTool('python3'), ['-c', CLOSURE_SNIPPET, JSON.stringify(ROOTS)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const closure: string[] = JSON.parse(run.stdout);
    expect(closure).toContain('setuptools');
    expect([...pins.keys()].sort()).toEqual(closure.filter((name) => name !== 'setuptools'));
  });

  it('pins exactly the versions the tests run with', () => {
    const run = spawnSync(pythonTool('python3'), ['-c', VERSIONS_SNIPPET, JSON.stringify([...pins.keys()])], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(new Map(Object.entries(JSON.parse(run.stdout)))).toEqual(pins);
  });
});

describe("npm test's first step (scripts/python-tools.sh)", () => {
  it('finds the pinned tools where they are and installs nothing', () => {
    const run = spawnSync('sh', [STEP], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('installs into .venv/ when the tools are missing there, and stops with the one command when that fails', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'python-tools-'));
    mkdirSync(path.join(dir, 'scripts'));
    copyFileSync(STEP, path.join(dir, 'scripts', 'python-tools.sh'));
    writeFileSync(path.join(dir, 'requirements-dev.txt'), 'cfn-lint==0.0.1\n');
    // A .venv/ whose Python has nothing and whose pip fails, as one does without a package index.
    mkdirSync(path.join(dir, '.venv', 'bin'), { recursive: true });
    const python = path.join(dir, '.venv', 'bin', 'python');
    writeFileSync(python, '#!/bin/sh\necho "$@" >> "$(dirname "$0")/calls"\nexit 1\n');
    chmodSync(python, 0o755);
    const run = spawnSync('sh', [path.join(dir, 'scripts', 'python-tools.sh')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('Python tools: installing requirements-dev.txt into .venv/\n');
    expect(run.stderr).toContain(PYTHON_TOOLS_INSTALL_COMMAND);
    const calls = readFileSync(path.join(dir, '.venv', 'bin', 'calls'), 'utf8')
      .trim()
      .split('\n');
    expect(calls.at(-1)).toBe('-m pip install --quiet -r requirements-dev.txt');
  });
});
