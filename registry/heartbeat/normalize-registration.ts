import { createHash } from 'node:crypto';
import semver from 'semver';
import { npmRange } from '../../runtime/dependencies/version-range.js';
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
 * Fills in the predecessor's defaults and checks what the schema cannot: semver versions and
 * ranges, unique tool names. A wildcard `http_host` becomes the address the request came from.
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
    const version = tool.version ?? '1.0.0';
    if (semver.valid(version) === null) {
      throw new RegistryError(
        'bad_request',
        `version "${version}" of tool "${tool.function_name}" is not a semantic version (e.g. 1.2.0)`,
        {
          field: `/tools/${index}/version`,
        },
      );
    }
    return {
      functionName: tool.function_name,
      capability: tool.capability,
      version,
      tags: tool.tags ?? [],
      ...(tool.description === undefined ? {} : { description: tool.description }),
      ...(tool.inputSchema === undefined ? {} : { inputSchema: tool.inputSchema }),
      ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
      kwargs: tool.kwargs ?? {},
      dependencies: (tool.dependencies ?? []).map((dependency, position) =>
        normalizeDependency(dependency, `/tools/${index}/dependencies/${position}`),
      ),
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
function normalizeDependency(
  declared: DependencyBody | DependencyBody[],
  field: string,
): DependencyRequest {
  if (!Array.isArray(declared)) {
    return { ...normalizeSpec(declared, field), required: declared.required ?? false };
  }
  const [first, ...rest] = declared.map((alternative, index) =>
    normalizeSpec(alternative, `${field}/${index}`),
  );
  return {
    ...(first as DependencySpec),
    required: declared.some((alternative) => alternative.required === true),
    ...(rest.length === 0 ? {} : { fallbacks: rest }),
  };
}

function normalizeSpec(dependency: DependencyBody, field: string): DependencySpec {
  const range =
    dependency.version === undefined || dependency.version === '' ? '*' : dependency.version;
  const translated = npmRange(range);
  if (!translated.ok || semver.validRange(translated.range) === null) {
    const why = translated.ok ? '' : `: ${translated.problem}`;
    throw new RegistryError(
      'bad_request',
      `"${range}" is not a semver range${why} (e.g. >=1.0.0, ^2, >=1.0.0,<2.0.0, !=1.2.0)`,
      { field: `${field}/version` },
    );
  }
  return {
    capability: dependency.capability,
    version: range,
    tags: dependency.tags ?? [],
    ...(dependency.namespace === undefined ? {} : { namespace: dependency.namespace }),
  };
}

/** A stable hash of a normalised registration: equal registrations, equal hashes. */
export function hashRegistration(registration: AgentRegistration): string {
  return createHash('sha1').update(JSON.stringify(registration)).digest('hex');
}

function stripIpv6Mapping(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
