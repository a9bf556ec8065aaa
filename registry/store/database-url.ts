import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SQLite file used when `DATABASE_URL` is unset, relative to the working directory. */
export const defaultSqlitePath = './.mesh-state/registry.db';

/** Where the registry keeps its state: an SQLite file (the embedded default) or PostgreSQL. */
export type DatabaseTarget =
  | {
      readonly provider: 'sqlite';
      /** Absolute path of the database file. */
      readonly path: string;
    }
  | {
      readonly provider: 'postgresql';
      /** The connection string, as given. */
      readonly url: string;
    };

export type DatabaseProvider = DatabaseTarget['provider'];

export interface DatabaseUrlOptions {
  /** SQLite file used when the URL is unset or empty; default `./.mesh-state/registry.db`. */
  readonly defaultSqlitePath?: string;
  /** Base of relative SQLite paths; default `process.cwd()`. */
  readonly cwd?: string;
}

/** `DATABASE_URL` (or another setting) names no database this registry can use. */
export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

const acceptedForms =
  'accepted forms: unset (SQLite at ./.mesh-state/registry.db), file:./relative.db, ' +
  'file:/absolute/path.db, postgres://user@host:5432/db or postgresql://user@host:5432/db';

/**
 * Reads a database URL: unset or empty → the default SQLite file; `file:…` → SQLite;
 * `postgres://…` or `postgresql://…` → PostgreSQL. Anything else throws `DatabaseUrlError`.
 */
export function parseDatabaseUrl(
  url: string | undefined,
  options: DatabaseUrlOptions = {},
): DatabaseTarget {
  const cwd = options.cwd ?? process.cwd();
  const value = url?.trim() ?? '';
  if (value === '') {
    return {
      provider: 'sqlite',
      path: resolve(cwd, options.defaultSqlitePath ?? defaultSqlitePath),
    };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new DatabaseUrlError(`DATABASE_URL is not a valid PostgreSQL URL; ${acceptedForms}`);
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new DatabaseUrlError(`DATABASE_URL names no PostgreSQL host; ${acceptedForms}`);
    }
    return { provider: 'postgresql', url: value };
  }
  if (/^file:/i.test(value)) {
    return { provider: 'sqlite', path: sqlitePath(value, cwd) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  throw new DatabaseUrlError(
    scheme === undefined
      ? `DATABASE_URL "${value}" has no scheme; ${acceptedForms}`
      : `DATABASE_URL scheme "${scheme}:" is not supported; ${acceptedForms}`,
  );
}

/** The database the registry uses: `DATABASE_URL` from the environment, parsed. */
export function databaseTargetFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
  options: DatabaseUrlOptions = {},
): DatabaseTarget {
  return parseDatabaseUrl(environment.DATABASE_URL, options);
}

function sqlitePath(value: string, cwd: string): string {
  if (value.includes('?')) {
    throw new DatabaseUrlError(
      `SQLite DATABASE_URL "${value}" has query parameters, which are not supported; ${acceptedForms}`,
    );
  }
  let path: string;
  if (/^file:\/\//i.test(value)) {
    try {
      path = fileURLToPath(value);
    } catch (error) {
      throw new DatabaseUrlError(
        `SQLite DATABASE_URL "${value}" is not a valid file URL (${(error as Error).message}); ${acceptedForms}`,
      );
    }
  } else {
    path = value.slice('file:'.length);
  }
  if (path === '') {
    throw new DatabaseUrlError(`SQLite DATABASE_URL "${value}" names no file; ${acceptedForms}`);
  }
  if (path === ':memory:') {
    throw new DatabaseUrlError(
      `SQLite DATABASE_URL "${value}": in-memory databases are not supported (the registry needs a file); ${acceptedForms}`,
    );
  }
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** A URL for logs: the password of a PostgreSQL URL replaced by `***`. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.provider === 'sqlite') return `sqlite file:${target.path}`;
  try {
    const parsed = new URL(target.url);
    if (parsed.password !== '') parsed.password = '***';
    return `postgresql ${parsed.toString()}`;
  } catch {
    return 'postgresql';
  }
}
