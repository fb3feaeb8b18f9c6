/** Fields put on every log line. */
export type LogFields = Record<string, unknown>;

/** A structured JSON logger that stamps every line with fixed fields (check name, stage). */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Creates a logger that writes one JSON object per line to stdout/stderr. */
export function createLogger(base: LogFields): Logger {
  const write = (level: 'info' | 'error', message: string, fields?: LogFields) => {
    const line = JSON.stringify({ level, time: new Date().toISOString(), ...base, message, ...fields });
    if (level === 'error') console.error(line);
    else console.log(line);
  };
  return { info: (m, f) => write('info', m, f), error: (m, f) => write('error', m, f) };
}
