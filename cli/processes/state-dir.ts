/**
 * The state directory: where meshctl keeps a record of every process it started (one JSON file
 * per process), their log files when detached, and the embedded registry's SQLite file. Any
 * meshctl, from any shell, reads the records to stop or list what is running.
 *
 *   <state dir>/processes/<name>.json   one record per running process
 *   <state dir>/logs/<name>.log         stdout and stderr of a detached process
 *   <state dir>/registry.db             the embedded registry's database
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isRecordedProcessAlive } from './liveness.js';

/** `MCP_MESH_STATE_DIR`, default `~/.mcp-mesh`. */
export function stateDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment.MCP_MESH_STATE_DIR;
  return configured ? resolve(configured) : join(homedir(), '.mcp-mesh');
}

export type ProcessKind = 'agent' | 'registry';

/** What meshctl knows about one process it started. */
export interface ProcessRecord {
  /** The agent's name, or `registry`. */
  readonly name: string;
  readonly kind: ProcessKind;
  readonly pid: number;
  /** The process leads its own process group (pgid = pid): stop signals the whole group. */
  readonly processGroup: boolean;
  /** Where it serves, once known (`http://127.0.0.1:8000`). */
  readonly url?: string;
  readonly port?: number;
  /** stdout and stderr of a detached process. */
  readonly logFile?: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** argv of the process, `command[0]` being the executable. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Started with `--detach`. */
  readonly detached: boolean;
  /** The foreground meshctl that supervises it (absent when detached). */
  readonly supervisor?: number;
  /** The handler module, entry file or spec it runs. */
  readonly source?: string;
}

/** The agent a process runs: its name, without the `@<port>` of a further replica. */
export function agentOfProcess(processName: string): string {
  const at = processName.indexOf('@');
  return at < 0 ? processName : processName.slice(0, at);
}

/**
 * How `meshctl stop` names a process: `<agent>@<port>` for an agent whose port is known (the
 * first replica, recorded under the plain agent name, included), else its record name.
 */
export function processAddress(record: Pick<ProcessRecord, 'name' | 'kind' | 'port'>): string {
  return record.kind === 'agent' && record.port !== undefined
    ? `${agentOfProcess(record.name)}@${record.port}`
    : record.name;
}

/**
 * Whether `name`, as given to `meshctl stop`, designates the process: its record name, its
 * agent's name (every replica) or its `<agent>@<port>` address.
 */
export function isNamedBy(
  record: Pick<ProcessRecord, 'name' | 'kind' | 'port'>,
  name: string,
): boolean {
  return (
    record.name === name || agentOfProcess(record.name) === name || processAddress(record) === name
  );
}

/** The records of one state directory. */
export class ProcessRecords {
  readonly directory: string;
  readonly processesDirectory: string;
  readonly logsDirectory: string;

  constructor(directory: string = stateDirectory()) {
    this.directory = resolve(directory);
    this.processesDirectory = join(this.directory, 'processes');
    this.logsDirectory = join(this.directory, 'logs');
  }

  /** The embedded registry's database file. */
  get registryDatabase(): string {
    return join(this.directory, 'registry.db');
  }

  recordFile(name: string): string {
    return join(this.processesDirectory, `${fileName(name)}.json`);
  }

  logFile(name: string): string {
    return join(this.logsDirectory, `${fileName(name)}.log`);
  }

  /** Writes (or replaces) the record of `record.name` atomically: a temporary file, then rename. */
  write(record: ProcessRecord): void {
    mkdirSync(this.processesDirectory, { recursive: true });
    const target = this.recordFile(record.name);
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, target);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /**
   * Removes the record of `name`; with `pid`, only while it still describes that process (a
   * restarted process has a newer record that must stay). Answers whether one was removed.
   */
  remove(name: string, pid?: number): boolean {
    const file = this.recordFile(name);
    if (pid !== undefined) {
      const current = readRecord(file);
      if (!current || current.pid !== pid) return false;
    }
    try {
      rmSync(file);
      return true;
    } catch {
      return false;
    }
  }

  /** The record of `name` if its process is alive; a stale record is removed. */
  get(name: string): ProcessRecord | undefined {
    const record = readRecord(this.recordFile(name));
    if (!record) return undefined;
    if (isRecordedProcessAlive(record)) return record;
    this.remove(record.name, record.pid);
    return undefined;
  }

  /** Every record whose process is alive, agents first then registries, by name; stale ones are removed. */
  list(): ProcessRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.processesDirectory);
    } catch {
      return [];
    }
    const live: ProcessRecord[] = [];
    for (const entry of names) {
      const file = join(this.processesDirectory, entry);
      if (entry.endsWith('.tmp')) {
        removeAbandonedTemporary(file, entry);
        continue;
      }
      if (!entry.endsWith('.json')) continue;
      const record = readRecord(file);
      if (!record) {
        // Unreadable or not a record: it describes nothing that can be stopped.
        rmSync(file, { force: true });
        continue;
      }
      if (isRecordedProcessAlive(record)) live.push(record);
      else this.remove(record.name, record.pid);
    }
    return live.sort(
      (a, b) =>
        Number(a.kind === 'registry') - Number(b.kind === 'registry') ||
        a.name.localeCompare(b.name),
    );
  }
}

/** Names are agent names (letters, digits, `_`, `-`); anything else is escaped for the file system. */
function fileName(name: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : encodeURIComponent(name);
}

function readRecord(file: string): ProcessRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<ProcessRecord>;
    if (
      typeof value.name !== 'string' ||
      (value.kind !== 'agent' && value.kind !== 'registry') ||
      typeof value.pid !== 'number' ||
      !Number.isInteger(value.pid) ||
      value.pid <= 0 ||
      !Array.isArray(value.command)
    ) {
      return undefined;
    }
    return value as ProcessRecord;
  } catch {
    return undefined;
  }
}

/** `<name>.json.<pid>.<hex>.tmp` left by a writer that died between write and rename. */
function removeAbandonedTemporary(file: string, entry: string): void {
  const writer = Number(/\.json\.(\d+)\.[0-9a-f]+\.tmp$/.exec(entry)?.[1]);
  if (!Number.isInteger(writer) || writer === process.pid) return;
  try {
    process.kill(writer, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(file, { force: true });
  }
}
