import type { Pool } from 'undici';
import { EventStreamReader } from '../proxy/event-stream.js';
import { loadUndici } from '../proxy/load-undici.js';
import type { RegistrationBody } from './registration-body.js';

/** One provider of a dependency position, as the registry answers it. */
export interface ProviderCandidate {
  readonly agent_id: string;
  readonly function_name: string;
  readonly endpoint: string;
  readonly capability: string;
  readonly version?: string;
  readonly tags?: readonly string[];
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Preference score the registry ranked it by (our registry's extension). */
  readonly score?: number;
}

/** The registry's answer for one dependency position. */
export interface ResolvedPosition extends ProviderCandidate {
  readonly status: 'available' | 'unresolved';
  /** Every acceptable provider, best first (absent from the predecessor's registry). */
  readonly candidates?: readonly ProviderCandidate[];
}

export interface HeartbeatAnswer {
  readonly agent_id: string;
  readonly dependencies_resolved?: Readonly<Record<string, readonly ResolvedPosition[]>>;
  readonly revision?: number;
}

/** One agent of a `GET /agents` listing: the fields the runtime reads. */
export interface ListedAgent {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** `http://host:port`. */
  readonly endpoint: string;
}

/** A registry request failed; `status` is the HTTP status, absent when none came back. */
export class RegistryRequestError extends Error {
  override readonly name = 'RegistryRequestError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The runtime's side of the registry protocol, over one keep-alive connection pool. */
export class RegistryClient {
  private pool: Promise<Pool> | undefined;
  private readonly credentialHeaders: Record<string, string>;

  /**
   * `credential`: sent as a bearer token to a registry with trust on (MCP_MESH_CREDENTIAL_FILE);
   * `ca`: the CAs an `https://` registry's certificate is checked against (MCP_MESH_TLS_CA).
   */
  constructor(
    readonly url: string,
    private readonly options: {
      readonly credential?: string;
      readonly ca?: readonly string[];
    } = {},
  ) {
    this.credentialHeaders =
      options.credential === undefined ? {} : { authorization: `Bearer ${options.credential}` };
  }

  async register(body: RegistrationBody): Promise<HeartbeatAnswer> {
    const response = await this.send('POST', '/heartbeat', JSON.stringify(body));
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new RegistryRequestError(
        `registry answered ${response.statusCode} to POST /heartbeat: ${text.slice(0, 500)}`,
        response.statusCode,
      );
    }
    return JSON.parse(text) as HeartbeatAnswer;
  }

  /** `HEAD /heartbeat/{id}`: 200 nothing changed, 202 send a full heartbeat, 410 re-register. */
  async heartbeat(agentId: string): Promise<number> {
    const response = await this.send('HEAD', `/heartbeat/${encodeURIComponent(agentId)}`);
    await response.body.dump();
    return response.statusCode;
  }

  async unregister(agentId: string): Promise<void> {
    const response = await this.send('DELETE', `/agents/${encodeURIComponent(agentId)}`);
    await response.body.dump();
  }

  /**
   * Follows `GET /watch?agent_id=…` and calls `onChange` for each topology event, until the
   * signal aborts or the stream ends (then the promise settles; the caller reconnects).
   */
  async watch(
    agentId: string,
    revision: number | undefined,
    signal: AbortSignal,
    onChange: (revision: number) => void,
  ): Promise<void> {
    const query = `agent_id=${encodeURIComponent(agentId)}${revision === undefined ? '' : `&revision=${revision}`}`;
    const response = await (await this.connections()).request({
      method: 'GET',
      path: `/watch?${query}`,
      headers: { accept: 'text/event-stream', ...this.credentialHeaders },
      signal,
      bodyTimeout: 0,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new RegistryRequestError(
        `registry answered ${response.statusCode} to GET /watch`,
        response.statusCode,
      );
    }
    const reader = new EventStreamReader({
      onEvent: ({ data }) => onChange((JSON.parse(data) as { revision: number }).revision),
    });
    for await (const chunk of response.body) reader.push(chunk as Buffer);
    reader.end();
  }

  /** `GET /agents?status=healthy&capability=…`: the healthy agents that provide a capability. */
  async healthyProviders(capability: string): Promise<readonly ListedAgent[]> {
    const response = await this.send(
      'GET',
      `/agents?status=healthy&capability=${encodeURIComponent(capability)}`,
    );
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new RegistryRequestError(
        `registry answered ${response.statusCode} to GET /agents: ${text.slice(0, 500)}`,
        response.statusCode,
      );
    }
    return (JSON.parse(text) as { agents: ListedAgent[] }).agents;
  }

  async close(): Promise<void> {
    await (await this.pool)?.close();
  }

  private async send(method: 'GET' | 'POST' | 'HEAD' | 'DELETE', path: string, body?: string) {
    return (await this.connections()).request({
      method,
      path,
      headers:
        body === undefined
          ? this.credentialHeaders
          : { 'content-type': 'application/json', ...this.credentialHeaders },
      ...(body === undefined ? {} : { body }),
    });
  }

  private connections(): Promise<Pool> {
    this.pool ??= loadUndici().then(
      ({ Pool }) =>
        new Pool(this.url, {
          connections: 4,
          keepAliveTimeout: 30_000,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
          ...(this.options.ca === undefined ? {} : { connect: { ca: [...this.options.ca] } }),
        }),
    );
    return this.pool;
  }
}
