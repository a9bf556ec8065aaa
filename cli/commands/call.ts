import type { CallToolResult, Progress } from '@modelcontextprotocol/client';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { listAgents, matchAgents, noAgentMatches } from '../registry/match-agent.js';
import {
  isUnreachable,
  RegistryClient,
  registryUnreachableMessage,
} from '../registry/registry-client.js';
import type { AgentInfo, CapabilityInfo } from '../registry/registry-types.js';
import { addRegistryOptions, httpUrl, registryUrlFrom } from '../registry/registry-url.js';
import { traceCall } from '../tracing/trace-call.js';
import { credentialHeaders } from '../trust/registry-access.js';
import { UsageError } from '../usage-error.js';
import { meshctlVersion } from '../version.js';
import { hostPortProxyEndpoint } from './proxy-forms.js';

interface CallFlags {
  registryUrl?: string;
  json?: boolean;
  agentUrl?: string;
  timeout: string;
  session?: string;
  trace?: boolean;
}

export function registerCall(program: Command): void {
  addRegistryOptions(
    program
      .command('call')
      .description(
        'call a tool through the registry (by tool name or capability), or on one agent with --agent-url',
      )
      .argument(
        '<target>',
        '[agent:]tool — a tool or capability name; agent (id or name, or part of one) picks the agent',
      )
      .argument('[arguments]', 'the tool arguments as a JSON object', '{}'),
    'print the raw MCP CallToolResult as JSON',
  )
    .option(
      '--agent-url <url>',
      'call this agent directly (http://host:port; its /mcp), not through the registry',
    )
    .option('--timeout <seconds>', 'give up when no answer (or progress) comes for this long', '60')
    .option(
      '--session <id>',
      'the session of the call (X-Session-ID), for session_required tools; default: the session_id argument, if any',
    )
    .option(
      '--trace',
      'trace the call (OpenTelemetry) and print its trace id on stderr; spans go to the registry (or OTEL_EXPORTER_OTLP_ENDPOINT); see meshctl trace',
    )
    .action(async (target: string, rawArguments: string, flags: CallFlags) => {
      const wanted = parseTarget(target);
      const toolArguments = parseToolArguments(rawArguments);
      const timeoutMs = parseTimeout(flags.timeout);
      let endpoint: CallEndpoint;
      let tool: string;
      if (flags.agentUrl !== undefined) {
        if (wanted.agent !== undefined) {
          throw new UsageError(
            `--agent-url already names the agent; give the tool alone ("${wanted.tool}"), not "${target}"`,
          );
        }
        endpoint = { kind: 'direct', url: mcpUrl(httpUrl(flags.agentUrl, '--agent-url')) };
        tool = wanted.tool;
      } else {
        const registryUrl = registryUrlFrom(flags.registryUrl);
        const registry = new RegistryClient(registryUrl);
        const resolved = resolveCallTarget(await registry.listAgents(), wanted, registryUrl);
        endpoint = {
          kind: 'proxy',
          url: registry.proxyUrl(resolved.agent.id),
          agent: resolved.agent,
          registryUrl,
        };
        tool = resolved.tool;
      }
      // Each meshctl call is a fresh MCP session, which means nothing to a replica: the session the
      // arguments name is the one the call belongs to.
      const session =
        flags.session ??
        (typeof toolArguments.session_id === 'string' ? toolArguments.session_id : undefined);
      const traced = flags.trace
        ? await traceCall(`meshctl call ${tool}`, registryUrlFrom(flags.registryUrl))
        : undefined;
      const call = (target: CallEndpoint) =>
        callTool(target, tool, toolArguments, timeoutMs, session, traced?.traceparent);
      let result: CallToolResult;
      try {
        try {
          result = await call(endpoint);
        } catch (error) {
          // A 403 means the registry relayed nothing: repeating the call in the other key form is
          // safe, and is what makes the predecessor's registry answer.
          const other = httpStatusOf(error) === 403 ? hostPortProxyEndpoint(endpoint) : undefined;
          if (!other) throw error;
          result = await call(other);
        }
      } catch (error) {
        await traced?.end(error);
        throw error;
      }
      await traced?.end(result.isError ? 'tool_error' : undefined);
      if (flags.json) console.log(JSON.stringify(result, null, 2));
      if (result.isError) {
        if (!flags.json)
          console.error(`${toolLabel(endpoint, tool)} failed: ${resultText(result)}`);
        process.exitCode = exitCodes.failure;
        return;
      }
      if (!flags.json) console.log(formatResult(result));
    });
}

