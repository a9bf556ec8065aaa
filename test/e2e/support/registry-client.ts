/**
 * A small HTTP client for the registry API as end-to-end tests use it: raw answers (status,
 * headers, text, JSON) plus typed helpers for the common calls, and builders for
 * registrations.
 */
import { randomBytes } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Wire shapes (spec/registry.openapi.yaml), as far as the tests read them.

export interface DependencyBody {
  capability: string;
  version?: string;
  tags?: (string | string[])[];
  namespace?: string;
  required?: boolean;
}

export interface ToolBody {
  function_name: string;
  capability: string;
  version?: string;
  tags?: string[];
  description?: string;
  kwargs?: Record<string, unknown>;
  /** A position is one dependency, or a list of alternatives: the first that resolves wins. */
  dependencies?: (DependencyBody | DependencyBody[])[];
}

export interface RegistrationBody {
  agent_id: string;
  name?: string;
  agent_type?: string;
  version?: string;
  namespace?: string;
  runtime?: string;
  http_host?: string;
  http_port?: number;
  tools?: ToolBody[];
  [extra: string]: unknown;
}

export interface CandidateBody {
  agent_id: string;
  function_name: string;
  endpoint: string;
  capability: string;
  version: string;
  tags: string[];
  kwargs: Record<string, unknown>;
  score: number;
}

export interface ResolvedDependencyBody {
  agent_id: string;
  function_name: string;
  endpoint: string;
  capability: string;
  status: 'available' | 'unresolved';
  kwargs?: Record<string, unknown>;
  /** Which alternative of a position given as a list resolved (absent otherwise). */
  alternative?: number;
  candidates: CandidateBody[];
}

export interface HeartbeatAnswer {
  status: string;
  timestamp: string;
  message: string;
  agent_id: string;
  dependencies_resolved: Record<string, ResolvedDependencyBody[]>;
  revision: number;
}

export interface CapabilityInfo {
  name: string;
  version: string;
  function_name: string;
  tags: string[];
  available: boolean;
  unavailable_reason?: string;
}

export interface AgentInfo {
  id: string;
  name: string;
  agent_type: string;
  runtime?: string;
  namespace?: string;
  status: string;
  endpoint: string;
  version?: string;
  capabilities: CapabilityInfo[];
  total_dependencies: number;
  dependencies_resolved: number;
  dependency_resolutions: {
    function_name: string;
    capability: string;
    provider_agent_id: string | null;
    mcp_tool: string | null;
    endpoint: string | null;
    status: string;
  }[];
  created_at: string;
  last_seen: string;
}

export interface AgentsAnswer {
  agents: AgentInfo[];
  count: number;
  timestamp: string;
}

export interface EventInfo {
  event_id: number;
  event_type: string;
  agent_id: string;
  agent_name?: string;
  function_name?: string | null;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface EventsAnswer {
  events: EventInfo[];
  count: number;
}

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
  timestamp: string;
}

// ---------------------------------------------------------------------------------------------

/** One HTTP answer, fully read. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is (set `content-type` yourself). */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** Query parameters; arrays repeat the parameter. */
export type Query = Readonly<Record<string, string | number | readonly string[] | undefined>>;

export function withQuery(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const entry of Array.isArray(value) ? value : [value]) search.append(name, String(entry));
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

export class RegistryClient {
  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  get(path: string, query?: Query, headers?: Record<string, string>): Promise<Answer> {
    return this.call('GET', withQuery(path, query), headers ? { headers } : {});
  }

  /** `POST /heartbeat`, whatever the answer. */
  heartbeat(registration: unknown): Promise<Answer> {
    return this.call('POST', '/heartbeat', { json: registration });
  }

  /** `POST /heartbeat`, expecting success. */
  async register(registration: RegistrationBody): Promise<HeartbeatAnswer> {
    const answer = await this.heartbeat(registration);
    if (answer.status !== 200) {
      throw new Error(
        `POST /heartbeat for ${registration.agent_id} answered ${answer.status}: ${answer.text}`,
      );
    }
    return answer.json as HeartbeatAnswer;
  }

  /** `HEAD /heartbeat/{id}`: the status code. */
  async head(agentId: string): Promise<number> {
    return (await this.headAnswer(agentId)).status;
  }

  headAnswer(agentId: string): Promise<Answer> {
    return this.call('HEAD', `/heartbeat/${encodeURIComponent(agentId)}`);
  }

