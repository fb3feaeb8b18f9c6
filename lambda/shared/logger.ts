import { ENV_NAMES } from '../../contracts/env-names';
/** Severity of one log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields present on every line: the stage always, plus the check or function name. */
export interface LogContext {
  /** Stage (`staging`); `unknown` until it is known. */
  readonly stage: string;
  /** Further fixed fields, such as `check`, `component` or the CodePipeline job id. */
  readonly [key: string]: unknown;
}

/** Where a log line goes. The default sends it to the console stream for its level, which Lambda ships to CloudWatch Logs. */
export type LogSink = (line: string, level: LogLevel) => void;

/** Structured JSON logger shared by every handler and the operator CLI: one JSON object per line. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line (for example once the stage is known). */
  child(fields: Record<string, unknown>): Logger;
}

const consoleSink: LogSink = (line, level) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

/** Turns an error into plain fields a JSON line can hold, stack included (logs only, never responses). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message, stack: error.stack };
  return { errorMessage: String(error) };
}

/** The parts of an error safe to show a caller: its name and message, never the stack. */
export function describeError(error: unknown): { errorName: string; errorMessage: string } {
  return error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: 'UnknownError', errorMessage: String(error) };
}

/** Creates a logger that stamps `context` on every line. */
export function createLogger(context: LogContext, sink: LogSink = consoleSink): Logger {
  const write =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      sink(JSON.stringify({ time: new Date().toISOString(), level, ...context, message, ...fields }), level);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger({ ...context, ...fields }, sink),
  };
}

/** Logger of a platform function: the stage from the function's `STAGE` environment variable, and the function's name. */
export function functionLogger(component: string, env: NodeJS.ProcessEnv = process.env): Logger {
  return createLogger({ stage: env[ENV_NAMES.stage] ?? 'unknown', component });
}
