import type { DependencyRequest } from '../resolution/provider.js';

/** One tool of a registration, normalised from the request body (defaults filled in). */
export interface ToolRegistration {
  readonly functionName: string;
  readonly capability: string;
  readonly version: string;
  readonly tags: readonly string[];
  readonly description?: string;
  readonly inputSchema?: Readonly<Record<string, unknown>>;
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly dependencies: readonly DependencyRequest[];
}

/** A registration (a full heartbeat), normalised from `POST /heartbeat`. */
export interface AgentRegistration {
  readonly agentId: string;
  readonly agentType: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly namespace: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly runtime: string;
  readonly tools: readonly ToolRegistration[];
}

/** Where other agents reach an agent; empty when it announced no port. */
export function endpointOf(registration: Pick<AgentRegistration, 'httpHost' | 'httpPort'>): string {
  if (registration.httpPort === 0) return '';
  const host = registration.httpHost.includes(':')
    ? `[${registration.httpHost}]`
    : registration.httpHost;
  return `http://${host}:${registration.httpPort}`;
}
