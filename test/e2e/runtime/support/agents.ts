/**
 * Inline agents for the runtime end-to-end tests, made with `defineAgent`: a provider whose
 * tools misbehave on demand (slow, huge, guarded, header-echoing, streaming) and a consumer
 * that depends on given capabilities. Capability names are parameters so that every test can
 * use names of its own against a shared registry.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type AgentDefinition, defineAgent } from '../../../../runtime/agent/define-agent.js';
import type { ToolHandler } from '../../../../runtime/agent/handlers.js';
import { currentCallScope } from '../../../../runtime/context/call-scope.js';
import type { ToolKwargs } from '../../../../runtime/metadata.js';
import { toolMetadata } from './mesh.js';

/** What a provider's handlers saw, for assertions. */
export interface ProviderLog {
  /** Calls each tool received. */
  readonly calls: Record<string, number>;
  /** Abort reasons of `slow` and `ticker` calls whose signal aborted. */
  readonly aborted: unknown[];
  /** The deadline (epoch ms) each `slow` call was given by its caller, if any. */
  readonly deadlines: (number | undefined)[];
  /** Resolves the next time a `slow` call starts. */
  slowStarted(): Promise<void>;
}

export interface ProviderTools {
  /** Answers `{ value, headers, agent }`: its input's value, the propagated headers. */
  readonly echo?: string;
  /** Sleeps `ms` (input), honouring its signal; answers `{ slept }`. */
  readonly slow?: string;
  /** Answers `{ data }` of `size` (input) characters. */
  readonly big?: string;
  /** Like echo, but `auth_required`. */
  readonly guarded?: string;
  /** Reports `count` (input) progress chunks `every` ms apart, then answers `{ sent }`. */
  readonly ticker?: string;
}

/**
 * A provider with the tools named in `tools` (tool name = key, capability = value). `kwargs`
 * are the tools' own (what it registers), per tool name.
 */
export function faultyProvider(
  name: string,
  tools: ProviderTools,
  kwargs: Partial<Record<keyof ProviderTools, ToolKwargs>> = {},
): { definition: AgentDefinition; log: ProviderLog } {
  const calls: Record<string, number> = {};
  const aborted: unknown[] = [];
  const deadlines: (number | undefined)[] = [];
  const started: (() => void)[] = [];
  const count = (tool: string) => {
    calls[tool] = (calls[tool] ?? 0) + 1;
  };
  type Handler = ToolHandler<Record<string, unknown>, unknown, Record<string, unknown>>;
  const handlers: Record<keyof ProviderTools, Handler> = {
    echo: (input, _deps, context) => {
      count('echo');
      return { value: input.value, headers: context.headers, agent: name };
    },
    guarded: (input) => {
      count('guarded');
      return { value: input.value, agent: name };
    },
    slow: async (input, _deps, context) => {
      count('slow');
      deadlines.push(currentCallScope()?.deadline);
      for (const resolve of started.splice(0)) resolve();
      try {
        await sleep(Number(input.ms ?? 1_000), undefined, { signal: context.signal });
      } catch (error) {
        aborted.push(context.signal.reason ?? error);
        throw error;
      }
      return { slept: input.ms, agent: name };
    },
    big: (input) => {
      count('big');
      return { data: 'x'.repeat(Number(input.size ?? 0)) };
    },
    ticker: async (input, _deps, context) => {
      count('ticker');
      const total = Number(input.count ?? 3);
      for (let index = 1; index <= total; index++) {
        if (context.signal.aborted) {
          aborted.push(context.signal.reason);
          throw context.signal.reason;
        }
        await context.progress(index, total, `chunk ${index}`);
        try {
          await sleep(Number(input.every ?? 20), undefined, { signal: context.signal });
        } catch (error) {
          aborted.push(context.signal.reason ?? error);
          throw error;
        }
      }
      return { sent: total };
    },
  };
  const names = (Object.keys(tools) as (keyof ProviderTools)[]).filter((tool) => tools[tool]);
  const definition = defineAgent({
    metadata: {
      name,
      version: '1.0.0',
      namespace: 'default',
      port: 0,
      tools: names.map((tool) =>
        toolMetadata(tool, tools[tool] as string, {
          kwargs: {
            ...(tool === 'guarded' ? { auth_required: true } : {}),
            ...kwargs[tool],
          },
        }),
      ),
      resources: [],
      prompts: [],
    },
    handlers: {
      tools: Object.fromEntries(names.map((tool) => [tool, handlers[tool]])),
    },
    proxyDefaults: {},
  });
  return {
    definition,
    log: {
      calls,
      aborted,
      deadlines,
      slowStarted: () =>
        new Promise<void>((resolve) => {
          started.push(resolve);
        }),
    },
  };
}

/**
 * A consumer with one tool `use` depending on each of `capabilities` in turn (parameter =
 * capability), which answers which of them are wired; tests take the proxies from its wiring.
 */
export function consumer(name: string, capabilities: readonly string[]): AgentDefinition {
  return defineAgent({
    metadata: {
      name,
      version: '1.0.0',
      namespace: 'default',
      port: 0,
      tools: [toolMetadata('use', `${name}-use`, { dependencies: capabilities })],
      resources: [],
      prompts: [],
    },
    handlers: {
      tools: {
        use: (_input: unknown, dependencies: Record<string, unknown>) =>
          Object.fromEntries(
            Object.entries(dependencies).map(([parameter, proxy]) => [
              parameter,
              proxy !== undefined,
            ]),
          ),
      },
    },
    proxyDefaults: {},
  });
}
