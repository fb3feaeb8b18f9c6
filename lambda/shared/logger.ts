/** Severity of a log line. */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** A structured logger: one JSON line per call, with the stage and function on every line. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Creates the shared logger; `STAGE` comes from the function's environment. */
export function createLogger(component: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ level, stage: env.STAGE ?? 'unknown', component, message, ...fields });
    if (level === 'ERROR') console.error(line);
    else if (level === 'WARN') console.warn(line);
    else console.log(line);
  };
  return {
    info: (m, f) => write('INFO', m, f),
    warn: (m, f) => write('WARN', m, f),
    error: (m, f) => write('ERROR', m, f),
  };
}

/** The parts of an error safe to log: its name and message, never the stack. */
export function describeError(error: unknown): { errorName: string; errorMessage: string } {
  return error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: 'UnknownError', errorMessage: String(error) };
}
