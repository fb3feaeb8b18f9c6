/** Keeps handler log lines out of the test output; returns the console.error spy to assert on. */
export function quietLogs(): jest.SpyInstance {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  return jest.spyOn(console, 'error').mockImplementation(() => undefined);
}
