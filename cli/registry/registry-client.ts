import { configuredCa, credentialHeaders } from '../trust/registry-access.js';
import { AnswerTimeoutError, getText } from './get-text.js';
import type {
  AgentDependenciesResponse,
  AgentInfo,
  AgentsListResponse,
  ErrorResponse,
  EventsHistoryResponse,
  RecentTracesResponse,
  RegistryEventInfo,
  RegistryEventType,
  TraceResponse,
} from './registry-types.js';

/** How long meshctl waits for the registry to answer a read. */
const answerTimeoutMs = 15_000;

// Error codes meaning the request never reached a registry: Node's (registry reads) and
// undici's (`meshctl call`).
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** No registry answers at the URL; the message says how to get one. */
export class RegistryUnreachableError extends Error {
  override readonly name = 'RegistryUnreachableError';

  constructor(
    readonly registryUrl: string,
    options?: ErrorOptions,
  ) {
    super(registryUnreachableMessage(registryUrl), options);
  }
}

/** The one-line explanation meshctl gives whenever it cannot reach the registry. */
export function registryUnreachableMessage(registryUrl: string): string {
  return `registry unreachable at ${registryUrl} — start one with \`meshctl registry start\` (or \`meshctl start\`), or set MCP_MESH_REGISTRY_URL / --registry-url`;
}

/** The registry answered, but with an error (4xx/5xx) or something that is not its API. */
export class RegistryRequestError extends Error {
  override readonly name = 'RegistryRequestError';

  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface EventQuery {
  readonly agentId?: string;
  readonly type?: RegistryEventType;
  readonly functionName?: string;
  /** 1 to 1000; the registry's default is 100. */
  readonly limit?: number;
}

/** The registry's read API as meshctl uses it, over node:http(s). */
export class RegistryClient {
  /** @param baseUrl `http://host:port`, no trailing slash (see `registryUrlFrom`). */
  constructor(readonly baseUrl: string) {}

  /** `GET /agents`: every registered agent, whatever its health, sorted by id. */
  async listAgents(): Promise<AgentInfo[]> {
    return (await this.agentsResponse()).agents;
  }

  /** `GET /agents` as the registry answered it (`agents`, `count`, `timestamp`). */
  async agentsResponse(): Promise<AgentsListResponse> {
    const answer = await this.getJson<AgentsListResponse>('/agents');
    // The predecessor's registry answers `"agents": null` while none is registered.
    if (answer && typeof answer === 'object' && answer.agents === null) {
      return { ...answer, agents: [] };
    }
    if (!Array.isArray(answer?.agents)) throw this.notTheApi('/agents');
    return answer;
  }

  /**
   * `GET /agents/{id}/dependencies`: each dependency position of one agent resolved now, with
   * every candidate and rejection.
   */
  async agentDependencies(agentId: string): Promise<AgentDependenciesResponse> {
    const path = `/agents/${encodeURIComponent(agentId)}/dependencies`;
    const answer = await this.getJson<AgentDependenciesResponse>(path);
    if (!Array.isArray(answer?.dependencies)) throw this.notTheApi(path);
    return answer;
  }

  /** `GET /events`: recorded events, newest first. */
  async listEvents(query: EventQuery = {}): Promise<RegistryEventInfo[]> {
    const parameters = new URLSearchParams();
    if (query.agentId !== undefined) parameters.set('agent_id', query.agentId);
    if (query.type !== undefined) parameters.set('type', query.type);
    if (query.functionName !== undefined) parameters.set('function_name', query.functionName);
    if (query.limit !== undefined) parameters.set('limit', String(query.limit));
    const search = parameters.size > 0 ? `?${parameters}` : '';
    const answer = await this.getJson<EventsHistoryResponse>(`/events${search}`);
    if (!Array.isArray(answer?.events)) throw this.notTheApi('/events');
    return answer.events;
  }

  /** `GET /traces/{id}`: one trace's spans, in call-tree order (404 when not kept). */
  async trace(traceId: string): Promise<TraceResponse> {
    const path = `/traces/${encodeURIComponent(traceId)}`;
    const answer = await this.getJson<TraceResponse>(path);
    if (!Array.isArray(answer?.spans)) throw this.notTheApi(path);
    return answer;
  }

  /** `GET /traces`: the most recent traces the registry keeps, newest first. */
  async recentTraces(limit: number): Promise<RecentTracesResponse> {
    const path = `/traces?limit=${limit}`;
    const answer = await this.getJson<RecentTracesResponse>(path);
    if (!Array.isArray(answer?.traces)) throw this.notTheApi(path);
    return answer;
  }

  /** The URL of an agent's MCP endpoint relayed by the registry (`/proxy/{id}/mcp`). */
  proxyUrl(agentId: string): string {
    return `${this.baseUrl}/proxy/${encodeURIComponent(agentId)}/mcp`;
  }

  private async getJson<T>(path: string): Promise<T> {
    let status: number;
    let text: string;
    try {
      ({ status, text } = await getText(`${this.baseUrl}${path}`, {
        headers: { accept: 'application/json', ...credentialHeaders() },
        timeoutMs: answerTimeoutMs,
        ca: configuredCa(),
      }));
    } catch (error) {
      if (isUnreachable(error)) throw new RegistryUnreachableError(this.baseUrl, { cause: error });
      if (error instanceof AnswerTimeoutError) {
        throw new RegistryRequestError(
          `registry at ${this.baseUrl} did not answer GET ${path} within ${answerTimeoutMs / 1000} s; is it overloaded or stuck? (GET ${this.baseUrl}/health)`,
          0,
          undefined,
        );
      }
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.notTheApi(path, status);
    }
    if (status >= 400) {
      const error = body as Partial<ErrorResponse>;
      const detail = typeof error.message === 'string' ? error.message : text.slice(0, 200);
      throw new RegistryRequestError(
        `registry at ${this.baseUrl} refused GET ${path} (${status}${error.error ? ` ${error.error}` : ''}): ${detail}`,
        status,
        typeof error.error === 'string' ? error.error : undefined,
      );
    }
    return body as T;
  }

  private notTheApi(path: string, status?: number): RegistryRequestError {
    return new RegistryRequestError(
      `${this.baseUrl} answered GET ${path}${status === undefined ? '' : ` with ${status}`} but not as an MCP Mesh registry; check --registry-url / MCP_MESH_REGISTRY_URL`,
      status ?? 0,
      undefined,
    );
  }
}

/** Whether an error (or one it wraps) says that nothing could be reached at the address. */
export function isUnreachable(error: unknown): boolean {
  for (const code of errorCodes(error)) if (unreachableCodes.has(code)) return true;
  return false;
}

/** The string `code`s of an error, the errors it wraps (`cause`) and aggregates (`errors`). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (current: unknown, depth: number) => {
    if (!current || typeof current !== 'object' || seen.has(current) || depth > 6) return;
    seen.add(current);
    const { code, cause, errors } = current as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    visit(cause, depth + 1);
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes;
}
