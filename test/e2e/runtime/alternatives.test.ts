/**
 * A dependency position given as alternatives, the predecessor's way, with real agents (in
 * process, real HTTP) and a real registry process: the consumer's handler receives a proxy of
 * the first alternative that has a provider, and is rewired to the preferred one when it
 * appears and back to the fallback when it leaves. The preferred alternative's range is in the
 * predecessor's comma syntax, so the registry's translation is on the path too.
 */
import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import type { CapabilityProxy } from '../../../runtime/agent/proxy.js';
import { unique } from '../support/registry-client.js';
import { faultyProvider } from './support/agents.js';
import { useCleanup } from './support/cleanup.js';
import {
  connectClient,
  eventually,
  startInProcessAgent,
  startTestRegistry,
  toolMetadata,
} from './support/mesh.js';

type AnyProxy = CapabilityProxy<Record<string, unknown>, Record<string, unknown>>;

interface Answer {
  readonly capability?: string;
  readonly agent?: string;
}

async function ask(client: Client): Promise<Answer> {
  const result = await client.callTool({ name: 'ask', arguments: {} });
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return (result.structuredContent ??
    JSON.parse((result.content as { text: string }[])[0]!.text)) as Answer;
}

describe('a dependency given as alternatives', { timeout: 60_000 }, () => {
  const cleanup = useCleanup();

  it('calls the first alternative that has a provider, and follows providers as they come and go', async () => {
    const registry = await startTestRegistry(cleanup);
    const pro = unique('geo-pro');
    const basic = unique('geo-basic');
    const proName = unique('pro');
    const basicName = unique('basic');
    const consumer = defineAgent({
      metadata: {
        name: unique('mapper'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [
          {
            ...toolMetadata('ask', unique('ask')),
            dependencies: [
              {
                capability: pro,
                version: '>=1.0.0,<2.0.0',
                tags: [],
                required: false,
                parameter: 'geo',
                fallbacks: [{ capability: basic, version: '*', tags: [] }],
              },
            ],
          },
        ],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          ask: async (_input: Record<string, unknown>, { geo }: { geo?: AnyProxy }) => {
            if (!geo) return {};
            const answer = await geo.call({ value: 'where' });
            return { capability: geo.capability, agent: answer.agent };
          },
        },
      },
      proxyDefaults: {},
    });

    await startInProcessAgent(
      cleanup,
      faultyProvider(basicName, { echo: basic }).definition,
      registry.url,
    );
    const mapper = await startInProcessAgent(cleanup, consumer, registry.url);
    const client = await connectClient(cleanup, mapper.url);
    expect(
      await eventually('the fallback to be called', async () => {
        const answer = await ask(client);
        return answer.agent && answer;
      }),
    ).toEqual({ capability: basic, agent: basicName });

    const preferred = await startInProcessAgent(
      cleanup,
      faultyProvider(proName, { echo: pro }).definition,
      registry.url,
    );
    expect(
      await eventually(
        'the preferred alternative to be called',
        async () => {
          const answer = await ask(client);
          return answer.agent === proName && answer;
        },
        10_000,
      ),
    ).toEqual({ capability: pro, agent: proName });

    await preferred.stop();
    expect(
      await eventually(
        'the fallback to be called again',
        async () => {
          const answer = await ask(client);
          return answer.agent === basicName && answer;
        },
        10_000,
      ),
    ).toEqual({ capability: basic, agent: basicName });
  });
});
