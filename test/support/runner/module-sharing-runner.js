// Jest runner: runs the test files in long-lived Node.js processes (one per jest worker) that keep
// their module cache from one file to the next, so aws-cdk-lib, cdk-monitoring-constructs and the
// app's own modules load once per process, not once per file. Each file is still imported afresh
// and runs on jest-circus's fresh state (jest-light-runner's worker does that), and the worker puts
// back process.env, the cwd, spies, fake timers and SDK mocks after it (module-sharing-worker.js).
// What files share is loaded modules: a test that changes a module's export puts it back itself,
// and `jest.mock()` of a module is not available.
//
// jest-light-runner ships a runner of its own; this one replaces only its process pool, whose child
// processes ask the parent for their start-up data and, when two start together, the second can
// miss the answer and wait forever (read in its source, and seen here once).
// Here a worker that exits, hangs past the test timeout or grows past HEAP_LIMIT is replaced, and
// the file it was running fails with the reason.
const { fork } = require('child_process');
const path = require('path');

const WORKER = path.join(__dirname, 'module-sharing-worker.js');
/** A worker whose heap has grown past this after a test file is replaced by a fresh one. */
const HEAP_LIMIT = 1536 * 1024 * 1024;

/** One worker process, for one project's config. */
class Worker {
  constructor(index, workerData, root) {
    this.config = workerData.projectConfig;
    this.child = fork(WORKER, [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, JEST_WORKER_ID: String(index + 1) },
      serialization: 'advanced',
      stdio: 'inherit',
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.send({ type: 'init', workerData });
  }

  /** Runs one file; resolves to `{ result }` or `{ error }`, never rejects. */
  run(testPath, timeoutMs) {
    return new Promise((resolve) => {
      let timer;
      let settled = false;
      const settle = (outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(outcome);
      };
      const onMessage = (message) => {
        if (message.type === 'result') settle({ result: message.result, heapUsed: message.heapUsed });
        else if (message.type === 'error')
          settle({ error: Object.assign(new Error(message.message), { stack: message.stack }), dead: message.fatal });
      };
      this.child.on('message', onMessage);
      this.exited.then(({ code, signal }) =>
        settle({
          error: new Error(
            `the test worker exited (${signal ? `signal ${signal}` : `code ${code}`}) while running ${testPath}`,
          ),
          dead: true,
        }),
      );
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        settle({
          error: new Error(
            `${testPath} did not finish within ${timeoutMs / 1000} s (the test timeout); its worker was stopped`,
          ),
          dead: true,
        });
      }, timeoutMs);
      this.child.send({ type: 'run', testPath });
    });
  }

  /** Ends the process: SIGTERM, then SIGKILL if it is still there after 5 s. */
  stop() {
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    return this.exited.finally(() => clearTimeout(kill));
  }
}

class ModuleSharingRunner {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  async runTests(tests, watcher, onStart, onResult, onFailure, options) {
    const queue = [...tests];
    const count = Math.max(1, Math.min(options && options.serial ? 1 : this.globalConfig.maxWorkers, queue.length));
    const lane = async (index) => {
      let worker;
      try {
        for (let test = queue.shift(); test; test = queue.shift()) {
          if (watcher.isInterrupted()) return;
          const config = test.context.config;
          if (worker && worker.config !== config) {
            await worker.stop();
            worker = undefined;
          }
          worker =
            worker ||
            new Worker(
              index,
              { globalConfig: this.globalConfig, projectConfig: config, runtime: 'child_process' },
              config.rootDir,
            );
          await onStart(test);
          const outcome = await worker.run(test.path, config.testTimeout || this.globalConfig.testTimeout || 300000);
          if (outcome.error) await onFailure(test, { message: outcome.error.message, stack: outcome.error.stack });
          else await onResult(test, outcome.result);
          if (outcome.dead || (outcome.heapUsed || 0) > HEAP_LIMIT) {
            await worker.stop();
            worker = undefined;
          }
        }
      } finally {
        if (worker) await worker.stop();
      }
    };
    await Promise.all(Array.from({ length: count }, (_, i) => lane(i)));
  }
}

module.exports = ModuleSharingRunner;
