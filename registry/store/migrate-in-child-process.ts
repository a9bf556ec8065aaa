import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DatabaseTarget, describeDatabaseTarget } from './database-url.js';
import {
  type ApplyMigrationsResult,
  migrationsDirectory,
  migrationsUpToDate,
  readMigrations,
} from './migrate.js';
import { migrationAdapterFactory } from './migration-adapter.js';

/** What the registry asks of its migration process (one message over IPC). */
export interface MigrationRequest {
  readonly target: DatabaseTarget;
  readonly busyTimeoutMs: number;
  readonly directory: string;
}

/** What the migration process answers: what it applied, or why it could not. */
export type MigrationAnswer =
  | { readonly ok: true; readonly result: ApplyMigrationsResult }
  | { readonly ok: false; readonly message: string; readonly code?: string };

/** The database's schema could not be brought up to date; the message says what to do. */
export class MigrationError extends Error {
  constructor(
    message: string,
    /** The migration that failed, when one did. */
    readonly migration?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export interface MigrateInChildProcessOptions {
  /** Folder of migrations; default `prisma/migrations/<provider>` of this project. */
  readonly directory?: string;
  /** Milliseconds SQLite waits for a lock held by another connection. */
  readonly busyTimeoutMs: number;
}

/**
 * Brings the database's schema up to date as `applyMigrations` does, but runs Prisma's schema
 * engine in a short-lived child process: its WebAssembly instance cannot be freed once created,
 * and would stay resident in the registry for good (~20 MB). When the database already recorded
 * every migration, the usual start, no process is started at all. A failure throws a
 * `MigrationError` naming the migration and what to do about it.
 */
export async function applyMigrationsInChildProcess(
  target: DatabaseTarget,
  options: MigrateInChildProcessOptions,
): Promise<ApplyMigrationsResult> {
  const started = performance.now();
  const directory = options.directory ?? migrationsDirectory(target.provider);
  const migrations = readMigrations(directory);
  if (
    migrations.length > 0 &&
    (await migrationsUpToDate(
      await migrationAdapterFactory(target, options.busyTimeoutMs),
      migrations,
    ))
  ) {
    return { applied: [], durationMs: performance.now() - started };
  }
  const answer = await runMigrationProcess(target, {
    target,
    busyTimeoutMs: options.busyTimeoutMs,
    directory,
  });
  if (!answer.ok) throw migrationFailure(target, answer);
  return { applied: answer.result.applied, durationMs: performance.now() - started };
}

/**
 * The migration process's script, run the way this module runs: as TypeScript through tsx, or
 * as compiled JavaScript. Only the loader is passed on, not this process's other flags (an
 * inspector port, a profiler).
 */
function migrationProcessEntry(): { script: string; execArgv: string[] } {
  const extension = extname(fileURLToPath(import.meta.url));
  const script = fileURLToPath(new URL(`./migration-process${extension}`, import.meta.url));
  if (extension !== '.ts') return { script, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { script, execArgv: ['--import', tsx] };
}

function runMigrationProcess(
  target: DatabaseTarget,
  request: MigrationRequest,
): Promise<MigrationAnswer> {
  const { script, execArgv } = migrationProcessEntry();
  return new Promise((resolve, reject) => {
    let answer: MigrationAnswer | undefined;
    let settled = false;
    let output = '';
    const child = fork(script, [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // Its output is ours (e.g. engine logs with MESH_SCHEMA_ENGINE_LOG); its end explains a crash.
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      output = (output + chunk.toString()).slice(-2000);
    });
    child.once('message', (message) => {
      answer = message as MigrationAnswer;
    });
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(
        new MigrationError(
          `Cannot start the process that migrates ${describeDatabaseTarget(target)} (${script}): ${error.message}`,
          undefined,
          { cause: error },
        ),
      );
    });
    child.once('close', (code, signal) => {
      if (settled) return;
      settled = true;
      if (answer) {
        resolve(answer);
        return;
      }
      const trimmed = output.trim();
      reject(
        new MigrationError(
          `The process that migrates ${describeDatabaseTarget(target)} ended (${signal ?? `exit code ${code}`}) ` +
            `without answering; nothing is known to be applied. Start the registry again; if this repeats, ` +
            `run it with MESH_SCHEMA_ENGINE_LOG=1 and look at the output.${trimmed === '' ? '' : `\nIts last output:\n${trimmed}`}`,
        ),
      );
    });
    child.send(request);
  });
}

/** The migration a schema engine message names: while applying it, or as recorded failed. */
function failedMigration(message: string): string | undefined {
  return (
    /migration_name="([^"]+)"/.exec(message)?.[1] ??
    /The `([^`]+)` migration started at/.exec(message)?.[1]
  );
}

/**
 * The database's own words in a schema engine message: its last line before the engine's trace
 * (numbered frames). SQLite's comes alone; PostgreSQL's follows "external connector error".
 */
function databaseError(message: string): string {
  const lines = message.split('\n');
  const trace = lines.findIndex((line) => /^\s*\d+: /.test(line));
  const before = (trace < 0 ? lines : lines.slice(0, trace)).filter((line) => line.trim() !== '');
  return before.at(-1)?.trim() ?? message;
}

function migrationFailure(
  target: DatabaseTarget,
  answer: Extract<MigrationAnswer, { ok: false }>,
): MigrationError {
  const where = describeDatabaseTarget(target);
  const cause = new Error(answer.message);
  const migration = failedMigration(answer.message);
  if (migration === undefined) {
    return new MigrationError(`Cannot bring ${where} up to date: ${answer.message}`, undefined, {
      cause,
    });
  }
  const what =
    answer.code === 'P3009'
      ? `Migration ${migration} failed at an earlier start on ${where}, and no later migration applies until it is resolved.`
      : `Migration ${migration} failed on ${where}: ${databaseError(answer.message)}.`;
  const afresh =
    target.provider === 'sqlite'
      ? `\nOr, if the registry's state there is not worth keeping, delete ${target.path} (with its -wal and -shm files) and start again.`
      : '';
  return new MigrationError(
    `${what}\nThe registry cannot start until it is resolved: undo whatever part of the migration ` +
      `was applied and remove its cause, then record it as rolled back so that the next start ` +
      `applies it again:\n  UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP ` +
      `WHERE migration_name = '${migration}' AND rolled_back_at IS NULL;${afresh}`,
    migration,
    { cause },
  );
}
