/**
 * A minimal structured logger for the main process. Callers pass only non-secret, scalar fields;
 * there is deliberately no way to log an object graph, so a payload or key cannot slip in by accident.
 */
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createConsoleLogger(scope: string, sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (level: string, message: string, fields?: LogFields): void => {
    sink(JSON.stringify({ t: new Date().toISOString(), level, scope, message, ...fields }));
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** For tests: keeps lines in memory so assertions can check what was (not) logged. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createConsoleLogger('test', (l) => lines.push(l)), { lines });
}
