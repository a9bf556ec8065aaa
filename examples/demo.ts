// `npm run demo`: a live mesh on the embedded default, narrated. Starts a registry (SQLite in a
// temporary folder) and the greeting example's two agents as real processes, calls `greet`
// (whose answer needs the clock on the other agent), stops the clock to show the greeter
// degrading, restarts it to show the recovery, and cleans everything up.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const root = new URL('..', import.meta.url).pathname;
const stateDirectory = mkdtempSync(join(tmpdir(), 'mcp-mesh-demo-'));
const children = new Set<ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(script: string[], environment: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...script], {
    cwd: root,
    env: { ...process.env, MCP_MESH_LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function json(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

interface AgentsAnswer {
  agents: {
    id: string;
    name: string;
    status: string;
    endpoint: string;
    dependencies_resolved: number;
    total_dependencies: number;
    capabilities: { name: string }[];
  }[];
}

async function greet(greeterUrl: string): Promise<string> {
  const client = new Client(
    { name: 'demo', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', greeterUrl)));
  try {
    const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    return JSON.stringify(result.structuredContent);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const registryPort = await freePort();
  const registryUrl = `http://127.0.0.1:${registryPort}`;
  const agentEnvironment = {
    MCP_MESH_REGISTRY_URL: registryUrl,
    MCP_MESH_HEALTH_INTERVAL: '1',
    MCP_MESH_HTTP_PORT: '0',
  };

  console.log(`1. Starting a registry at ${registryUrl} (SQLite in ${stateDirectory}).`);
  start(['registry/main.ts'], {
    PORT: String(registryPort),
    DATABASE_URL: `file:${join(stateDirectory, 'registry.db')}`,
    DEFAULT_TIMEOUT_THRESHOLD: '5',
  });
  await until('the registry', () => json(`${registryUrl}/health`));

  console.log('2. Starting the greeting example: agents greeter and clock.');
  start(['runtime/agent-main.ts', 'examples/greeting/handlers/greeter.ts'], agentEnvironment);
  let clock = start(
    ['runtime/agent-main.ts', 'examples/greeting/handlers/clock.ts'],
    agentEnvironment,
  );
  const greeter = await until('both agents wired', async () => {
    const { agents } = (await json(`${registryUrl}/agents`)) as AgentsAnswer;
    const found = agents.find((agent) => agent.name === 'greeter');
    return found &&
      found.dependencies_resolved === 1 &&
      agents.some((agent) => agent.name === 'clock')
      ? found
      : undefined;
  });

  console.log('3. What the registry knows (meshctl list):');
  const { agents } = (await json(`${registryUrl}/agents`)) as AgentsAnswer;
  for (const agent of agents) {
    console.log(
      `     ${agent.name.padEnd(8)} ${agent.status.padEnd(8)} deps ${agent.dependencies_resolved}/${agent.total_dependencies}  ${agent.capabilities
        .map((capability) => capability.name)
        .join(', ')
        .padEnd(14)} ${agent.endpoint}`,
    );
  }

  console.log(
    `4. greet({name: "Ada"}) on greeter, which asks clock for the date: ${await greet(greeter.endpoint)}`,
  );

  console.log('5. Stopping clock. The greeter is told at once and degrades gracefully:');
  await stop(clock);
  await until('the greeter to lose its date service', async () => {
    const metadata = (await json(`${greeter.endpoint}/metadata`)) as {
      tools: { wiring: { status: string }[] }[];
    };
    return metadata.tools[0]?.wiring[0]?.status === 'unresolved' ? true : undefined;
  });
  console.log(`     greet now answers: ${await greet(greeter.endpoint)}`);

  console.log('6. Starting clock again. The greeter rewires by itself, no restart:');
  clock = start(['runtime/agent-main.ts', 'examples/greeting/handlers/clock.ts'], agentEnvironment);
  await until('the greeter to find the clock again', async () => {
    const metadata = (await json(`${greeter.endpoint}/metadata`)) as {
      tools: { wiring: { status: string }[] }[];
    };
    return metadata.tools[0]?.wiring[0]?.status === 'resolved' ? true : undefined;
  });
  console.log(`     greet answers: ${await greet(greeter.endpoint)}`);
  console.log('7. Done: stopping everything.');
}

try {
  await main();
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await Promise.all([...children].map(stop));
  rmSync(stateDirectory, { recursive: true, force: true });
}
