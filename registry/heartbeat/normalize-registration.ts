import { createHash } from 'node:crypto';
import semver from 'semver';
import { RegistryError } from '../errors/registry-error.js';
import type { DependencyRequest, DependencySpec } from '../resolution/provider.js';
import type { AgentRegistration, ToolRegistration } from '../topology/registration.js';

/** The body of `POST /heartbeat` after schema validation: shapes are right, values unchecked. */
export interface RegistrationBody {
  agent_id: string;
  agent_type?: string;
  name?: string;
  version?: string;
  description?: string;
  http_host?: string;
  http_port?: number;
  namespace?: string;
  runtime?: string;
  tools?: {
    function_name: string;
    capability: string;
    version?: string;
    tags?: string[];
    description?: string;
    inputSchema?: Record<string, unknown>;
    outputSchema?: Record<string, unknown>;
    kwargs?: Record<string, unknown>;
    /** A dependency, or a list of alternatives for one position. */
    dependencies?: (DependencyBody | DependencyBody[])[];
  }[];
}

/** One dependency (or one alternative of a position) in `POST /heartbeat`. */
export interface DependencyBody {
  capability: string;
  version?: string;
  tags?: (string | string[])[];
  namespace?: string;
  required?: boolean;
}

const wildcardHosts = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * Fills in the predecessor's defaults and checks what the schema cannot: unique tool names.
 * Like the predecessor, it does not refuse an agent for a version or range it cannot parse: a
 * tool version `1` or `1.0` becomes `1.0.0`, any other non-semver version is kept (the tool is
 * then no provider for any range), and an unparseable range is kept (its dependency resolves to
 * nothing, with the reason in the resolution event). A wildcard `http_host` becomes the address
 * the request came from.
 */
export function normalizeRegistration(
  body: RegistrationBody,
  remoteAddress: string,
): AgentRegistration {
  const names = new Set<string>();
  const tools = (body.tools ?? []).map((tool, index): ToolRegistration => {
    if (names.has(tool.function_name)) {
      throw new RegistryError(
        'bad_request',
        `tool "${tool.function_name}" is listed twice; function_name must be unique within an agent`,
        {
          field: `/tools/${index}/function_name`,
        },
      );
    }
    names.add(tool.function_name);
    const version = lenientVersion(tool.version ?? '1.0.0');
    return {
      functionName: tool.function_name,
      capability: tool.capability,
      version,
      tags: tool.tags ?? [],
      ...(tool.description === undefined ? {} : { description: tool.description }),
      ...(tool.inputSchema === undefined ? {} : { inputSchema: tool.inputSchema }),
      ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
      kwargs: tool.kwargs ?? {},
      dependencies: (tool.dependencies ?? []).map(normalizeDependency),
    };
  });
  const host = body.http_host ?? '0.0.0.0';
  return {
    agentId: body.agent_id,
    agentType: body.agent_type ?? 'mcp_agent',
    name: body.name ?? body.agent_id,
    version: body.version ?? '1.0.0',
    ...(body.description === undefined ? {} : { description: body.description }),
    namespace: body.namespace ?? 'default',
    httpHost: wildcardHosts.has(host) ? stripIpv6Mapping(remoteAddress) : host,
    httpPort: body.http_port ?? 0,
    runtime: body.runtime ?? 'python',
    tools,
  };
}

/** A position: one dependency, or alternatives (the first, then the fallbacks in order). */
function normalizeDependency(declared: DependencyBody | DependencyBody[]): DependencyRequest {
  if (!Array.isArray(declared)) {
    return { ...normalizeSpec(declared), required: declared.required ?? false };
  }
  const [first, ...rest] = declared.map((alternative) => normalizeSpec(alternative));
  return {
    ...(first as DependencySpec),
    required: declared.some((alternative) => alternative.required === true),
    ...(rest.length === 0 ? {} : { fallbacks: rest }),
  };
}

function normalizeSpec(dependency: DependencyBody): DependencySpec {
  const range =
    dependency.version === undefined || dependency.version === '' ? '*' : dependency.version;
  return {
    capability: dependency.capability,
    version: range,
    tags: dependency.tags ?? [],
    ...(dependency.namespace === undefined ? {} : { namespace: dependency.namespace }),
  };
}

// `1` and `1.0` are common shorthands; semver.coerce would also turn `v2-final` into 2.0.0,
// which guesses too much.
const shortVersion = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))?$/;

function lenientVersion(version: string): string {
  if (!shortVersion.test(version)) return version;
  return semver.coerce(version)?.version ?? version;
}

/** A stable hash of a normalised registration: equal registrations, equal hashes. */
export function hashRegistration(registration: AgentRegistration): string {
  return createHash('sha1').update(JSON.stringify(registration)).digest('hex');
}

function stripIpv6Mapping(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
