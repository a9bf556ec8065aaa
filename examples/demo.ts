// `npm run demo`: a live mesh on the embedded default, narrated. Starts a registry (SQLite in a
// temporary folder) and the greeting example's two agents as real processes, calls `greet`
// (whose answer needs the clock on the other agent), stops the clock to show the greeter
// degrading, restarts it to show the recovery, and cleans everything up.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { MeshProcesses, runDemo, until } from './support/local-mesh.js';

const mesh = new MeshProcesses();

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
  console.log(`1. Starting a registry (SQLite in ${mesh.directory}).`);
  const registryUrl = await mesh.startRegistry({ DEFAULT_TIMEOUT_THRESHOLD: '5' });
  console.log(`   It serves at ${registryUrl}.`);

  console.log('2. Starting the greeting example: agents greeter and clock.');
  mesh.startAgent('examples/greeting/handlers/greeter.ts');
  let clock = mesh.startAgent('examples/greeting/handlers/clock.ts');
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
  await mesh.stop(clock);
  await until('the greeter to lose its date service', async () => {
    const metadata = (await json(`${greeter.endpoint}/metadata`)) as {
      tools: { wiring: { status: string }[] }[];
    };
    return metadata.tools[0]?.wiring[0]?.status === 'unresolved' ? true : undefined;
  });
  console.log(`     greet now answers: ${await greet(greeter.endpoint)}`);

  console.log('6. Starting clock again. The greeter rewires by itself, no restart:');
  clock = mesh.startAgent('examples/greeting/handlers/clock.ts');
  await until('the greeter to find the clock again', async () => {
    const metadata = (await json(`${greeter.endpoint}/metadata`)) as {
      tools: { wiring: { status: string }[] }[];
    };
    return metadata.tools[0]?.wiring[0]?.status === 'resolved' ? true : undefined;
  });
  console.log(`     greet answers: ${await greet(greeter.endpoint)}`);
  console.log('7. Done: stopping everything.');
}

await runDemo(main, () => mesh.stopAll());