/** Where a call goes: the registry's relay to a registered agent, or an agent's own `/mcp`. */
export type CallEndpoint =
  | {
      readonly kind: 'proxy';
      readonly url: string;
      readonly agent: AgentInfo;
      readonly registryUrl: string;
      /** How the proxy URL names the agent: by id (ours), or by host:port (the predecessor's). */
      readonly form?: 'agent_id' | 'host_port';
    }
  | { readonly kind: 'direct'; readonly url: string };

/** `[agent:]tool` split at its last colon (agent ids may contain colons, tool names do not). */
export function parseTarget(raw: string): { agent?: string; tool: string } {
  const colon = raw.lastIndexOf(':');
  if (colon === -1) {
    if (raw.trim() === '')
      throw new UsageError('name the tool to call, like greet or greeter:greet');
    return { tool: raw };
  }
  const agent = raw.slice(0, colon);
  const tool = raw.slice(colon + 1);
  if (agent === '' || tool === '') {
    throw new UsageError(`"${raw}" is not [agent:]tool; write greeter:greet, or greet alone`);
  }
  return { agent, tool };
}

/** The tool arguments: a JSON object, or a usage error saying how to write one. */
export function parseToolArguments(raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(
      `the arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}); write an object in single quotes, like '{"name":"Ada"}'`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `the arguments must be a JSON object, like '{"name":"Ada"}', not ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`,
    );
  }
  return parsed as Record<string, unknown>;
}

