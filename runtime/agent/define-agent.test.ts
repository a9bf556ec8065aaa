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

describe('defineAgent completions', () => {
  const withCompletables: AgentMetadata = {
    ...metadata,
    resources: [
      { name: 'motd', uri: 'text://motd' },
      { name: 'city', uriTemplate: 'weather://{country}/{city}' },
    ],
    prompts: [{ name: 'plan', arguments: [{ name: 'city' }] }],
  };
  const handlers = {
    tools: { say: () => '' },
    resources: { motd: () => '', city: () => '' },
    prompts: { plan: () => '' },
  };
  const define = (completions: object) =>
    defineAgent({
      metadata: withCompletables,
      handlers: { ...handlers, completions },
      proxyDefaults: {},
    });
  const none = () => [];

  it('accepts handlers for declared prompt arguments and template variables', () => {
    expect(() =>
      define({ prompts: { plan: { city: none } }, resources: { city: { country: none } } }),
    ).not.toThrow();
  });

  it('names a prompt argument the spec does not declare', () => {
    expect(() => define({ prompts: { plan: { town: none } } })).toThrow(
      'agent "echo" has a completion handler for argument "town" of prompt "plan", which declares "city"',
    );
  });

  it('names a prompt the spec does not declare', () => {
    expect(() => define({ prompts: { trip: { city: none } } })).toThrow(
      'agent "echo" has a completion handler for prompt "trip", which its spec does not declare',
    );
  });

  it('names a template variable the spec does not declare, and fixed resources', () => {
    expect(() => define({ resources: { city: { street: none } } })).toThrow(
      'agent "echo" has a completion handler for variable "street" of resource "city", whose template weather://{country}/{city} has "country", "city"',
    );
    expect(() => define({ resources: { motd: { day: none } } })).toThrow(
      'agent "echo" has a completion handler for resource "motd", which has a fixed uri, not a uri_template',
    );
  });
});
