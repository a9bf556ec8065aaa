/**
 * Reading settings from environment variables, with one set of rules for every process of the
 * mesh (agents and the registry): durations, integers, booleans and log levels. An unset or
 * empty variable means the default; a value that cannot be used is refused with one line that
 * names the variable and says what to write. Imports nothing else of the runtime, so that the
 * registry can share it.
 */
import { durationTextMs } from './duration.js';
import { allowedLogLevels, type LogLevel, logLevelNamed } from './log-level.js';

export type { LogLevel } from './log-level.js';

/** An environment variable has a value the process cannot use; `message` says what to write. */
export class EnvironmentError extends Error {
  override readonly name: string = 'EnvironmentError';

  constructor(
    /** The variable at fault, e.g. `MCP_MESH_HEALTH_INTERVAL`. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** The error a reader throws: each process keeps its own type (RuntimeConfigError, …). */
export type EnvironmentErrorType = new (variable: string, message: string) => EnvironmentError;

const durationForms = 'write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)';
const trueWords = new Set(['true', '1', 'yes', 'on']);
const falseWords = new Set(['false', '0', 'no', 'off']);

/** Typed reads of one environment. */
export interface EnvironmentReader {
  /** The value, trimmed; undefined when unset or empty. */
  text(name: string): string | undefined;
  /**
   * Milliseconds, from seconds or a number with a unit. Must be positive (an interval of 0
   * would spin) unless `allowZero` (a wait that may be skipped); never negative.
   */
  durationMs(name: string, defaultMs: number, options?: { readonly allowZero?: boolean }): number;
  /** An integer within `min`..`max` (inclusive). */
  integer(
    name: string,
    defaultValue: number,
    range: { readonly min: number; readonly max: number },
  ): number;
  /** true/false, 1/0, yes/no, on/off, in any case. */
  boolean(name: string, defaultValue: boolean): boolean;
  /** A log level by the predecessor's names (DEBUG … CRITICAL) or pino's, in any case. */
  logLevel(name: string, defaultLevel: LogLevel): LogLevel;
}

/**
 * Reads `environment` by the mesh's rules, throwing `errorType` for unusable values.
 *
 * @example
 * const env = readEnvironment(process.env);
 * const heartbeatMs = env.durationMs('MCP_MESH_HEALTH_INTERVAL', 5_000);
 */
export function readEnvironment(
  environment: NodeJS.ProcessEnv,
  errorType: EnvironmentErrorType = EnvironmentError,
): EnvironmentReader {
  const text = (name: string): string | undefined => {
    const value = environment[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const refuse = (name: string, raw: string, what: string): never => {
    throw new errorType(name, `${name}=${raw} is not ${what}`);
  };
  return {
    text,
    durationMs(name, defaultMs, options = {}) {
      const raw = text(name);
      if (raw === undefined) return defaultMs;
      const value = durationTextMs(raw);
      const usable =
        value !== undefined && Number.isFinite(value) && (value > 0 || options.allowZero === true);
      return usable
        ? value
        : refuse(
            name,
            raw,
            `${options.allowZero ? 'a duration of 0 or more' : 'a positive duration'}: ${durationForms}`,
          );
    },
    integer(name, defaultValue, { min, max }) {
      const raw = text(name);
      if (raw === undefined) return defaultValue;
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      return Number.isSafeInteger(value) && value >= min && value <= max
        ? value
        : refuse(name, raw, `an integer between ${min} and ${max}`);
    },
    boolean(name, defaultValue) {
      const raw = text(name);
      if (raw === undefined) return defaultValue;
      const word = raw.toLowerCase();
      if (trueWords.has(word)) return true;
      if (falseWords.has(word)) return false;
      return refuse(name, raw, 'a boolean: write true or false (or 1/0, yes/no, on/off)');
    },
    logLevel(name, defaultLevel) {
      const raw = text(name);
      if (raw === undefined) return defaultLevel;
      return logLevelNamed(raw) ?? refuse(name, raw, `a log level: use one of ${allowedLogLevels}`);
    },
  };
}
