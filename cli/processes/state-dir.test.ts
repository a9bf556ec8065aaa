import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processCommandLine } from './liveness.js';
import {
  agentOfProcess,
  isNamedBy,
  type ProcessRecord,
  ProcessRecords,
  processAddress,
  stateDirectory,
} from './state-dir.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function records(): ProcessRecords {
  const folder = mkdtempSync(join(tmpdir(), 'mesh-state-'));
  folders.push(folder);
  return new ProcessRecords(folder);
}

/** A record of this very test process: alive, and running the command it says. */
function own(name: string, overrides: Partial<ProcessRecord> = {}): ProcessRecord {
  return {
    name,
    kind: 'agent',
    pid: process.pid,
    processGroup: false,
    startedAt: new Date().toISOString(),
    command: processCommandLine(process.pid) ?? process.argv,
    cwd: process.cwd(),
    detached: true,
    ...overrides,
  };
}

/** The pid of a process that has exited (and been collected). */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  return result.pid as number;
}

describe('stateDirectory', () => {
  it('is MCP_MESH_STATE_DIR when set, else ~/.mcp-mesh', () => {
    expect(stateDirectory({ MCP_MESH_STATE_DIR: '/tmp/somewhere' })).toBe('/tmp/somewhere');
    expect(stateDirectory({})).toBe(join(homedir(), '.mcp-mesh'));
    expect(stateDirectory({ MCP_MESH_STATE_DIR: '' })).toBe(join(homedir(), '.mcp-mesh'));
  });

  it('places records, logs and the registry database inside it', () => {
    const state = new ProcessRecords('/tmp/state');
    expect(state.recordFile('greeter')).toBe('/tmp/state/processes/greeter.json');
    expect(state.logFile('greeter')).toBe('/tmp/state/logs/greeter.log');
    expect(state.registryDatabase).toBe('/tmp/state/registry.db');
    // Names that are not plain agent names cannot escape the folder.
    expect(state.recordFile('../etc/passwd')).toBe('/tmp/state/processes/..%2Fetc%2Fpasswd.json');
  });
});

describe('ProcessRecords', () => {
  it('writes a record atomically and reads it back while its process lives', () => {
    const state = records();
    const record = own('greeter', { url: 'http://127.0.0.1:9000', port: 9000 });
    state.write(record);
    expect(readdirSync(state.processesDirectory)).toEqual(['greeter.json']);
    expect(state.get('greeter')).toEqual(record);
    expect(state.list()).toEqual([record]);
  });

  it('replaces a record of the same name', () => {
    const state = records();
    state.write(own('greeter'));
    state.write(own('greeter', { url: 'http://127.0.0.1:9001' }));
    expect(state.get('greeter')?.url).toBe('http://127.0.0.1:9001');
    expect(readdirSync(state.processesDirectory)).toEqual(['greeter.json']);
  });

  it('lists agents first, then registries, each by name', () => {
    const state = records();
    state.write(own('registry', { kind: 'registry' }));
    state.write(own('greeter'));
    state.write(own('clock'));
    expect(state.list().map((record) => record.name)).toEqual(['clock', 'greeter', 'registry']);
  });

  it('ignores and removes a record whose process is gone', () => {
    const state = records();
    state.write(own('clock', { pid: deadPid() }));
    state.write(own('greeter'));
    expect(state.get('clock')).toBeUndefined();
    expect(existsSync(state.recordFile('clock'))).toBe(false);
    state.write(own('clock', { pid: deadPid() }));
    expect(state.list().map((record) => record.name)).toEqual(['greeter']);
    expect(readdirSync(state.processesDirectory)).toEqual(['greeter.json']);
  });

  it.runIf(existsSync('/proc/self/cmdline'))(
    'treats a live pid that runs another command as stale (a reused pid)',
    () => {
      const state = records();
      state.write(own('greeter', { command: ['node', 'runtime/agent-main.ts', 'no-such.ts'] }));
      expect(state.list()).toEqual([]);
      expect(existsSync(state.recordFile('greeter'))).toBe(false);
    },
  );

  it('removes a record only while it describes the given pid', () => {
    const state = records();
    state.write(own('greeter'));
    expect(state.remove('greeter', process.pid + 1)).toBe(false);
    expect(state.get('greeter')).toBeDefined();
    expect(state.remove('greeter', process.pid)).toBe(true);
    expect(state.get('greeter')).toBeUndefined();
    expect(state.remove('greeter')).toBe(false);
  });

  it('drops files that are not records, and temporary files of writers that died', () => {
    const state = records();
    mkdirSync(state.processesDirectory, { recursive: true });
    writeFileSync(join(state.processesDirectory, 'broken.json'), '{ not json');
    writeFileSync(join(state.processesDirectory, 'odd.json'), JSON.stringify({ name: 'odd' }));
    const abandoned = `greeter.json.${deadPid()}.abcd1234.tmp`;
    writeFileSync(join(state.processesDirectory, abandoned), '{}');
    const ours = `clock.json.${process.pid}.abcd1234.tmp`;
    writeFileSync(join(state.processesDirectory, ours), '{}');
    expect(state.list()).toEqual([]);
    expect(readdirSync(state.processesDirectory)).toEqual([ours]);
  });

  it('answers nothing for a state directory that does not exist yet', () => {
    const state = new ProcessRecords(join(tmpdir(), `mesh-state-missing-${process.pid}`));
    expect(state.list()).toEqual([]);
    expect(state.get('greeter')).toBeUndefined();
  });

  it('sees a process started detached as alive until it exits', async () => {
    const state = records();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      state.write({
        ...own('clock'),
        pid: child.pid as number,
        processGroup: true,
        command: [process.execPath, '-e', 'setTimeout(() => {}, 30000)'],
      });
      expect(state.get('clock')?.pid).toBe(child.pid);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(state.get('clock')).toBeUndefined();
  });
});

describe('agentOfProcess', () => {
  it('names the agent of a process, replicas (<agent>@<port>) included', () => {
    expect(agentOfProcess('counter')).toBe('counter');
    expect(agentOfProcess('counter@9002')).toBe('counter');
    expect(agentOfProcess('registry')).toBe('registry');
  });
});

describe('processAddress and isNamedBy', () => {
  const first = { name: 'clock', kind: 'agent', port: 9101 } as const;
  const second = { name: 'clock@9102', kind: 'agent', port: 9102 } as const;
  const starting = { name: 'clock', kind: 'agent' } as const;
  const registry = { name: 'registry', kind: 'registry', port: 8000 } as const;

  it('addresses every replica with a known port as <agent>@<port>, the first one too', () => {
    expect([first, second, starting, registry].map(processAddress)).toEqual([
      'clock@9101',
      'clock@9102',
      'clock',
      'registry',
    ]);
  });

  it('matches a replica by its address, and every replica by the agent name', () => {
    expect(isNamedBy(first, 'clock@9101')).toBe(true);
    expect(isNamedBy(first, 'clock@9102')).toBe(false);
    expect(isNamedBy(second, 'clock@9102')).toBe(true);
    expect([first, second, starting].every((record) => isNamedBy(record, 'clock'))).toBe(true);
    expect(isNamedBy(registry, 'registry')).toBe(true);
    expect(isNamedBy(registry, 'registry@8000')).toBe(false);
  });
});
