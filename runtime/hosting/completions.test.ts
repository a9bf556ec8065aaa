import type { CompleteRequest, CompleteResult, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../agent/define-agent.js';
import type { AgentMetadata } from '../metadata.js';
import { Completions } from './completions.js';

const metadata: AgentMetadata = {
  name: 'atlas',
  version: '1.0.0',
  namespace: 'default',
  port: 0,
  tools: [],
  resources: [{ name: 'map', uriTemplate: 'map://{country}/{city}' }],
  prompts: [{ name: 'plan', arguments: [{ name: 'city' }, { name: 'days' }] }],
};

type Complete = (request: CompleteRequest, ctx: unknown) => Promise<CompleteResult>;

/** The `completion/complete` handler that `install` registers, called like the SDK would. */
function installed(completions: Completions) {
  let handler: Complete | undefined;
  const server = {
    server: {
      setRequestHandler: (_method: string, registered: Complete) => (handler = registered),
    },
  } as unknown as McpServer;
  completions.install(server);
  return (params: CompleteRequest['params']) =>
    handler!(
      { method: 'completion/complete', params },
      { mcpReq: { signal: new AbortController().signal } },
    );
}

const cities = Array.from({ length: 150 }, (_, i) => `city-${i}`);
const agent = defineAgent({
  metadata,
  handlers: {
    tools: {},
    resources: { map: () => '' },
    prompts: { plan: () => '' },
    completions: {
      prompts: { plan: { city: (typed) => cities.filter((city) => city.startsWith(typed)) } },
      resources: {
        map: { city: (typed, { arguments: chosen }) => [`${chosen.country ?? '?'}-${typed}`] },
      },
    },
  },
  proxyDefaults: {},
});

describe('Completions', () => {
  it('is offered only when a completion handler was given', () => {
    expect(new Completions(agent).offered).toBe(true);
    const bare = defineAgent({ ...agent, handlers: { ...agent.handlers, completions: {} } });
    expect(new Completions(bare).offered).toBe(false);
  });

  it('sends the first 100 values, with the total and hasMore', async () => {
    const complete = installed(new Completions(agent));
    const { completion } = await complete({
      ref: { type: 'ref/prompt', name: 'plan' },
      argument: { name: 'city', value: 'city-' },
    });
    expect(completion.values).toHaveLength(100);
    expect(completion.values[0]).toBe('city-0');
    expect(completion.total).toBe(150);
    expect(completion.hasMore).toBe(true);
  });

  it('passes the arguments already chosen, and completes unhandled arguments to nothing', async () => {
    const complete = installed(new Completions(agent));
    const variable = await complete({
      ref: { type: 'ref/resource', uri: 'map://{country}/{city}' },
      argument: { name: 'city', value: 'Ly' },
      context: { arguments: { country: 'fr' } },
    });
    expect(variable.completion.values).toEqual(['fr-Ly']);
    const unhandled = await complete({
      ref: { type: 'ref/prompt', name: 'plan' },
      argument: { name: 'days', value: '' },
    });
    expect(unhandled.completion.values).toEqual([]);
  });

  it('rejects prompts and templates the agent does not serve', async () => {
    const complete = installed(new Completions(agent));
    await expect(
      complete({ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' } }),
    ).rejects.toThrow('Prompt nope not found');
    await expect(
      complete({
        ref: { type: 'ref/resource', uri: 'map://{x}' },
        argument: { name: 'x', value: '' },
      }),
    ).rejects.toThrow('Resource template map://{x} not found');
  });
});
