import { describe, expect, it } from 'vitest';
import type { AgentMetadata } from '../metadata.js';
import { defineAgent } from './define-agent.js';

const metadata: AgentMetadata = {
  name: 'echo',
  version: '1.0.0',
  namespace: 'default',
  port: 0,
  tools: [
    {
      name: 'say',
      capability: 'say',
      version: '1.0.0',
      tags: [],
      inputSchema: { type: 'object' },
      kwargs: {},
      dependencies: [],
    },
  ],
  resources: [{ name: 'motd', uri: 'text://motd' }],
  prompts: [],
};

describe('defineAgent', () => {
  it('binds handlers that cover every declared tool and resource', () => {
    const say = () => 'hi';
    const motd = () => 'welcome';
    const agent = defineAgent({
      metadata,
      handlers: { tools: { say }, resources: { motd } },
      proxyDefaults: {},
    });
    expect(agent.handlers.tools.say).toBe(say);
    expect(Object.isFrozen(agent)).toBe(true);
  });

  it('names the tool that has no handler', () => {
    expect(() =>
      defineAgent({
        metadata,
        handlers: { tools: {}, resources: { motd: () => '' } },
        proxyDefaults: {},
      }),
    ).toThrow(
      'agent "echo" declares tool "say" but no handler was given for it; add tools.say to the handlers',
    );
  });

  it('names a handler the spec does not declare', () => {
    expect(() =>
      defineAgent({
        metadata,
        handlers: { tools: { say: () => '', shout: () => '' }, resources: { motd: () => '' } },
        proxyDefaults: {},
      }),
    ).toThrow('agent "echo" has a handler for tool "shout", which its spec does not declare');
  });
});
