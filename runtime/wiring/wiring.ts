import type { Logger } from 'pino';
import type { AgentDefinition } from '../agent/define-agent.js';
import type { HeartbeatAnswer, ProviderCandidate } from '../lifecycle/registry-client.js';
import { LocalCapabilityProxy, type LocalInvoker } from '../proxy/local-proxy.js';
import type { ProviderTarget } from '../proxy/provider-target.js';
import { type ProxyEnvironment, RemoteCapabilityProxy } from '../proxy/remote-proxy.js';
import { compileResultCheck, type ResultCheck } from '../proxy/result-check.js';

type AnyProxy = RemoteCapabilityProxy<unknown, unknown> | LocalCapabilityProxy<unknown, unknown>;

interface Position {
  readonly tool: string;
  readonly index: number;
  /** The capability declared first: the only one, unless the position has alternatives. */
  readonly declared: string;
  readonly alternatives: ReadonlySet<string>;
  /** The capability in effect: of the alternative the registry resolved the position to. */
  capability: string;
  readonly parameter: string;
  proxy: AnyProxy | undefined;
  /** Identity of the providers behind `proxy`, to rewire only on real change. */
  key: string;
}

/**
 * The agent's dependency wiring: per tool and dependency position, the proxy that handlers
 * receive, rebuilt from each registry answer only where the providers actually changed.
 */
export class Wiring {
  private readonly positions = new Map<string, Position[]>();
  private readonly resultChecks = new Map<string, ResultCheck | undefined>();
  private resolvedOnce = false;
  private readonly firstResolution: Promise<void>;
  private markResolved!: () => void;

  constructor(
    private readonly definition: AgentDefinition,
    private readonly agentId: string,
    private readonly environment: ProxyEnvironment,
    private readonly invokeLocal: LocalInvoker,
    private readonly logger: Logger,
    /** How long a call waits at start-up for the first resolution (`MCP_MESH_STARTUP_WAIT`). */
    private readonly startupWaitMs: number,
  ) {
    this.firstResolution = new Promise((resolve) => {
      this.markResolved = resolve;
    });
    for (const tool of definition.metadata.tools) {
      this.positions.set(
        tool.name,
        tool.dependencies.map((dependency, index) => ({
          tool: tool.name,
          index,
          declared: dependency.capability,
          alternatives: new Set([
            dependency.capability,
            ...(dependency.fallbacks ?? []).map(({ capability }) => capability),
          ]),
          capability: dependency.capability,
          parameter: dependency.parameter,
          proxy: undefined,
          key: '',
        })),
      );
    }
  }

  /** Applies a registry answer; answers whether any proxy changed. */
  apply(answer: HeartbeatAnswer): boolean {
    let changed = false;
    for (const [tool, positions] of this.positions) {
      const resolved = answer.dependencies_resolved?.[tool] ?? [];
      for (const position of positions) {
        const entry = resolved[position.index];
        const candidates: readonly ProviderCandidate[] = entry?.candidates?.length
          ? entry.candidates
          : entry?.status === 'available'
            ? [entry]
            : [];
        const targets = tiered(
          candidates.filter(
            (candidate) => candidate.endpoint !== '' || candidate.agent_id === this.agentId,
          ),
        );
        // A position of alternatives is answered with the providers of one of them.
        const resolvedTo = candidates[0]?.capability;
        const capability =
          resolvedTo !== undefined && targets.length > 0 && position.alternatives.has(resolvedTo)
            ? resolvedTo
            : position.declared;
        const key = JSON.stringify([capability, targets]);
        if (key === position.key) continue;
        changed = true;
        position.key = key;
        if (capability !== position.capability) {
          // Another alternative: another proxy type and other defaults, so a fresh proxy.
          position.capability = capability;
          position.proxy = undefined;
        }
        position.proxy = this.proxyFor(position, targets);
        this.logger.info(
          {
            tool,
            dependency: position.capability,
            providers: targets.map((target) => `${target.agentId}.${target.functionName}`),
          },
          targets.length === 0 ? 'dependency unresolved' : 'dependency wired',
        );
      }
    }
    if (!this.resolvedOnce) {
      this.resolvedOnce = true;
      this.markResolved();
    }
    return changed;
  }

