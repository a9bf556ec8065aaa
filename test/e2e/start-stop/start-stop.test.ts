/**
 * `meshctl start` / `meshctl stop` with real processes: the greeting example started detached
 * (registry included) and stopped from another process; `--agent`; a foreground start ended by
 * Ctrl-C; twenty start/stop rounds that must leave nothing behind; and the errors that stop a
 * start before anything runs.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/registry-process.js';
import {
  collect,
  freePort,
  isGone,
  isPortFree,
  registeredAgents,
  useMeshes,
  waitUntil,
} from './meshctl.js';

describe('meshctl start / stop', () => {
  const mesh = useMeshes();
  const folders: string[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  it('starts the registry and both agents detached; stop, from another process, ends them all', async () => {
    const m = mesh();
    const url = `http://127.0.0.1:${await freePort()}`;
    const started = await m.run(['start', 'examples/greeting', '--detach', '--registry-url', url]);
    expect(started.code, started.stderr).toBe(0);
    for (const name of ['registry', 'greeter', 'clock']) expect(started.stdout).toContain(name);

    const records = m.records();
    expect(records.map((record) => record.name).sort()).toEqual(['clock', 'greeter', 'registry']);
    for (const record of records) {
      expect(record.detached).toBe(true);
      expect(record.logFile).toContain(m.stateDir);
      expect(record.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(records.find((record) => record.name === 'registry')?.url).toBe(url);

    const healthy = await waitUntil(async () => {
      const agents = await registeredAgents(url);
      return agents.get('greeter') === 'healthy' && agents.get('clock') === 'healthy';
    }, 10_000);
    expect(healthy, JSON.stringify([...(await registeredAgents(url))])).toBe(true);

    const stopped = await m.run(['stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/stopped greeter@\d+ \(pid \d+\)/);
    expect(stopped.stdout).toMatch(/stopped registry \(pid \d+\)/);
    for (const record of records) expect(isGone(record.pid), record.name).toBe(true);
    expect(m.records()).toEqual([]);
    expect(await isPortFree(Number(new URL(url).port))).toBe(true);
  });

  it('starts only the agents --agent names, with the --env given', async () => {
    const m = mesh();
    const url = `http://127.0.0.1:${await freePort()}`;
    const started = await m.run([
      'start',
      'examples/greeting',
      '--agent',
      'clock',
      '--env',
      'MCP_MESH_AGENT_ID=clock-from-env',
      '--detach',
      '--registry-url',
      url,
    ]);
    expect(started.code, started.stderr).toBe(0);
    expect(
      m
        .records()
        .map((record) => record.name)
        .sort(),
    ).toEqual(['clock', 'registry']);
    expect(
      await waitUntil(async () => (await registeredAgents(url)).get('clock') === 'healthy', 10_000),
    ).toBe(true);
    expect([...(await registeredAgents(url)).keys()]).toEqual(['clock']);
    // --env reaches the agent.
    const listed = (await (await fetch(`${url}/agents`)).json()) as { agents: { id: string }[] };
    expect(listed.agents.map((agent) => agent.id)).toEqual(['clock-from-env']);

    // One name stops that process only; an unknown name is an error that says what runs.
    const unknown = await m.run(['stop', 'greeter']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no process named greeter is recorded');
    const clock = m.records().find((record) => record.name === 'clock');
    expect(unknown.stderr).toContain(`running: clock@${clock?.port}, registry`);
    const stopped = await m.run(['stop', 'clock']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(isGone(clock?.pid ?? 0)).toBe(true);
    expect(m.records().map((record) => record.name)).toEqual(['registry']);
    expect((await m.run(['stop', 'registry'])).code).toBe(0);
    expect(m.records()).toEqual([]);
  });

  it('starts further replicas of a running agent on ports of their own; stop <agent>@<port> ends one, stop by name all', async () => {
    const m = mesh();
    const url = `http://127.0.0.1:${await freePort()}`;
    const [first, second] = [await freePort(), await freePort()];
    const start = (port: number) =>
      m.run([
        'start',
        'examples/greeting',
        '--agent',
        'clock',
        '--env',
        `MCP_MESH_HTTP_PORT=${port}`,
        '--detach',
        '--registry-url',
        url,
      ]);
    expect((await start(first)).code).toBe(0);
    const replica = await start(second);
    expect(replica.code, replica.stderr).toBe(0);
    expect(
      m
        .records()
        .map((record) => record.name)
        .sort(),
    ).toEqual(['clock', `clock@${second}`, 'registry']);
    // The same port again is no replica but a clash, and the message says how to add one.
    const again = await start(second);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('start another replica on a port of its own');
    expect(
      await waitUntil(async () => {
        const listed = (await (await fetch(`${url}/agents`)).json()) as {
          agents: { name: string; status: string }[];
        };
        return (
          listed.agents.filter((agent) => agent.name === 'clock' && agent.status === 'healthy')
            .length === 2
        );
      }, 10_000),
    ).toBe(true);

    // Every replica is addressable as <agent>@<port>, the first one started too.
    const byPort = (port: number) => m.records().find((record) => record.port === port);
    const firstPid = byPort(first)?.pid ?? 0;
    const secondPid = byPort(second)?.pid ?? 0;
    const stoppedFirst = await m.run(['stop', `clock@${first}`]);
    expect(stoppedFirst.code, stoppedFirst.stderr).toBe(0);
    expect(stoppedFirst.stdout).toContain(`stopped clock@${first} (pid ${firstPid})`);
    expect(isGone(firstPid)).toBe(true);
    expect(isGone(secondPid)).toBe(false);
    const unknown = await m.run(['stop', `clock@${first}`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no process named clock@${first} is recorded`);
    expect(unknown.stderr).toContain(`running: clock@${second}, registry`);

    // The freed port takes a replica again; `stop clock` ends every replica.
    expect((await start(first)).code).toBe(0);
    const replicas = m.records().filter((record) => record.name.startsWith('clock'));
    expect(replicas.map((record) => record.port).sort()).toEqual([first, second].sort());
    const stopped = await m.run(['stop', 'clock']);
    expect(stopped.code, stopped.stderr).toBe(0);
    for (const record of replicas) expect(isGone(record.pid), record.name).toBe(true);
    expect(m.records().map((record) => record.name)).toEqual(['registry']);
    expect((await m.run(['stop'])).code).toBe(0);
  }, 120_000);

  it('stops its children when a foreground start gets SIGINT', async () => {
    const m = mesh();
    const url = `http://127.0.0.1:${await freePort()}`;
    const child = m.spawn(['start', 'examples/greeting', '--registry-url', url]);
    const output = collect(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    // Both agents serving (their records then carry their URL): they handle signals by now.
    const serving = await waitUntil(() => {
      const records = m.records();
      return (
        records.length === 3 &&
        records.every((record) => record.url !== undefined && record.supervisor === child.pid)
      );
    }, 30_000);
    expect(serving, output.output()).toBe(true);
    const records = m.records();

    child.kill('SIGINT');
    expect(await exited, output.output()).toBe(0);
    for (const record of records) expect(isGone(record.pid), record.name).toBe(true);
    expect(m.records()).toEqual([]);
    const text = output.output();
    expect(text).toMatch(/^\[registry\] /m);
    expect(text).toMatch(/^\[greeter\] +\{/m);
    expect(text).toMatch(/^\[meshctl\] +stopping/m);
    expect(text).not.toContain('\u001b[');
  });

  it('ends what a foreground start killed outright left behind, at the next start', async () => {
    const m = mesh();
    const url = `http://127.0.0.1:${await freePort()}`;
    const child = m.spawn([
      'start',
      'examples/greeting',
      '--agent',
      'clock',
      '--registry-url',
      url,
    ]);
    const output = collect(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const serving = await waitUntil(() => {
      const records = m.records();
      return records.length === 2 && records.every((record) => record.url !== undefined);
    }, 30_000);
    expect(serving, output.output()).toBe(true);
    const orphans = m.records();

    // SIGKILL gives meshctl no chance to stop its children: they run on, recorded.
    child.kill('SIGKILL');
    await exited;
    for (const orphan of orphans) expect(isGone(orphan.pid), orphan.name).toBe(false);

    const next = await m.run(['start', '--registry-only', '--detach', '--registry-url', url]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(
      `stopped clock (pid ${orphans.find((record) => record.name === 'clock')?.pid})`,
    );
    expect(next.stderr).toContain('left running by a foreground meshctl that was killed');
    for (const orphan of orphans) expect(isGone(orphan.pid), orphan.name).toBe(true);
    expect(m.records().map((record) => record.name)).toEqual(['registry']);
    expect((await m.run(['stop'])).code).toBe(0);
    expect(m.records()).toEqual([]);
  });

  it('restarts an agent when its handler file changes (--watch), and ends with Ctrl-C', async () => {
    const m = mesh();
    const url = `http://127.0.0.1:${await freePort()}`;
    const child = m.spawn([
      'start',
      'examples/greeting',
      '--agent',
      'clock',
      '--watch',
      '--registry-url',
      url,
    ]);
    const output = collect(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const clock = () => m.records().find((record) => record.name === 'clock');
    expect(await waitUntil(() => clock()?.url !== undefined, 30_000), output.output()).toBe(true);
    const first = clock()?.pid ?? 0;

    // A save (here: a new modification time, the content unchanged) restarts the agent.
    const handler = join(repositoryRoot, 'examples/greeting/handlers/clock.ts');
    const now = new Date();
    utimesSync(handler, now, now);
    const restarted = await waitUntil(() => {
      const record = clock();
      return record !== undefined && record.pid !== first && record.url !== undefined;
    }, 30_000);
    expect(restarted, output.output()).toBe(true);
    expect(isGone(first)).toBe(true);
    expect(output.output()).toContain(
      'examples/greeting/handlers/clock.ts changed — restarting clock',
    );

    const records = m.records();
    child.kill('SIGINT');
    expect(await exited, output.output()).toBe(0);
    for (const record of records) expect(isGone(record.pid), record.name).toBe(true);
    expect(m.records()).toEqual([]);
  });

  it('leaves no process and no port behind after twenty start/stop rounds', async () => {
    const m = mesh();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const pids: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const started = await m.run(['start', '--registry-only', '--detach', '--registry-url', url]);
      expect(started.code, `round ${round}: ${started.stderr}`).toBe(0);
      const [record] = m.records();
      expect(record?.name).toBe('registry');
      pids.push(record?.pid ?? 0);
      const stopped = await m.run(['stop']);
      expect(stopped.code, `round ${round}: ${stopped.stderr}`).toBe(0);
      expect(isGone(record?.pid ?? 0), `round ${round}`).toBe(true);
    }
    expect(new Set(pids).size).toBe(20);
    for (const pid of pids) expect(isGone(pid)).toBe(true);
    expect(m.records()).toEqual([]);
    expect(await isPortFree(port)).toBe(true);
  }, 300_000);

  it('reports spec errors as file:line:col and starts nothing', async () => {
    const m = mesh();
    const folder = mkdtempSync(join(tmpdir(), 'meshctl-spec-'));
    folders.push(folder);
    const spec = join(folder, 'mesh.yaml');
    writeFileSync(spec, 'mesh: 1\nagents:\n  - name: broken\n    version: not-a-version\n');
    const port = await freePort();
    const result = await m.run([
      'start',
      spec,
      '--detach',
      '--registry-url',
      `http://127.0.0.1:${port}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/mesh\.yaml:4:\d+: error: /);
    expect(result.stderr).toContain('nothing started');
    expect(m.records()).toEqual([]);
    expect(await isPortFree(port)).toBe(true);
  });

  it('says how to scaffold a missing handler file', async () => {
    const m = mesh();
    const folder = mkdtempSync(join(tmpdir(), 'meshctl-spec-'));
    folders.push(folder);
    writeFileSync(
      join(folder, 'mesh.yaml'),
      'mesh: 1\nagents:\n  - name: lonely\n    tools:\n      - name: hello\n',
    );
    const result = await m.run(['start', folder, '--detach']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `no handler file ${join(folder, 'handlers', 'lonely.ts')} for agent lonely — run \`meshctl generate ${folder}\` to scaffold it`,
    );
    expect(m.records()).toEqual([]);
  });

  it('refuses a registry port another process holds, and says what to do', async () => {
    const m = mesh();
    const server = createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const result = await m.run([
      'start',
      '--registry-only',
      '--detach',
      '--registry-url',
      `http://127.0.0.1:${port}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `port ${port} is in use by another process — stop it or pass --registry-url / MCP_MESH_HTTP_PORT`,
    );
    expect(m.records()).toEqual([]);
  });

  it('says there is nothing to stop when nothing runs', async () => {
    const m = mesh();
    const result = await m.run(['stop']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing to stop');
  });
});
