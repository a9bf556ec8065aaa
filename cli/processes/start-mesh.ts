/**
 * `meshctl start`: finds the agents the paths describe, makes sure a registry answers (starting
 * a local one on the embedded SQLite default when none does), starts the agents, and either
 * supervises everything in the foreground — prefixed output, `--watch` restarts, Ctrl-C stops
 * it all in order — or leaves it running detached and says what it started.
 */
import { formatDiagnosticsAsText } from '@mcp-mesh/generator';
import { UsageError } from '../usage-error.js';
import { isProcessAlive } from './liveness.js';
import { type PlainServerRegistrars, startPlainServers } from './plain-servers.js';
import { isPortInUse, portInUseMessage, probeRegistry, waitForRegistry } from './ports.js';
import { type Managed, type Output, Session } from './session.js';
import { agentCommand, logTail, registryCommand, waitForServing } from './spawn.js';
import { agentOfProcess, type ProcessRecord, type ProcessRecords } from './state-dir.js';
import { stopProcess } from './stop-process.js';
import { formatTable } from './table.js';
import {
  type AgentTarget,
  displayPath,
  type ResolvedTargets,
  resolveTargets,
  selectAgents,
} from './targets.js';
import { watchPaths } from './watch.js';

export interface StartMeshOptions {
  /** Spec files or folders, and entry modules. */
  readonly paths: readonly string[];
  readonly registryUrl: string;
  readonly registryOnly: boolean;
  /** `--agent`: only these agents (empty: all). */
  readonly agents: readonly string[];
  /** `--env`: added to every agent's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly detach: boolean;
  readonly watch: boolean;
  /** Detached: print what was started as JSON. */
  readonly json: boolean;
  readonly records: ProcessRecords;
  readonly cwd: string;
  readonly output: Output;
  readonly colour: boolean;
  readonly stopTimeoutMs: number;
  /** How long the registry and (detached) each agent may take to come up. */
  readonly startTimeoutMs: number;
  /** The environment the processes inherit. */
  readonly environment: NodeJS.ProcessEnv;
}

