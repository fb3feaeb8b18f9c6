/** Severity of one log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields present on every line a check writes. */
export interface LogContext {
  /** Stage being checked (`staging`); `unknown` until the user parameters are parsed. */
  readonly stage: string;
  /** Check name (`health`, `dr`). */
  readonly check: string;
  /** Further fixed fields, such as the CodePipeline job id. */
  readonly [key: string]: unknown;
}

/** Where a log line goes; defaults to stdout, which Lambda sends to CloudWatch Logs. */
export type LogSink = (line: string) => void;

/** Structured JSON logger: one JSON object per line, with the stage and check name on every line. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line (for example once the stage is known). */
  child(fields: Record<string, unknown>): Logger;
}

/** Turns an error into plain fields a JSON line can hold. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message, stack: error.stack };
  return { errorMessage: String(error) };
}

/** Creates the structured logger shared by every check handler and the operator CLI. */
export function createLogger(context: LogContext, sink: LogSink = (line) => process.stdout.write(`${line}\n`)): Logger {
  const write = (level: LogLevel) => (message: string, fields: Record<string, unknown> = {}) => {
    sink(JSON.stringify({ time: new Date().toISOString(), level, ...context, message, ...fields }));
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger({ ...context, ...fields }, sink),
  };
}
