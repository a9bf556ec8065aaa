/** A pino level: what the loggers of the runtime and the registry are given. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

// The predecessor's (Python logging) names, then pino's own; matched in any case.
const predecessorLevels: Readonly<Record<string, LogLevel>> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
};
const pinoLevels: readonly LogLevel[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];

/** What a log level may be called, for error messages. */
export const allowedLogLevels = `${Object.keys(predecessorLevels)
  .map((name) => name.toUpperCase())
  .join(', ')}, or ${pinoLevels.join(', ')} (any case)`;

/** The pino level a name means (`WARNING` → `warn`), or undefined when it names none. */
export function logLevelNamed(name: string): LogLevel | undefined {
  const lower = name.trim().toLowerCase();
  return predecessorLevels[lower] ?? pinoLevels.find((level) => level === lower);
}