function parseTimeout(raw: string): number {
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout "${raw}" must be a positive number of seconds`);
  }
  return seconds * 1000;
}

/** An agent URL as its MCP endpoint: `http://host:port` → `http://host:port/mcp`. */
export function mcpUrl(agentUrl: string): string {
  return /\/mcp$/.test(agentUrl) ? agentUrl : `${agentUrl}/mcp`;
}

export interface CallTarget {
  readonly agent: AgentInfo;
  /** The MCP tool name to call on it. */
  readonly tool: string;
}

/**
 * Picks the agent and tool for `[agent:]tool`. With an agent: the agents it matches (see
 * `matchAgents`) that have a tool of that name, else one providing a capability of that name;
 * instances of one agent are interchangeable, so the first healthy one is taken. Without: the
 * first healthy agent with a tool of that name, else with a capability of that name. Throws an
 * error that says what is wrong and what to do.
 */
export function resolveCallTarget(
  agents: readonly AgentInfo[],
  wanted: { readonly agent?: string; readonly tool: string },
  registryUrl: string,
): CallTarget {
  const { tool } = wanted;
  const pool = wanted.agent === undefined ? agents : matchAgents(agents, wanted.agent);
  if (wanted.agent !== undefined && pool.length === 0) {
    throw noAgentMatches(agents, wanted.agent, registryUrl);
  }
  for (const by of ['tool', 'capability'] as const) {
    const offering = pool
      .map((agent) => ({ agent, capability: findTool(agent, tool, by) }))
      .filter((entry): entry is { agent: AgentInfo; capability: CapabilityInfo } =>
        Boolean(entry.capability),
      );
    if (offering.length === 0) continue;
    const names = new Set(offering.map((entry) => entry.agent.name));
    if (wanted.agent !== undefined && names.size > 1) {
      throw new Error(
        `"${wanted.agent}" matches several agents offering ${tool}; give more of the id:\n${listAgents(
          offering.map((entry) => entry.agent),
        ).join('\n')}`,
      );
    }
    const healthy = offering.filter((entry) => entry.agent.status === 'healthy');
    const best =
      healthy.find((entry) => entry.capability.available !== false) ?? healthy[0] ?? undefined;
    if (best) return { agent: best.agent, tool: best.capability.function_name };
    const first = offering[0]!;
    throw new Error(
      `${
        offering.length === 1
          ? `agent ${first.agent.id} offers ${tool} but is ${first.agent.status}`
          : `${tool} is offered only by agents that are not healthy (${offering
              .map((entry) => `${entry.agent.id}: ${entry.agent.status}`)
              .join(', ')})`
      }; it has stopped sending heartbeats — restart it (meshctl start …) and check meshctl list --all`,
    );
  }
  if (wanted.agent !== undefined) {
    const offered = pool.flatMap((agent) =>
      agent.capabilities.map((entry) => `${entry.function_name} (${entry.name})`),
    );
    const who = pool.length === 1 ? `agent ${pool[0]!.id}` : `agents matching "${wanted.agent}"`;
    throw new Error(
      `${who} ${pool.length === 1 ? 'has' : 'have'} no tool or capability "${tool}"${
        offered.length > 0 ? `; offered: ${[...new Set(offered)].join(', ')}` : ''
      }`,
    );
  }
  throw new Error(
    `no agent at ${registryUrl} offers a tool or capability named "${tool}"; see meshctl list --tools`,
  );
}

function findTool(
  agent: AgentInfo,
  name: string,
  by: 'tool' | 'capability',
): CapabilityInfo | undefined {
  return agent.capabilities.find((entry) =>
    by === 'tool' ? entry.function_name === name : entry.name === name,
  );
}

/**
 * Calls `tool` over MCP (Streamable HTTP, protocol version negotiated), printing progress
 * notifications to stderr as they arrive. Failures become one-line errors that say what to do.
 */
export async function callTool(
  endpoint: CallEndpoint,
  tool: string,
  toolArguments: Record<string, unknown>,
  timeoutMs: number,
  session?: string,
  traceparent?: string,
): Promise<CallToolResult> {
  // Loaded on use: the MCP SDK takes most of a second to load, which other commands never need.
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const client = new Client(
    { name: 'meshctl', version: meshctlVersion },
    { versionNegotiation: { mode: 'auto' } },
  );
  // The SDK reports transport hiccups here as well as by rejecting the call; the rejection is
  // what meshctl explains, so these are not printed.
  client.onerror = () => undefined;
  try {
    const headers: Record<string, string> = {
      ...(session === undefined ? {} : { 'x-session-id': session }),
      ...(traceparent === undefined ? {} : { traceparent }),
    };
    await client.connect(
      new StreamableHTTPClientTransport(new URL(endpoint.url), {
        requestInit: { headers: { ...credentialHeaders(), ...headers } },
        // undici's fetch: it follows the dispatcher that trusts MCP_MESH_TLS_CA.
        ...(process.env.MCP_MESH_TLS_CA ? { fetch: (await import('undici')).fetch as never } : {}),
      }),
    );
    return (await client.callTool(
      { name: tool, arguments: toolArguments },
      {
        timeout: timeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: (progress) => console.error(formatProgress(progress)),
      },
    )) as CallToolResult;
  } catch (error) {
    let offered: string[] | undefined;
    if (isUnknownTool(error)) {
      offered = await client
        .listTools()
        .then((listing) => listing.tools.map((entry) => entry.name))
        .catch(() => undefined);
    }
    throw new Error(describeCallFailure(error, endpoint, tool, timeoutMs, offered), {
      cause: error,
    });
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** `progress 3/10: message`. */
export function formatProgress(progress: Progress): string {
  const total = progress.total === undefined ? '' : `/${progress.total}`;
  const message = progress.message ? `: ${progress.message}` : '';
  return `progress ${progress.progress}${total}${message}`;
}

// The SDK's error classes are told apart by their codes, so this module need not load the SDK:
// a ProtocolError carries the JSON-RPC error code (a number), an SdkError a string code.
function protocolErrorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'number' ? code : undefined;
}

function isUnknownTool(error: unknown): boolean {
  return (
    protocolErrorCode(error) === -32602 && /not found|unknown tool/i.test((error as Error).message)
  );
}

function isRequestTimeout(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'REQUEST_TIMEOUT';
}

/** One line for a failed call: what happened and what to do. */
export function describeCallFailure(
  error: unknown,
  endpoint: CallEndpoint,
  tool: string,
  timeoutMs: number,
  offeredTools?: readonly string[],
): string {
  const label = toolLabel(endpoint, tool);
  const where =
    endpoint.kind === 'proxy' ? `agent ${endpoint.agent.id}` : `the agent at ${endpoint.url}`;
  if (isUnknownTool(error)) {
    const offered =
      offeredTools && offeredTools.length > 0 ? `; it offers: ${offeredTools.join(', ')}` : '';
    return `${where} has no tool "${tool}"${offered}`;
  }
  const status = httpStatusOf(error);
  if (status !== undefined) {
    const detail = registryMessageOf(error);
    if (endpoint.kind === 'proxy') {
      if (status === 404) {
        return `${where} is no longer registered (it stopped or was removed)${detail ? `: ${detail}` : ''}; see meshctl list, or start it again`;
      }
      if (status === 502 || status === 503 || status === 504) {
        return `${where} cannot be reached through the registry${detail ? `: ${detail}` : ''}; it may have stopped — check meshctl status ${endpoint.agent.name}, restart it, or retry`;
      }
    }
    if (
      endpoint.kind === 'proxy' &&
      endpoint.form === 'host_port' &&
      status === 403 &&
      /not a registered agent/i.test(detail ?? '')
    ) {
      return `the registry at ${endpoint.registryUrl} refused to relay the call to ${where}, named by id and by host:port (HTTP 403${detail ? `: ${detail}` : ''}); the agent may have re-registered at another address (meshctl list), or call it directly with --agent-url ${endpoint.agent.endpoint}`;
    }
    if (status === 401 || status === 403) {
      return `${where} refused the call (HTTP ${status}${detail ? `: ${detail}` : ''}); it needs credentials meshctl does not send`;
    }
    return `${where} answered HTTP ${status}${detail ? `: ${detail}` : ''} when calling ${tool}`;
  }
  if (isUnreachable(error) || looksLikeFetchFailure(error)) {
    return endpoint.kind === 'proxy'
      ? registryUnreachableMessage(endpoint.registryUrl)
      : `nothing answers at ${endpoint.url}; is the agent running? (meshctl list shows the endpoints)`;
  }
  if (isRequestTimeout(error)) {
    return `${label} did not answer within ${timeoutMs / 1000} s; raise --timeout if it is slow`;
  }
  const rpcCode = protocolErrorCode(error);
  if (rpcCode !== undefined) {
    return `${where} refused the call to ${tool}: ${(error as Error).message} (JSON-RPC ${rpcCode})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `calling ${label} failed: ${message}`;
}

function httpStatusOf(error: unknown): number | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const data = (current as { data?: unknown }).data;
    if (data && typeof data === 'object') {
      const status = (data as { status?: unknown }).status;
      if (typeof status === 'number') return status;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The `message` of a registry (or agent) error body the SDK kept in `data.text`, if any. */
function registryMessageOf(error: unknown): string | undefined {
  const text = (error as { data?: { text?: unknown } }).data?.text;
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof body.message === 'string') return body.message;
    // The predecessor's registry puts its message in `error`.
    if (typeof body.error === 'string') return body.error;
    if (body.error && typeof body.error === 'object') {
      const message = (body.error as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: show the start of it.
  }
  return text.slice(0, 200);
}

function looksLikeFetchFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof TypeError && current.message === 'fetch failed') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function toolLabel(endpoint: CallEndpoint, tool: string): string {
  return endpoint.kind === 'proxy'
    ? `${endpoint.agent.name}:${tool}`
    : `${tool} at ${endpoint.url}`;
}

/** A result for people: structured content as indented JSON, else its content blocks. */
export function formatResult(result: CallToolResult): string {
  if (result.structuredContent !== undefined)
    return JSON.stringify(result.structuredContent, null, 2);
  return resultText(result);
}

/** The content blocks of a result as text, one block per line. */
export function resultText(result: CallToolResult): string {
  const content = Array.isArray(result.content) ? result.content : [];
  if (content.length === 0) return '(no content)';
  return content
    .map((block) => {
      switch (block.type) {
        case 'text':
          return block.text;
        case 'image':
        case 'audio':
          return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
        case 'resource': {
          const resource = block.resource;
          return 'text' in resource && typeof resource.text === 'string'
            ? resource.text
            : `[resource ${resource.uri}${resource.mimeType ? ` ${resource.mimeType}` : ''}]`;
        }
        case 'resource_link':
          return `[link ${block.uri}${block.name ? ` ${block.name}` : ''}]`;
        default:
          return JSON.stringify(block);
      }
    })
    .join('\n');
}
