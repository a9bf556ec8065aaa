// A richer agent than the examples, for the hosting tests: every kind of tool result, progress,
// cancellation, resources (fixed, template, binary, subscribable), a prompt, an auth-guarded tool.
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { ToolContext } from '../agent/context.js';
import { type AgentDefinition, defineAgent } from '../agent/define-agent.js';
import { currentCallScope } from '../context/call-scope.js';
import type { AgentMetadata } from '../metadata.js';
import {
  type AgentServer,
  type AgentServerOptions,
  startAgentServer,
} from './start-agent-server.js';

/** What the handlers saw, for tests to assert on. */
export interface Observed {
  /** Why the last `slow_count` call's signal aborted (undefined while it was not). */
  slowAbortReason?: unknown;
  slowSignalAborted?: boolean;
  /** Resolves when a `slow_count` call has started. */
  slowStarted: Promise<void>;
  markSlowStarted(): void;
}

export function createObserved(): Observed {
  let markSlowStarted!: () => void;
  const slowStarted = new Promise<void>((resolve) => {
    markSlowStarted = resolve;
  });
  return { slowStarted, markSlowStarted };
}

/** A 1×1 transparent PNG. */
export const pixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const metadata: AgentMetadata = {
  name: 'workbench',
  version: '2.1.0',
  description: 'An agent with one of everything.',
  namespace: 'testing',
  port: 0,
  tools: [
    {
      name: 'add',
      capability: 'arithmetic',
      version: '1.2.0',
      tags: ['math', 'fast'],
      title: 'Add two numbers',
      description: 'Adds a and b.',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: { sum: { type: 'number' } },
        required: ['sum'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      kwargs: { timeout: 5, retry_count: 1, priority: 'high', owner: { team: 'core' } },
      dependencies: [],
    },
    {
      name: 'shout',
      capability: 'shout',
      version: '1.0.0',
      tags: [],
      description: 'Upper-cases text.',
      inputSchema: {
        type: 'object',
        properties: { text: { type: 'string' } },
        required: ['text'],
      },
      kwargs: {},
      dependencies: [],
    },
    {
      name: 'pixel',
      capability: 'pixel',
      version: '1.0.0',
      tags: [],
      description: 'Answers a tiny image.',
      inputSchema: { type: 'object', properties: {} },
      kwargs: {},
      dependencies: [],
    },
    {
      name: 'explode',
      capability: 'explode',
      version: '1.0.0',
      tags: [],
      description: 'Always throws.',
      inputSchema: { type: 'object', properties: {} },
      kwargs: {},
      dependencies: [],
    },
    {
      name: 'slow_count',
      capability: 'counting',
      version: '1.0.0',
      tags: [],
      description: 'Counts to `to`, one step every `delayMs`, reporting progress.',
      inputSchema: {
        type: 'object',
        properties: {
          to: { type: 'integer', minimum: 1 },
          delayMs: { type: 'integer', minimum: 0 },
        },
        required: ['to', 'delayMs'],
      },
      outputSchema: {
        type: 'object',
        properties: { counted: { type: 'integer' } },
        required: ['counted'],
      },
      kwargs: { streaming: true, timeout: 60 },
      dependencies: [],
    },
    {
      name: 'secret',
      capability: 'secret',
      version: '1.0.0',
      tags: ['guarded'],
      description: 'Only for callers with the token.',
      inputSchema: { type: 'object', properties: {} },
      kwargs: { auth_required: true },
      dependencies: [],
    },
    {
      name: 'nap',
      capability: 'nap',
      version: '1.0.0',
      tags: [],
      description: 'Waits on a timer for `ms` milliseconds.',
      inputSchema: { type: 'object', properties: { ms: { type: 'integer' } }, required: ['ms'] },
      kwargs: {},
      dependencies: [],
    },
    {
      name: 'whoami',
      capability: 'whoami',
      version: '1.0.0',
      tags: [],
      description: 'Reports its context and call scope, and logs once.',
      inputSchema: { type: 'object', properties: {} },
      kwargs: {},
      dependencies: [
        {
          capability: 'date_service',
          version: '>=1.0.0',
          tags: ['system'],
          required: false,
          parameter: 'dateService',
        },
      ],
    },
  ],
  resources: [
    {
      name: 'readme',
      uri: 'docs://readme',
      title: 'Read me',
      description: 'What this agent is.',
      mimeType: 'text/markdown',
      subscribable: true,
    },
    {
      name: 'profile',
      uriTemplate: 'users://{id}/profile',
      description: 'A user profile.',
      mimeType: 'application/json',
    },
    { name: 'logo', uri: 'images://logo', mimeType: 'image/png' },
  ],
  prompts: [
    {
      name: 'greeting',
      title: 'Greeting',
      description: 'Greets someone.',
      arguments: [
        { name: 'name', description: 'Who to greet', required: true },
        { name: 'style', description: 'formal or casual' },
      ],
    },
  ],
};

/** The test agent; `observed` records what its handlers saw. */
export function createTestAgent(observed: Observed = createObserved()): AgentDefinition {
  return defineAgent({
    metadata,
    proxyDefaults: {},
    handlers: {
      tools: {
        add: ({ a, b }: { a: number; b: number }) => ({ sum: a + b }),
        shout: ({ text }: { text: string }) => `${text.toUpperCase()}!`,
        pixel: () => ({
          content: [
            { type: 'image', data: pixelPng, mimeType: 'image/png' },
            { type: 'text', text: 'a pixel' },
          ],
        }),
        explode: () => {
          throw new Error('kaboom: the tool failed on purpose');
        },
        slow_count: async (
          { to, delayMs }: { to: number; delayMs: number },
          _dependencies: unknown,
          context: ToolContext,
        ) => {
          observed.slowSignalAborted = false;
          context.signal.addEventListener('abort', () => {
            observed.slowSignalAborted = true;
            observed.slowAbortReason = context.signal.reason;
          });
          observed.markSlowStarted();
          for (let step = 1; step <= to; step += 1) {
            await sleep(delayMs, undefined, { signal: context.signal });
            await context.progress(step, to, `counted ${step}`);
          }
          return { counted: to };
        },
        secret: () => 'the cake is a lie',
        nap: async ({ ms }: { ms: number }) => {
          await sleep(ms);
          return `slept ${ms} ms`;
        },
        whoami: (_input: unknown, dependencies: Record<string, unknown>, context: ToolContext) => {
          context.log.info('whoami called', { marker: 42 });
          const scope = currentCallScope();
          return {
            headers: context.headers,
            sessionId: context.sessionId ?? null,
            dependencies: Object.keys(dependencies),
            scopeDeadline: scope?.deadline ?? null,
            scopeHeaders: scope?.headers ?? null,
          };
        },
      },
      resources: {
        readme: () => '# Workbench\nOne of everything.',
        profile: (_uri, variables) => ({
          text: JSON.stringify({ id: variables.id, name: `User ${variables.id}` }),
        }),
        logo: () => ({ blob: Buffer.from(pixelPng, 'base64') }),
      },
      prompts: {
        greeting: ({ name, style }) =>
          style === 'formal'
            ? [
                { role: 'user', text: `Please greet ${name} formally.` },
                { role: 'assistant', text: `Good day, ${name}.` },
              ]
            : `Say hi to ${name}.`,
      },
    },
  });
}

/** Options for a test server on a free loopback port; override what a test needs. */
export function testServerOptions(overrides: Partial<AgentServerOptions> = {}): AgentServerOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    dependencies: async () => ({}),
    wiring: () => ({}),
    metrics: new Registry(),
    logger: pino({ level: 'silent' }),
    propagateHeaders: [],
    ...overrides,
  };
}

/** Starts servers and closes every one of them (call `closeAll` in afterEach). */
export function serverPool() {
  const servers: AgentServer[] = [];
  return {
    async start(definition: AgentDefinition, overrides: Partial<AgentServerOptions> = {}) {
      const server = await startAgentServer(definition, testServerOptions(overrides));
      servers.push(server);
      return server;
    },
    async closeAll() {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
  };
}