/** Runs `meshctl start`; answers the exit code. */
export async function startMesh(options: StartMeshOptions): Promise<number> {
  const { output } = options;
  const error = (message: string) => output.err(`meshctl: ${message}\n`);
  checkFlags(options);
  const registry = parseRegistryUrl(options.registryUrl);

  // 1. What to start.
  let agents: AgentTarget[] = [];
  let servers: ResolvedTargets['servers'] = [];
  if (!options.registryOnly) {
    const resolved = await resolveTargets(options.paths, options.cwd);
    if (resolved.diagnostics.length > 0)
      output.err(`${formatDiagnosticsAsText(resolved.diagnostics)}\n`);
    if (resolved.specErrors) {
      error('nothing started: fix the errors above first');
      return 1;
    }
    if (resolved.problems.length > 0) {
      for (const problem of resolved.problems) error(problem);
      error('nothing started');
      return 1;
    }
    agents = selectAgents(resolved.agents, options.agents);
    servers = options.agents.length === 0 ? resolved.servers : [];
    if (servers.length > 0 && options.detach) {
      error(
        `plain servers (${servers.map((server) => server.name).join(', ')}) are registered by a meshctl start in the foreground only; run it without --detach to register them`,
      );
      servers = [];
    }
  }

  // 2. Processes a killed foreground meshctl left behind go first; nothing of what is to start
  // may already run, and fixed ports must be free.
  await stopOrphans(options);
  const problems: string[] = [];
  const portOverride = options.env.MCP_MESH_HTTP_PORT ?? options.environment.MCP_MESH_HTTP_PORT;
  // An agent already running gets another replica when this one has a port of its own; its
  // process is named `<agent>@<port>`, and `meshctl stop <agent>` stops every replica.
  const processNames = new Map<AgentTarget, string>();
  const live = options.records.list();
  for (const agent of agents) {
    const replicas = live.filter((record) => agentOfProcess(record.name) === agent.name);
    const running = replicas[0];
    if (!running) continue;
    const port = portOverride ? Number(portOverride) : agent.specPort;
    if (Number.isInteger(port) && port > 0 && !replicas.some((record) => record.port === port)) {
      processNames.set(agent, `${agent.name}@${port}`);
      continue;
    }
    problems.push(
      `agent ${agent.name} is already running (pid ${running.pid}, started ${running.startedAt}) — stop it first with \`meshctl stop ${agent.name}\`, or start another replica on a port of its own: MCP_MESH_HTTP_PORT=<port> meshctl start … --agent ${agent.name}`,
    );
  }
  const processName = (agent: AgentTarget) => processNames.get(agent) ?? agent.name;
  if (portOverride && Number(portOverride) !== 0 && agents.length > 1) {
    throw new UsageError(
      `MCP_MESH_HTTP_PORT=${portOverride} would give all ${agents.length} agents the same port; start one with --agent NAME to pin its port`,
    );
  }
  for (const agent of agents) {
    const port = portOverride ? Number(portOverride) : agent.specPort;
    if (!Number.isInteger(port) || port <= 0) continue;
    const host =
      options.env.MCP_MESH_HTTP_HOST ||
      options.environment.MCP_MESH_HTTP_HOST ||
      agent.specHost ||
      '127.0.0.1';
    if (await isPortInUse(port, host)) problems.push(portInUseMessage(port, agent.name));
  }

  // 3. A registry: the one that answers, or a local one.
  const probe = await probeRegistry(registry.url);
  let startRegistry = false;
  if (probe.kind === 'registry') {
    if (options.registryOnly && problems.length === 0) {
      output.out(`a registry already answers at ${registry.url}; nothing started\n`);
      return 0;
    }
  } else if (probe.kind === 'other') {
    problems.push(`${portInUseMessage(registry.port)} (${probe.detail})`);
  } else if (!registry.local) {
    problems.push(
      `no registry answers at ${registry.url} (${probe.detail}), and meshctl starts a registry only on this machine — start one there, or pass --registry-url http://localhost:<port>`,
    );
  } else {
    startRegistry = true;
    const recorded = options.records.get('registry');
    if (recorded) {
      problems.push(
        `a registry started by meshctl is already running (pid ${recorded.pid}${recorded.url ? `, ${recorded.url}` : ''}) but does not answer at ${registry.url} — pass --registry-url ${recorded.url ?? '<its url>'}, or stop it with \`meshctl stop registry\``,
      );
    } else if (await isPortInUse(registry.port, registry.bindHost)) {
      problems.push(portInUseMessage(registry.port));
    }
  }
  if (problems.length > 0) {
    for (const problem of problems) error(problem);
    error('nothing started');
    return 1;
  }

  // 4. Start, stopping everything again on failure or Ctrl-C.
  const names = [...(startRegistry ? ['registry'] : []), ...agents.map(processName)];
  let shutdown: Promise<void> | undefined;
  let exitCode = 0;
  let anyFailure = false;
  /** Set once everything is started: from then on an exit may end the session. */
  let supervising = false;
  /** Ctrl-C (or SIGTERM, SIGHUP) came. */
  let signalled = false;
  let closeWatch: (() => void) | undefined;
  let registrars: PlainServerRegistrars | undefined;
  let shutdownBegun: () => void = () => {};
  const shutdownRequested = new Promise<void>((resolve) => {
    shutdownBegun = resolve;
  });
  const stopEverything = (code: number): Promise<void> => {
    if (!shutdown) {
      shutdownBegun();
      exitCode = code;
      closeWatch?.();
      shutdown = (async () => {
        if (!options.detach && session.live.length > 0) session.say('stopping…');
        // Unregistered first, while the registry meshctl may have started still runs.
        await registrars?.stop();
        await session.stopAll();
      })();
    }
    return shutdown;
  };
  const session: Session = new Session({
    records: options.records,
    detach: options.detach,
    cwd: options.cwd,
    stopTimeoutMs: options.stopTimeoutMs,
    output,
    colour: options.colour,
    names,
    onUnexpectedExit: (managed) => {
      if (shutdown) return;
      const clean = isCleanExit(managed);
      if (!clean) anyFailure = true;
      if (options.detach || !supervising) return;
      session.say(`${managed.name} ${describeExit(managed)}`, clean ? 'out' : 'err');
      if (options.watch) return;
      const agentsLeft = session.live.some((live) => live.kind === 'agent');
      if (options.registryOnly ? session.live.length === 0 : !agentsLeft)
        void stopEverything(anyFailure ? 1 : 0);
    },
  });

  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      session.say(`${name} again: killing everything now`, 'err');
      session.killAll();
      process.exit(1);
    }
    signalled = true;
    void stopEverything(options.detach ? 1 : 0);
  };
  const handled = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const name of handled) process.on(name, onSignal);
  const interrupted = () => signalled;

  try {
    if (startRegistry) {
      const started = session.start({
        name: 'registry',
        kind: 'registry',
        command: registryCommand(),
        env: {
          ...options.environment,
          HOST: registry.bindHost,
          PORT: String(registry.port),
          DATABASE_URL: `file:${options.records.registryDatabase}`,
        },
        url: registry.url,
        port: registry.port,
      });
      if (!options.detach) session.say(`starting a registry at ${registry.url}`);
      const failure = await waitForRegistry(registry.url, {
        timeoutMs: options.startTimeoutMs,
        gone: () => started.exit !== undefined || interrupted(),
      });
      if (interrupted()) return await finish(stopEverything(1));
      if (failure) {
        error(`the registry did not start: ${failure}`);
        showLog(output, started);
        await stopEverything(1);
        return 1;
      }
    } else if (!options.registryOnly && !options.detach) {
      const note = probe.kind === 'registry' && !probe.healthy ? ' (it reports unhealthy)' : '';
      session.say(`using the registry at ${registry.url}${note}`);
    }

    const agentEnvironment: NodeJS.ProcessEnv = {
      ...options.environment,
      MCP_MESH_REGISTRY_URL: registry.url,
      ...options.env,
    };
    const startAgent = (agent: AgentTarget): Managed =>
      session.start({
        name: processName(agent),
        kind: 'agent',
        command: agentCommand(agent.module),
        env: agentEnvironment,
        source: agent.module,
      });
    const started = agents.map(startAgent);
    if (servers.length > 0) {
      registrars = startPlainServers(servers, registry.url, { ...agentEnvironment });
      for (const server of servers)
        session.say(`registering plain server ${server.name} (${server.url}) while it answers`);
    }

    if (options.detach) {
      const results = await Promise.all(
        started.map(async (managed) => ({
          managed,
          result: await waitForServing(managed.record.logFile as string, {
            timeoutMs: options.startTimeoutMs,
            gone: () => managed.exit !== undefined || interrupted(),
          }),
        })),
      );
      if (interrupted()) return await finish(stopEverything(1));
      const failed = results.filter(({ result }) => 'error' in result);
      if (failed.length > 0) {
        for (const { managed, result } of failed) {
          error(`agent ${managed.name} did not start: ${'error' in result ? result.error : ''}`);
          showLog(output, managed);
        }
        error('stopping what was started');
        await stopEverything(1);
        return 1;
      }
      for (const { managed, result } of results)
        if ('url' in result) session.setUrl(managed, result.url);
      reportDetached(options, session, registry.url, startRegistry);
      session.release();
      return 0;
    }

    // Foreground: until Ctrl-C, or until every agent has ended.
    // No await since the agents were launched: none of their exits has been missed.
    supervising = true;
    if (options.watch)
      closeWatch = watchAgents(options, agents, session, startAgent, () => shutdown !== undefined);
    const what = session.live.map((managed) => managed.name).join(', ');
    session.say(
      `running ${what}${options.watch ? ', watching for changes' : ''} — Ctrl-C stops everything`,
    );
    await shutdownRequested;
    await shutdown;
    session.say('stopped');
    return exitCode;
  } catch (failure) {
    await stopEverything(1);
    throw failure;
  } finally {
    closeWatch?.();
    for (const name of handled) process.off(name, onSignal);
  }

  async function finish(stopping: Promise<void>): Promise<number> {
    await stopping;
    return exitCode;
  }
}

