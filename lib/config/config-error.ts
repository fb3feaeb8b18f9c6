/** Raised when the app configuration is invalid; its message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}\n` +
        'Set values in cdk.json "context" or override one with -c <key>=<value>.',
    );
    this.name = 'ConfigError';
  }
}
