import { SdkError, SdkErrorCode } from '@modelcontextprotocol/server';
import type { Dispatcher } from 'undici';
import { httpFailure, protocolError, retryAfterMs } from './http-failure.js';
import {
  currentOutboundCall,
  type OutboundCall,
  ResponseTooLargeError,
} from './outbound-headers.js';
import type { ProviderProtocol } from './provider-protocol.js';
import { readEventStream, readTextPrefix, readWholeBody } from './response-body.js';

/** What `tools/call` sends: the tool, its arguments, and any `_meta` of the caller's own. */
export interface ToolCallParams {
  readonly name: string;
  readonly arguments?: Record<string, unknown>;
  readonly _meta?: Record<string, unknown>;
}

/** One progress notification of the remote tool. */
export interface ToolCallProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/** The options of the SDK client's `callTool` that a mesh call uses, with the same meaning. */
export interface ToolCallOptions {
  /** Milliseconds without an answer (or, with `resetTimeoutOnProgress`, without progress). */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
  /** Asks the provider for progress (and so for a streamed answer). */
  readonly onprogress?: (progress: ToolCallProgress) => void;
  readonly resetTimeoutOnProgress?: boolean;
}

/** A tool's result exactly as the provider sent it (`content`, `structuredContent`, `_meta`, …). */
export type RawToolResult = Record<string, unknown>;

/** The SDK client's default request timeout, for calls that set none. */
const defaultTimeoutMs = 60_000;
const maxTimerMs = 2 ** 31 - 1;
/** How much of an error answer's body is kept for its message. */
const errorTextLimit = 16 * 1024;
/** Headers the exchange itself sets: a caller's header of the same name is not sent. */
const reservedHeaders = new Set([
  'content-type',
  'accept',
  'content-length',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
  'mcp-session-id',
]);

interface JsonRpcAnswer {
  readonly id?: unknown;
  readonly result?: RawToolResult;
  readonly error?: { code: number; message: string; data?: unknown };
}

/**
 * `tools/call` to one provider, sent directly as a JSON-RPC POST over a bounded keep-alive pool
 * once the era has been negotiated: the answer read as JSON, or as an event stream when the
 * provider streams (progress, then the result); `max_response_size` enforced while reading;
 * timeouts and aborts cancel the remote call the way the SDK does (a 2025-era session gets
 * `notifications/cancelled`, a 2026-era request has its stream closed). Headers of the call come
 * from the outbound call in scope (see withOutboundCall). A 2025-era session the provider no longer
 * knows (404) is re-negotiated once and the call sent again: it never ran.
 */
export class ProviderClient {
  private nextId = 1;
  private protocol: Promise<ProviderProtocol>;

  private constructor(
    readonly endpoint: string,
    private readonly dispatcher: Dispatcher,
    private readonly negotiate: () => Promise<ProviderProtocol>,
    initial: ProviderProtocol,
  ) {
    this.protocol = Promise.resolve(initial);
  }

  /** Negotiates with the provider, then answers a client ready for calls. */
  static async connect(
    endpoint: string,
    dispatcher: Dispatcher,
    negotiate: () => Promise<ProviderProtocol>,
  ): Promise<ProviderClient> {
    return new ProviderClient(endpoint, dispatcher, negotiate, await negotiate());
  }