  unregister(agentId: string): Promise<Answer> {
    return this.call('DELETE', `/agents/${encodeURIComponent(agentId)}`);
  }

  async agents(query: Query = {}): Promise<AgentInfo[]> {
    const answer = await this.get('/agents', query);
    if (answer.status !== 200)
      throw new Error(`GET /agents answered ${answer.status}: ${answer.text}`);
    return (answer.json as AgentsAnswer).agents;
  }

  async agent(agentId: string): Promise<AgentInfo | undefined> {
    return (await this.agents()).find((agent) => agent.id === agentId);
  }

  async events(query: Query = {}): Promise<EventInfo[]> {
    const answer = await this.get('/events', query);
    if (answer.status !== 200)
      throw new Error(`GET /events answered ${answer.status}: ${answer.text}`);
    return (answer.json as EventsAnswer).events;
  }

  /** The current topology revision (from a long poll that answers at once). */
  async revision(): Promise<number> {
    const answer = await this.get('/watch', { wait: 0 }, { accept: 'application/json' });
    return (answer.json as { revision: number }).revision;
  }
}

// ---------------------------------------------------------------------------------------------
// Registration builders.

let counter = 0;

/** A name no other test (or earlier run against the same database) uses. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}

let nextPort = 41_000;

/** A registration of a reachable-looking agent on loopback (nothing listens there). */
export function agentBody(
  agentId: string,
  tools: ToolBody[],
  extra: Partial<RegistrationBody> = {},
): RegistrationBody {
  nextPort += 1;
  return {
    agent_id: agentId,
    name: agentId,
    runtime: 'typescript',
    http_host: '127.0.0.1',
    http_port: nextPort,
    tools,
    ...extra,
  };
}

export function tool(
  functionName: string,
  capability: string,
  options: Omit<ToolBody, 'function_name' | 'capability'> = {},
): ToolBody {
  return { function_name: functionName, capability, ...options };
}

export function dependency(
  capability: string,
  options: Omit<DependencyBody, 'capability'> = {},
): DependencyBody {
  return { capability, ...options };
}

/**
 * Registers a consumer (`consumerId`, default a fresh id) with one tool `consume` depending on
 * `wanted`, and answers the resolution of that position.
 */
export async function resolveOne(
  client: RegistryClient,
  wanted: DependencyBody,
  consumerId = unique('consumer'),
): Promise<ResolvedDependencyBody> {
  const answer = await client.register(
    agentBody(consumerId, [tool('consume', unique('consume'), { dependencies: [wanted] })]),
  );
  const position = answer.dependencies_resolved.consume?.[0];
  if (!position) throw new Error(`no resolution for consume: ${JSON.stringify(answer)}`);
  return position;
}

/** The agent ids of a position's candidates, best first. */
export const candidateIds = (position: ResolvedDependencyBody): string[] =>
  position.candidates.map((candidate) => candidate.agent_id);

// ---------------------------------------------------------------------------------------------
// Waiting.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it answers something other than undefined/false, and answers that;
 * fails after `timeoutMs` with `what` and the last value seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}

/**
 * Keeps an agent alive with `HEAD /heartbeat/{id}` every `everyMs` until `stop()`. With
 * `registration`, it behaves like a real agent: a 202 or 410 is followed by a full POST
 * (so a stall of a loaded test machine cannot leave it unhealthy for good).
 */
export function keepAlive(
  client: RegistryClient,
  agentId: string,
  everyMs = 250,
  registration?: RegistrationBody,
): { stop(): void; readonly statuses: number[] } {
  const statuses: number[] = [];
  const timer = setInterval(() => {
    client.head(agentId).then(
      (status) => {
        statuses.push(status);
        if (registration && (status === 202 || status === 410)) {
          client.heartbeat(registration).catch(() => undefined);
        }
      },
      () => statuses.push(0),
    );
  }, everyMs);
  return {
    statuses,
    stop: () => clearInterval(timer),
  };
}

/** Asserts the shape of an error answer and returns its body. */
export function errorBody(answer: Answer): ErrorBody {
  const body = answer.json as ErrorBody | undefined;
  if (!body || typeof body !== 'object') {
    throw new Error(`expected a JSON error body, got ${answer.status}: ${answer.text}`);
  }
  return body;
}
