// A local mesh of real processes, for the demos and the end-to-end tests: a registry (SQLite in a
// temporary folder) and agents, on free ports, always stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { agentCommand, registryCommand } from '../../cli/processes/spawn.js';
import { freePort } from '../../test/e2e/support/free-port.js';

export { freePort };

const root = new URL('../../', import.meta.url).pathname;
// LOCAL_MESH_LOG_LEVEL=info shows the processes' own logs (stdout), for debugging.
const agentLogLevel = process.env.LOCAL_MESH_LOG_LEVEL;

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** A registry and agents started for one test file; `stopAll()` in afterAll. */
export class MeshProcesses {
  readonly directory = mkdtempSync(join(tmpdir(), 'local-mesh-'));
  private readonly children = new Set<ChildProcess>();
  registryUrl = '';

  async startRegistry(environment: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    this.registryUrl = `http://127.0.0.1:${port}`;
    this.spawn(registryCommand(), {
      PORT: String(port),
      DATABASE_URL: `file:${join(this.directory, 'registry.db')}`,
      ...environment,
    });
    await until('the registry', async () =>
      (await fetch(`${this.registryUrl}/health`)).ok ? true : undefined,
    );
    return this.registryUrl;
  }

  /** Starts an agent from its handler module; answers the process. */
  startAgent(handler: string, environment: Record<string, string> = {}): ChildProcess {
    return this.spawn(agentCommand(resolve(root, handler)), {
      MCP_MESH_REGISTRY_URL: this.registryUrl,
      MCP_MESH_HEALTH_INTERVAL: '0.5',
      MCP_MESH_HTTP_PORT: '0',
      ...environment,
    });
  }

  async agents(): Promise<
    { id: string; name: string; status: string; endpoint: string; dependencies_resolved: number }[]
  > {
    const response = await fetch(`${this.registryUrl}/agents`);
    return ((await response.json()) as { agents: never[] }).agents;
  }

  /** The endpoint of the healthy agent with this name, once it is registered. */
  endpointOf(name: string): Promise<string> {
    return until(
      `agent ${name}`,
      async () =>
        (await this.agents()).find((agent) => agent.name === name && agent.status === 'healthy')
          ?.endpoint,
    );
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child)));
    rmSync(this.directory, { recursive: true, force: true });
  }

  /** Starts `command` (argv; the compiled registry or runtime, as meshctl starts them). */
  private spawn(command: string[], environment: Record<string, string>): ChildProcess {
    const [executable, ...args] = command;
    const child = spawn(executable as string, args, {
      cwd: root,
      env: {
        ...process.env,
        MCP_MESH_LOG_LEVEL: agentLogLevel ?? 'warn',
        ...environment,
      },
      stdio: ['ignore', agentLogLevel ? 'inherit' : 'ignore', 'inherit'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }
}

/** A connected MCP client (either protocol era, as negotiated) for one agent. */
export async function mcpClient(endpoint: string): Promise<Client> {
  const client = new Client(
    { name: 'e2e', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', endpoint)));
  return client;
}

/**
 * Runs a narrated demo: `main` tells the story; on failure the reason is printed and the exit
 * code is 1; `cleanUp` runs whatever happened.
 */
export async function runDemo(
  main: () => Promise<void>,
  cleanUp: () => Promise<void>,
): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
