// Jest test sequencer: jest's own order (files that failed last run first, then the slowest by the
// last run's timings, and with no timings the largest file first), except that a file with `@slow`
// in its opening docblock starts first while jest has no timing for it. A fresh clone (CI) has no
// timings, and the file that runs the gated synth for half a minute must not start near the end.
const { readFileSync } = require('fs');
const Sequencer = require('@jest/test-sequencer').default;

const SLOW_PRAGMA = /^\s*\/\*\*(?:(?!\*\/)[\s\S])*?@slow\b/;

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const slow = new Set(
      sorted.filter((t) => t.duration == null && SLOW_PRAGMA.test(readFileSync(t.path, 'utf8').slice(0, 4000))),
    );
    return [...sorted.filter((t) => slow.has(t)), ...sorted.filter((t) => !slow.has(t))];
  }
}

module.exports = SlowFirstSequencer;