/**
 * Foreground processes whose meshctl is gone (killed with SIGKILL: it could not stop them) are
 * orphans: stopped, so that they neither linger nor block this start.
 */
async function stopOrphans(options: StartMeshOptions): Promise<void> {
  const orphans = options.records
    .list()
    .filter((record) => record.supervisor !== undefined && !isProcessAlive(record.supervisor));
  const stop = async (record: ProcessRecord) => {
    await stopProcess(
      { pid: record.pid, processGroup: record.processGroup },
      { timeoutMs: options.stopTimeoutMs },
    );
    options.records.remove(record.name, record.pid);
    options.output.err(
      `meshctl: stopped ${record.name} (pid ${record.pid}), left running by a foreground meshctl that was killed\n`,
    );
  };
  await Promise.all(orphans.filter((record) => record.kind === 'agent').map(stop));
  await Promise.all(orphans.filter((record) => record.kind !== 'agent').map(stop));
}

function checkFlags(options: StartMeshOptions): void {
  if (options.watch && options.detach)
    throw new UsageError('--watch runs in the foreground; drop --detach or --watch');
  if (options.registryOnly && options.paths.length > 0)
    throw new UsageError('--registry-only starts no agents; drop the paths or --registry-only');
  if (options.registryOnly && options.agents.length > 0)
    throw new UsageError('--registry-only starts no agents; drop --agent or --registry-only');
  if (!options.registryOnly && options.paths.length === 0)
    throw new UsageError(
      'nothing to start: pass spec files or folders, agent modules, or --registry-only',
    );
}