  /** Calls a tool; answers its raw result, or fails as the SDK client's `callTool` would. */
  callTool(params: ToolCallParams, options: ToolCallOptions = {}): Promise<RawToolResult> {
    const outbound = currentOutboundCall();
    const { signal, onprogress } = options;
    return new Promise<RawToolResult>((resolve, reject) => {
      if (signal?.aborted) {
        reject(asSdkError(signal.reason));
        return;
      }
      const id = this.nextId++;
      const controller = new AbortController();
      let sentWith: ProviderProtocol | undefined;
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const cancel = (reason: unknown) => {
        if (settled) return;
        settle();
        if (sentWith && !sentWith.modern) this.notifyCancelled(sentWith, id, reason, outbound);
        controller.abort(reason);
        reject(asSdkError(reason));
      };
      const onAbort = () => cancel(signal?.reason);
      const timeout = options.timeout ?? defaultTimeoutMs;
      // Past 2^31-1 ms a Node timer fires at once; such a call simply has no timeout of its own.
      const timer =
        timeout < maxTimerMs
          ? setTimeout(
              () =>
                cancel(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout })),
              Math.max(0, timeout),
            )
          : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      const progress =
        onprogress &&
        ((update: ToolCallProgress) => {
          if (settled) return;
          if (options.resetTimeoutOnProgress) timer?.refresh();
          onprogress(update);
        });
      this.send(id, params, outbound, controller.signal, progress, (protocol) => {
        sentWith = protocol;
      }).then(
        (result) => {
          if (settled) return;
          settle();
          resolve(result);
        },
        (error: unknown) => {
          if (settled) return;
          settle();
          controller.abort();
          reject(error);
        },
      );
    });
  }

  /** Ends a 2025-era session on the provider (best effort). */
  async close(): Promise<void> {
    const protocol = await this.protocol.catch(() => undefined);
    if (!protocol?.sessionId) return;
    const { body } = await this.dispatcher.request({
      origin: this.endpoint,
      path: '/mcp',
      method: 'DELETE',
      headers: {
        'mcp-protocol-version': protocol.version,
        'mcp-session-id': protocol.sessionId,
      },
    });
    await body.dump();
  }

  private async send(
    id: number,
    params: ToolCallParams,
    outbound: OutboundCall | undefined,
    signal: AbortSignal,
    onProgress: ((progress: ToolCallProgress) => void) | undefined,
    sending: (protocol: ProviderProtocol) => void,
  ): Promise<RawToolResult> {
    for (let attempt = 0; ; attempt++) {
      const protocol = await this.protocol;
      sending(protocol);
      const answer = await this.post(protocol, id, params, outbound, signal, onProgress);
      if (answer === 'session-expired') {
        if (attempt > 0) {
          throw new SdkError(
            SdkErrorCode.ConnectionClosed,
            `${this.endpoint} does not know the MCP session it just opened`,
          );
        }
        await this.renegotiate(protocol);
        continue;
      }
      if (answer.error) throw protocolError(answer.error);
      const result = answer.result;
      if (typeof result !== 'object' || result === null) {
        throw new SdkError(
          SdkErrorCode.InvalidResult,
          'Invalid result for tools/call: not an object',
        );
      }
      const kind = result.resultType;
      if (protocol.modern && kind !== undefined && kind !== 'complete') {
        // Mid-call input (elicitation, sampling) is not something a mesh call can give.
        throw new SdkError(
          SdkErrorCode.InvalidResult,
          `tools/call answered resultType "${String(kind)}"; a mesh call can only take a complete result`,
        );
      }
      return result;
    }
  }

  private async post(
    protocol: ProviderProtocol,
    id: number,
    params: ToolCallParams,
    outbound: OutboundCall | undefined,
    signal: AbortSignal,
    onProgress: ((progress: ToolCallProgress) => void) | undefined,
  ): Promise<JsonRpcAnswer | 'session-expired'> {
    const limit = outbound?.maxResponseSize;
    const response = await this.dispatcher.request({
      origin: this.endpoint,
      path: '/mcp',
      method: 'POST',
      headers: this.headers(protocol, params.name, outbound),
      body: toolCallBody(protocol, id, params, onProgress !== undefined),
      signal,
    });
    const { statusCode, headers, body } = response;
    if (statusCode === 404 && protocol.sessionId !== undefined) {
      await body.dump();
      return 'session-expired';
    }
    if (statusCode < 200 || statusCode >= 300) {
      const text = await readTextPrefix(body, Math.min(limit ?? errorTextLimit, errorTextLimit));
      const retryAfter = retryAfterMs(headers['retry-after']);
      throw httpFailure(
        {
          status: statusCode,
          statusText: response.statusText,
          text,
          ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        },
        id,
        protocol.modern,
      );
    }
    const length = Number(headers['content-length']);
    if (limit !== undefined && length > limit) {
      // Known too large before reading a byte of it.
      body.destroy();
      throw new ResponseTooLargeError(limit);
    }
    const type = mediaType(headers['content-type']);
    if (type === 'application/json') {
      const answer = JSON.parse((await readWholeBody(body, limit)).toString('utf8')) as unknown;
      return answerFor(answer, id, this.endpoint);
    }
    if (type === 'text/event-stream') {
      return this.readStream(body, limit, id, onProgress, (request) =>
        this.refuseServerRequest(protocol, request, outbound),
      );
    }
    await body.dump();
    if (statusCode === 202) {
      throw new Error(`${this.endpoint} accepted tools/call (202) without answering it`);
    }
    throw new SdkError(
      SdkErrorCode.ClientHttpUnexpectedContent,
      `Unexpected content type: ${String(headers['content-type'])}`,
    );
  }

  // Progress as it comes; the answer as soon as it is there (the stream is read to its end in
  // the background, so the connection goes back to the pool).
  private readStream(
    body: Parameters<typeof readWholeBody>[0],
    limit: number | undefined,
    id: number,
    onProgress: ((progress: ToolCallProgress) => void) | undefined,
    onServerRequest: (request: { id: unknown; method: string }) => void,
  ): Promise<JsonRpcAnswer> {
    return new Promise((resolve, reject) => {
      let answered = false;
      readEventStream(body, limit, (event) => {
        if (answered || event.event !== 'message') return;
        const message = JSON.parse(event.data) as {
          id?: unknown;
          method?: unknown;
          params?: { progressToken?: unknown } & ToolCallProgress;
        };
        if (message.id === id && message.method === undefined) {
          answered = true;
          resolve(message as JsonRpcAnswer);
        } else if (typeof message.method === 'string' && message.id !== undefined) {
          onServerRequest({ id: message.id, method: message.method });
        } else if (
          message.method === 'notifications/progress' &&
          message.params?.progressToken === id
        ) {
          const { progress, total, message: text } = message.params;
          onProgress?.({
            progress,
            ...(total === undefined ? {} : { total }),
            ...(text === undefined ? {} : { message: text }),
          });
        }
      }).then(
        () => {
          if (!answered) {
            reject(
              new SdkError(
                SdkErrorCode.ConnectionClosed,
                `${this.endpoint} ended the stream of tools/call without answering it`,
              ),
            );
          }
        },
        (error: unknown) => {
          if (!answered) reject(error);
        },
      );
    });
  }

  // Re-opens the session once for every call that found it gone, not once per call.
  private renegotiate(stale: ProviderProtocol): Promise<ProviderProtocol> {
    return this.protocol.then((current) => {
      if (current !== stale) return current;
      const next = this.negotiate();
      this.protocol = next;
      // A failed attempt is not kept: the next call tries again.
      next.catch(() => {
        if (this.protocol === next) this.protocol = Promise.resolve(stale);
      });
      return next;
    });
  }

  private headers(
    protocol: ProviderProtocol,
    tool: string,
    outbound: OutboundCall | undefined,
  ): Record<string, string> {
    const headers: Record<string, string> = {};
    if (outbound) {
      for (const name in outbound.headers) {
        const lower = name.toLowerCase();
        if (!reservedHeaders.has(lower)) headers[lower] = outbound.headers[name]!;
      }
    }
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json, text/event-stream';
    headers['mcp-protocol-version'] = protocol.version;
    if (protocol.modern) {
      headers['mcp-method'] = 'tools/call';
      headers['mcp-name'] = headerSafe(tool);
    } else if (protocol.sessionId !== undefined) {
      headers['mcp-session-id'] = protocol.sessionId;
    }
    return headers;
  }

  // What the SDK sends when a 2025-era request is cancelled, so that the provider's handler (and
  // every call it made in turn) is aborted too. Fire and forget: the caller has its answer.
  private notifyCancelled(
    protocol: ProviderProtocol,
    id: number,
    reason: unknown,
    outbound: OutboundCall | undefined,
  ): void {
    this.postAside(
      protocol,
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: id, reason: String(reason) },
      },
      outbound,
    );
  }

  // A provider of the 2025 era may ask its caller something in the middle of a call (over the
  // call's stream). A mesh call has nothing to offer (no sampling, no elicitation, no roots):
  // answer at once, as the SDK client does, rather than leave the provider's handler waiting.
  private refuseServerRequest(
    protocol: ProviderProtocol,
    request: { id: unknown; method: string },
    outbound: OutboundCall | undefined,
  ): void {
    if (protocol.modern) return;
    this.postAside(
      protocol,
      request.method === 'ping'
        ? { jsonrpc: '2.0', id: request.id, result: {} }
        : {
            jsonrpc: '2.0',
            id: request.id,
            error: { code: -32601, message: `Method not found: ${request.method}` },
          },
      outbound,
    );
  }

  private postAside(
    protocol: ProviderProtocol,
    message: object,
    outbound: OutboundCall | undefined,
  ): void {
    this.dispatcher
      .request({
        origin: this.endpoint,
        path: '/mcp',
        method: 'POST',
        headers: this.headers(protocol, '', outbound),
        body: JSON.stringify(message),
      })
      .then(({ body }) => body.dump())
      .catch(() => undefined);
  }
}

