// Setup file of the module-sharing runner (jest.config.js setupFilesAfterEnv): jest-light-runner's
// worker does not check `expect.assertions(n)` or `expect.hasAssertions()` after a test, so a test
// relying on them would pass having asserted nothing. Here they throw instead, saying what to do.
for (const name of ['assertions', 'hasAssertions']) {
  expect[name] = () => {
    throw new Error(
      `expect.${name}() is not checked by this project's jest runner (test/support/runner): assert on the outcome itself, for example await expect(promise).rejects.toThrow(...)`,
    );
  };
}
