/**
 * Whether a process (or a process group) is still there. A zombie — exited, waiting for its
 * parent to collect it — counts as gone. On Linux `/proc` also tells whether a pid still runs
 * the command that was recorded, so a reused pid is never taken for (and never killed as) one
 * of ours.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  /** R, S, D, Z, T… */
  readonly state: string;
  readonly processGroup: number;
}

/** `/proc/<pid>/stat`: null when the process is gone, undefined when there is no `/proc`. */
function procStat(pid: number): ProcStat | null | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return hasProc() ? null : undefined;
    return undefined;
  }
  // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', processGroup: Number(fields[2]) };
}

let procAvailable: boolean | undefined;
function hasProc(): boolean {
  if (procAvailable === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procAvailable = true;
    } catch {
      procAvailable = false;
    }
  }
  return procAvailable;
}

/** The process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === undefined || (stat !== null && stat.state !== 'Z');
}

/** Some process of group `pgid` is still running (zombies aside). */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  if (hasProc()) {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      entries = [];
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = procStat(Number(entry));
      if (stat && stat.processGroup === pgid && stat.state !== 'Z') return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** argv of a process from `/proc/<pid>/cmdline`; undefined when it cannot be read. */
export function processCommandLine(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return text.split('\0').filter((part, index, all) => part !== '' || index < all.length - 1);
  } catch {
    return undefined;
  }
}

/**
 * A recorded process is alive when its pid is, and (where `/proc` tells) that pid still runs
 * the recorded command — its last argument, the module it runs.
 */
export function isRecordedProcessAlive(record: {
  readonly pid: number;
  readonly command: readonly string[];
}): boolean {
  if (!isProcessAlive(record.pid)) return false;
  const actual = processCommandLine(record.pid);
  const expected = record.command.at(-1);
  if (actual === undefined || actual.length === 0 || expected === undefined) return true;
  return actual.includes(expected);
}
