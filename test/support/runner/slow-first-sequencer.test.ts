import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Test } from '@jest/test-result';

const dir = mkdtempSync(path.join(tmpdir(), 'sequencer-'));

/** A test file of `size` bytes (padded after its header), as jest hands it to a sequencer, without cached timings. */
function testFile(name: string, header: string, size: number): Test {
  const file = path.join(dir, name);
  writeFileSync(file, `${header}\n${' '.repeat(Math.max(0, size - header.length - 1))}`);
  return {
    path: file,
    duration: undefined,
    context: { config: { cache: false, rootDir: dir }, hasteFS: { getSize: () => size } },
  } as unknown as Test;
}

/** The sequencer, with `timings` standing in for the last run's (milliseconds per file name). */
function sequencer(timings: Record<string, number> = {}): { sort(tests: Test[]): Test[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sequencer = require('./slow-first-sequencer') as new (options: object) => {
    sort(tests: Test[]): Test[];
    time(test: Test): number | undefined;
  };
  const instance = new Sequencer({});
  instance.time = (test: Test) => timings[path.basename(test.path)];
  return instance;
}

const names = (tests: Test[]) => tests.map((t) => path.basename(t.path));

describe('The slow-first test sequencer', () => {
  const files = () => [
    testFile('small.test.ts', 'import x from "y";', 100),
    testFile('gates.test.ts', '/** @slow: runs the gated synth. */', 200),
    testFile('large.test.ts', '// not slow: @slow in a line comment does not count', 900),
    testFile('moto.test.ts', '/**\n * Against moto.\n * @slow: starts moto_server.\n */', 300),
    testFile('mentions.test.ts', '/** About it. */\nit("is not @slow", () => undefined);', 500),
  ];

  it("starts the files marked @slow in their opening docblock first, then jest's order (largest first without timings)", () => {
    expect(names(sequencer().sort(files()))).toEqual([
      'moto.test.ts',
      'gates.test.ts',
      'large.test.ts',
      'mentions.test.ts',
      'small.test.ts',
    ]);
  });

  it("leaves files to jest's order (slowest first) once jest has timed them", () => {
    const timings = {
      'small.test.ts': 9000,
      'gates.test.ts': 30000,
      'large.test.ts': 50,
      'moto.test.ts': 8000,
      'mentions.test.ts': 10,
    };
    expect(names(sequencer(timings).sort(files()))).toEqual([
      'gates.test.ts',
      'small.test.ts',
      'moto.test.ts',
      'large.test.ts',
      'mentions.test.ts',
    ]);
  });
});
