// A worker process of module-sharing-runner.js (started with `--import tsx`, so test files and the
// app load as TypeScript): takes `init` once, then `run` messages one at a time, and answers each
// with the file's jest result. jest-light-runner's worker runs the file: it imports the file afresh
// on a fresh jest-circus state, with jest's expect, jest.fn/spyOn and the project's setup files.
//
// After each file the worker puts back what a file may change for the next one: process.env (keys,
// and the object itself), the working directory, jest spies and fake timers, aws-sdk-client-mock's
// stubs, and the temporary directories of the assemblies it synthesized.
const path = require('path');
const { performance } = require('perf_hooks');
const { pathToFileURL } = require('url');

const LIGHT_RUNNER_WORKER = path.join(path.dirname(require.resolve('jest-light-runner')), 'worker-runner.js');
const root = process.cwd();
const resolveFromRoot = (id) => require.resolve(id, { paths: [root] });

/** The environment as the worker started (jest's global setup has set the test settings in it). */
const env = process.env;
const baselineEnv = { ...env };

/** The same sinon that aws-sdk-client-mock stubs clients with, if a test file has loaded it. */
function loadedSinon() {
  try {
    const id = require.resolve('sinon', { paths: [path.dirname(resolveFromRoot('aws-sdk-client-mock'))] });
    return require.cache[id] ? require(id) : undefined;
  } catch {
    return undefined;
  }
}

function resetAfterFile(cloudAssembly) {
  globalThis.jest?.restoreAllMocks();
  globalThis.jest?.useRealTimers();
  loadedSinon()?.restore();
  if (process.env !== env) process.env = env;
  for (const key of Object.keys(env)) if (!(key in baselineEnv)) delete env[key];
  for (const [key, value] of Object.entries(baselineEnv)) if (env[key] !== value) env[key] = value;
  if (process.cwd() !== root) process.chdir(root);
  cloudAssembly.cleanupTemporaryDirectories();
}

async function start(workerData) {
  const worker = await import(pathToFileURL(LIGHT_RUNNER_WORKER).href);
  worker.setWorkerData(workerData);
  const { CloudAssembly } = require(resolveFromRoot('aws-cdk-lib/cx-api'));
  return { run: worker.default, reset: () => resetAfterFile(CloudAssembly) };
}

let started;

async function handle(message) {
  if (message.type === 'init') {
    started = start(message.workerData);
    started.catch(() => undefined); // reported by every run
    return;
  }
  let worker;
  let result;
  let failure;
  try {
    worker = await started;
    result = await worker.run(message.testPath);
    // jest-light-runner times from process start; jest and its reporters (JUnit timestamps) expect epoch milliseconds.
    result.perfStats.start += performance.timeOrigin;
    result.perfStats.end += performance.timeOrigin;
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  }
  try {
    worker?.reset();
  } catch (e) {
    // What the file changed cannot be undone: this worker ends, and the runner starts a fresh one.
    const error = failure ?? new Error(`${message.testPath} left changes the worker could not undo: ${e.message}`);
    process.send({ type: 'error', message: error.message, stack: error.stack, fatal: true }, () => process.exit(1));
    return;
  }
  if (failure) process.send({ type: 'error', message: failure.message, stack: failure.stack });
  else process.send({ type: 'result', result, heapUsed: process.memoryUsage().heapUsed });
}

let queue = Promise.resolve();
process.on('message', (message) => {
  queue = queue.then(() => handle(message));
});
// The runner ends the worker with SIGTERM; if the runner itself goes, so does the worker.
process.on('disconnect', () => process.exit(0));
