import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ensurePythonTools, missingPins, Runner } from '../../scripts/ensure-python-tools';
import {
  normalizeDistName,
  PYTHON_TOOLS_INSTALL_COMMAND,
  pythonTool,
  readPythonPins,
} from '../../support/python-tools';

/** The tools the build and the tests call; requirements-dev.txt must pin them and everything they need. */
const ROOTS = ['cfn-lint', 'moto[server]'];

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

describe('requirements-dev.txt', () => {
  const pins = readPythonPins();

  it('pins the whole dependency closure of cfn-lint and moto[server], and nothing else', () => {
    const run = spawnSync(pythonTool('python3'), ['-c', CLOSURE_SNIPPET, JSON.stringify(ROOTS)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const closure: string[] = JSON.parse(run.stdout);
    expect(closure.length).toBeGreaterThan(ROOTS.length);
    expect([...pins.keys()].sort()).toEqual(closure);
  });

  it('pins exactly the versions the tests run with', () => {
    expect(missingPins(pythonTool('python3'), pins)).toEqual([]);
  });

  it('accepts only exact pins', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'req-')), 'requirements.txt');
    writeFileSync(file, '# tools\ncfn-lint==1.51.0\nmoto>=5\n');
    expect(() => readPythonPins(file)).toThrow(`${file}:3: "moto>=5" is not an exact pin; expected name==version`);
  });
});

describe('missingPins()', () => {
  it('names a pinned package installed at another version, and one not installed', () => {
    const fake = new Map([
      ['cfn-lint', '0.0.1'],
      [normalizeDistName('not_a_real_dist'), '1.0'],
    ]);
    expect(missingPins(pythonTool('python3'), fake)).toEqual([
      expect.stringMatching(/^cfn-lint==0\.0\.1 \(found \d+\.\d+\.\d+\)$/),
      'not-a-real-dist==1.0 (not installed)',
    ]);
  });

  it('names a tool module the interpreter cannot find', () => {
    // GIVEN python3 without its site-packages (-S), where cfn-lint and moto are installed
    const withoutSitePackages: Runner = (command, args) => {
      const run = spawnSync(command, ['-S', ...args], { encoding: 'utf8' });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    expect(missingPins(pythonTool('python3'), new Map(), withoutSitePackages)).toEqual([
      'import cfnlint failed: module not found',
      'import moto.server failed: module not found',
    ]);
  });
});

describe('ensurePythonTools()', () => {
  const requirements = path.join(mkdtempSync(path.join(tmpdir(), 'req-')), 'requirements-dev.txt');
  writeFileSync(requirements, 'cfn-lint==1.51.0\n');
  const satisfied = JSON.stringify({});
  const lacking = JSON.stringify({ 'cfn-lint': null });

  /** A runner that answers the check with `checks` in turn and each other command with `status`. */
  function runner(
    checks: string[],
    status: (command: string, args: readonly string[]) => number,
  ): { run: Runner; calls: string[] } {
    const calls: string[] = [];
    const run: Runner = (command, args) => {
      if (args[0] === '-c') return { status: 0, stdout: checks.shift() ?? satisfied, stderr: '' };
      calls.push([command, ...args].join(' '));
      const code = status(command, args);
      return {
        status: code,
        stdout: '',
        stderr: code === 0 ? '' : 'ERROR: Could not find a version that satisfies the requirement cfn-lint==1.51.0',
      };
    };
    return { run, calls };
  }

  it('uses the system python3 when it has every pin, and creates no environment', () => {
    const venv = path.join(mkdtempSync(path.join(tmpdir(), 'venv-')), '.venv');
    const { run, calls } = runner([satisfied], () => 0);
    expect(ensurePythonTools({ venv, requirements, run, log: () => undefined })).toBe('system');
    expect(calls).toEqual([]);
  });

  it('otherwise creates .venv and installs the pinned set into it', () => {
    const venv = path.join(mkdtempSync(path.join(tmpdir(), 'venv-')), '.venv');
    const { run, calls } = runner([lacking, satisfied], () => 0);
    expect(ensurePythonTools({ venv, requirements, run, log: () => undefined })).toBe('venv (installed now)');
    expect(calls).toEqual([
      `python3 -m venv ${venv}`,
      expect.stringMatching(new RegExp(`^${venv}/bin/python -m pip install .*-r ${requirements}$`)),
    ]);
  });

  it('stops with the one install command when pip cannot install', () => {
    const venv = path.join(mkdtempSync(path.join(tmpdir(), 'venv-')), '.venv');
    const { run } = runner([lacking], (_c, args) => (args.includes('pip') ? 1 : 0));
    expect(() => ensurePythonTools({ venv, requirements, run, log: () => undefined })).toThrow(
      `pip install failed: ERROR: Could not find a version that satisfies the requirement cfn-lint==1.51.0\nInstall them with this command, from the repository root, then run npm test again:\n  ${PYTHON_TOOLS_INSTALL_COMMAND}`,
    );
  });
});