interface RegistryTarget {
  /** Without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The URL names this machine, where meshctl may start a registry. */
  readonly local: boolean;
  /** HOST for a registry started here. */
  readonly bindHost: string;
}

function parseRegistryUrl(raw: string): RegistryTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `registry URL "${raw}" (--registry-url or MCP_MESH_REGISTRY_URL) is not an http:// URL; e.g. http://localhost:8000`,
    );
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname;
  const bindHost =
    host === 'localhost' ? '127.0.0.1' : host === '[::1]' ? '::1' : host.replace(/^\[|\]$/g, '');
  const local =
    url.protocol === 'http:' &&
    ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(host) &&
    (url.pathname === '/' || url.pathname === '');
  return { url: raw.replace(/\/+$/, ''), port, local, bindHost };
}

function isCleanExit(managed: Managed): boolean {
  const exit = managed.exit;
  return (
    exit !== undefined && (exit.code === 0 || exit.signal === 'SIGTERM' || exit.signal === 'SIGINT')
  );
}

function describeExit(managed: Managed): string {
  const exit = managed.exit;
  if (!exit) return 'is running';
  if (exit.signal) return `was ended by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

function showLog(output: Output, managed: Managed): void {
  const file = managed.record.logFile;
  if (!file) return;
  const tail = logTail(file);
  output.err(
    tail.length === 0
      ? `  (its log ${file} is empty)\n`
      : `  its log ${file} ends with:\n${tail.map((line) => `    ${line}`).join('\n')}\n`,
  );
}

function reportDetached(
  options: StartMeshOptions,
  session: Session,
  registryUrl: string,
  startedRegistry: boolean,
): void {
  const records = session.live.map((managed) => managed.record);
  if (options.json) {
    options.output.out(
      `${JSON.stringify({ registry: { url: registryUrl, started: startedRegistry }, processes: records }, null, 2)}\n`,
    );
    return;
  }
  if (!startedRegistry && !options.registryOnly)
    options.output.out(`using the registry at ${registryUrl}\n`);
  options.output.out(
    `${formatTable(
      ['NAME', 'KIND', 'PID', 'URL', 'LOG'],
      records.map((record) => [
        record.name,
        record.kind,
        String(record.pid),
        record.url ?? '',
        record.logFile ? displayPath(record.logFile, options.cwd) : '',
      ]),
    )}\n`,
  );
  options.output.out(
    `started in the background; \`meshctl stop\` stops ${records.length === 1 ? 'it' : 'them'}\n`,
  );
}

/** `--watch`: restarts an agent when its spec, handler module or generated code changes. */
function watchAgents(
  options: StartMeshOptions,
  initial: readonly AgentTarget[],
  session: Session,
  startAgent: (agent: AgentTarget) => Managed,
  stopping: () => boolean,
): () => void {
  const targets = new Map(initial.map((agent) => [agent.name, agent]));
  const busy = new Set<string>();
  const again = new Map<string, string[]>();

  const restart = async (name: string, changed: string[]): Promise<void> => {
    if (stopping()) return;
    if (busy.has(name)) {
      again.set(name, [...(again.get(name) ?? []), ...changed]);
      return;
    }
    busy.add(name);
    try {
      // The spec may have changed: read it again; with errors, keep what runs.
      const resolved = await resolveTargets(options.paths, options.cwd);
      if (resolved.diagnostics.length > 0)
        options.output.err(`${formatDiagnosticsAsText(resolved.diagnostics)}\n`);
      const next = resolved.agents.find((agent) => agent.name === name);
      if (resolved.specErrors || !next) {
        session.say(
          resolved.specErrors
            ? `not restarting ${name}: fix the errors above`
            : `not restarting ${name}: it is no longer in ${options.paths.join(' ')}`,
          'err',
        );
        return;
      }
      targets.set(name, next);
      const what = changed.map((path) => displayPath(path, options.cwd)).join(', ');
      session.say(`${what} changed — restarting ${name}`);
      const current = session.get(name);
      if (current && current.exit === undefined) await session.stop(current);
      if (stopping()) return;
      startAgent(next);
    } finally {
      busy.delete(name);
      const pending = again.get(name);
      if (pending) {
        again.delete(name);
        void restart(name, pending);
      }
    }
  };

  const closers = initial.map((agent) =>
    watchPaths(agent.watch, (changed) => void restart(agent.name, changed)),
  );
  return () => {
    for (const close of closers) close();
  };
}
