/**
 * `meshctl stop`: stops processes recorded in the state directory, from any shell — agents
 * first (together), then registries — SIGTERM, a wait, SIGKILL after the timeout; each record
 * is removed once its process is gone.
 */
import type { Output } from './session.js';
import { isNamedBy, type ProcessRecord, type ProcessRecords, processAddress } from './state-dir.js';
import { type StopOutcome, stopProcess } from './stop-process.js';

export interface StopRecordedOptions {
  readonly records: ProcessRecords;
  /** Agent names (every replica), `<agent>@<port>` (one replica) or `registry`; empty: everything. */
  readonly names: readonly string[];
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly output: Output;
}

interface Stopped {
  /** The record's name (`clock`, `clock@9102`, `registry`). */
  readonly name: string;
  /** How to name it to `meshctl stop`: `<agent>@<port>` once the port is known. */
  readonly address: string;
  readonly kind: ProcessRecord['kind'];
  readonly pid: number;
  readonly outcome: StopOutcome | 'failed';
  readonly error?: string;
}

/** Runs `meshctl stop`; answers the exit code. */
export async function stopRecorded(options: StopRecordedOptions): Promise<number> {
  const { records, output } = options;
  const live = records.list();
  const wanted = [...new Set(options.names)];
  const unknown = wanted.filter((name) => !live.some((record) => isNamedBy(record, name)));
  const chosen =
    wanted.length === 0
      ? live
      : live.filter((record) => wanted.some((name) => isNamedBy(record, name)));

  const stopOne = async (record: ProcessRecord): Promise<Stopped> => {
    const base = {
      name: record.name,
      address: processAddress(record),
      kind: record.kind,
      pid: record.pid,
    };
    try {
      const outcome = await stopProcess(
        { pid: record.pid, processGroup: record.processGroup },
        { timeoutMs: options.timeoutMs },
      );
      records.remove(record.name, record.pid);
      return { ...base, outcome };
    } catch (error) {
      return { ...base, outcome: 'failed', error: (error as Error).message };
    }
  };
  const results = [
    ...(await Promise.all(chosen.filter((record) => record.kind === 'agent').map(stopOne))),
    ...(await Promise.all(chosen.filter((record) => record.kind !== 'agent').map(stopOne))),
  ];

  const failed = results.some((result) => result.outcome === 'failed');
  if (options.json) {
    output.out(`${JSON.stringify({ stopped: results, unknown }, null, 2)}\n`);
  } else {
    for (const result of results) {
      const line = describe(result, options.timeoutMs);
      if (result.outcome === 'failed') output.err(`meshctl: ${line}\n`);
      else output.out(`${line}\n`);
    }
    if (wanted.length === 0 && live.length === 0)
      output.out(`nothing to stop: no process is recorded in ${records.processesDirectory}\n`);
    for (const name of unknown) {
      const running = live.map(processAddress);
      output.err(
        `meshctl: no process named ${name} is recorded in ${records.processesDirectory} — ${
          running.length > 0
            ? `running: ${running.join(', ')}`
            : 'nothing is running (`meshctl start` records what it starts)'
        }\n`,
      );
    }
  }
  return unknown.length > 0 || failed ? 1 : 0;
}

function describe(result: Stopped, timeoutMs: number): string {
  const who = `${result.address} (pid ${result.pid})`;
  switch (result.outcome) {
    case 'stopped':
      return `stopped ${who}`;
    case 'killed':
      return `killed ${who}: it was still running ${timeoutMs / 1000} s after SIGTERM`;
    case 'not-running':
      return `${who} had already exited`;
    case 'failed':
      return `could not stop ${who}: ${result.error}`;
  }
}
