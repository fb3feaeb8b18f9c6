import { ConfigurationError } from './errors';

/** Environment of a function as the runtime gives it (or a test passes it). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The variables a function reads, read once at cold start. */
export interface FunctionEnvironment<N extends string> {
  /** The variable's value; throws a ConfigurationError naming the variable when it was not set (or empty). */
  require(name: N): string;
}

/**
 * Reads `names` from `env` once. A missing variable does not throw here (an API function must still
 * answer with its JSON error); every use of it fails with a ConfigurationError that names it.
 */
export function readFunctionEnvironment<N extends string>(
  names: readonly N[],
  env: Environment = process.env,
): FunctionEnvironment<N> {
  const values = new Map<N, string>();
  for (const name of names) {
    const value = env[name];
    if (value) values.set(name, value);
  }
  return {
    require(name) {
      const value = values.get(name);
      if (value === undefined) throw new ConfigurationError(`environment variable ${name} is not set`);
      return value;
    },
  };
}