/** The JSON-RPC request, written directly: the envelope is the same text for every call. */
function toolCallBody(
  protocol: ProviderProtocol,
  id: number,
  params: ToolCallParams,
  wantsProgress: boolean,
): string {
  const fields: string[] = [];
  if (protocol.envelope) fields.push(protocol.envelope);
  if (params._meta) {
    const own = JSON.stringify(params._meta).slice(1, -1);
    if (own) fields.push(own);
  }
  if (wantsProgress) fields.push(`"progressToken":${id}`);
  const args =
    params.arguments === undefined ? '' : `,"arguments":${JSON.stringify(params.arguments)}`;
  const meta = fields.length === 0 ? '' : `,"_meta":{${fields.join(',')}}`;
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${JSON.stringify(params.name)}${args}${meta}}}`;
}

function answerFor(answer: unknown, id: number, endpoint: string): JsonRpcAnswer {
  const messages = Array.isArray(answer) ? answer : [answer];
  const mine = messages.find(
    (message): message is JsonRpcAnswer =>
      typeof message === 'object' && message !== null && (message as JsonRpcAnswer).id === id,
  );
  if (!mine) throw new Error(`${endpoint} answered tools/call with no response to request ${id}`);
  return mine;
}

function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return '';
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

// The SDK's rule for `Mcp-Name`: a value that is not plain printable ASCII goes base64-encoded.
function headerSafe(value: string): string {
  const plain = value !== '' && value === value.trim() && /^[\t\x20-\x7e]*$/.test(value);
  return plain && !value.startsWith('=?base64?')
    ? value
    : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function asSdkError(reason: unknown): SdkError {
  return reason instanceof SdkError
    ? reason
    : new SdkError(SdkErrorCode.RequestTimeout, String(reason));
}