  /**
   * What a call of `tool` receives injected. Before the first registry answer it waits for
   * it (bounded), so a call at start-up does not see `undefined` too early.
   */
  async dependencies(tool: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const positions = this.positions.get(tool) ?? [];
    if (positions.length > 0 && !this.resolvedOnce) await this.waitForFirstResolution(signal);
    const dependencies: Record<string, unknown> = {};
    for (const position of positions) dependencies[position.parameter] = position.proxy;
    return dependencies;
  }

  /** The wiring as `/metadata` shows it. */
  snapshot(): Record<string, unknown> {
    const snapshot: Record<string, unknown> = {};
    for (const [tool, positions] of this.positions) {
      if (positions.length === 0) continue;
      snapshot[tool] = positions.map((position) => ({
        capability: position.capability,
        parameter: position.parameter,
        status: position.proxy ? 'resolved' : 'unresolved',
        providers:
          position.proxy instanceof RemoteCapabilityProxy
            ? position.proxy.providers.map((target) => ({
                agent_id: target.agentId,
                function_name: target.functionName,
                endpoint: target.endpoint,
              }))
            : position.proxy
              ? [
                  {
                    agent_id: this.agentId,
                    function_name: position.proxy.tool,
                    endpoint: 'in-process',
                  },
                ]
              : [],
      }));
    }
    return snapshot;
  }

  /** The result check of a capability, compiled on first use and shared by its positions. */
  private resultCheckOf(capability: string): ResultCheck | undefined {
    if (!this.resultChecks.has(capability)) {
      const schema = this.definition.proxyDefaults[capability]?.output;
      this.resultChecks.set(capability, compileResultCheck(capability, schema));
    }
    return this.resultChecks.get(capability);
  }

  private proxyFor(position: Position, targets: readonly ProviderTarget[]): AnyProxy | undefined {
    const first = targets[0];
    if (!first) return undefined;
    if (first.agentId === this.agentId)
      return new LocalCapabilityProxy(position.capability, first.functionName, this.invokeLocal);
    const remote = targets.filter((target) => target.agentId !== this.agentId);
    // Swap providers in place on the existing remote proxy: calls in flight keep their target.
    if (position.proxy instanceof RemoteCapabilityProxy) {
      position.proxy.update(remote);
      return position.proxy;
    }
    const specDefaults = this.definition.proxyDefaults[position.capability];
    return new RemoteCapabilityProxy(
      position.capability,
      remote,
      specDefaults?.kwargs ?? {},
      this.environment,
      this.resultCheckOf(position.capability),
    );
  }

  private async waitForFirstResolution(signal: AbortSignal): Promise<void> {
    // An abort event never fires for a signal that has already aborted.
    if (signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    await Promise.race([
      this.firstResolution,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.startupWaitMs);
        onAbort = () => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

// The registry ranks candidates best first; those equal to the best in preference score and
// version (replicas of one provider) share tier 0, and each step down the ranking adds a tier.
function tiered(candidates: readonly ProviderCandidate[]): ProviderTarget[] {
  let tier = 0;
  return candidates.map((candidate, index) => {
    const previous = candidates[index - 1];
    if (previous && rankOf(previous) !== rankOf(candidate)) tier++;
    return {
      agentId: candidate.agent_id,
      functionName: candidate.function_name,
      endpoint: candidate.endpoint,
      kwargs: candidate.kwargs ?? {},
      tier,
    };
  });
}

function rankOf(candidate: ProviderCandidate): string {
  return `${candidate.score ?? 0}|${candidate.version ?? ''}`;
}
