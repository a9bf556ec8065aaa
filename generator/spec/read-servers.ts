import type { PlainServerMetadata } from '@mcp-mesh/runtime';
import semver from 'semver';
import type { Diagnostic } from './diagnostic.js';
import type { SpecLocator } from './located.js';
import { type RawTool, readTool } from './read-agents.js';
import type { SourceFile, SpecPath } from './source-file.js';

// The shape the schema guarantees; the schema check runs before this.
interface RawServer {
  name: string;
  url: string;
  version?: string;
  description?: string;
  namespace?: string;
  discover?: boolean;
  tools?: Omit<RawTool, 'dependencies'>[];
}

/** A plain MCP server of the spec with where it came from. */
export interface LocatedServer {
  readonly file: SpecLocator;
  /** e.g. `['servers', 0]`. */
  readonly path: SpecPath;
  readonly metadata: PlainServerMetadata;
}

/**
 * The `servers:` of one schema-valid file as plain-server metadata: defaults filled in and the
 * tools read exactly like agent tools (kwargs normalised, versions checked), without dependencies.
 */
export function readServers(file: SourceFile): {
  servers: LocatedServer[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const raw = (file.data as { servers?: RawServer[] }).servers ?? [];
  const servers = raw.map((server, index): LocatedServer => {
    const path: SpecPath = ['servers', index];
    const report = (at: SpecPath, code: Diagnostic['code'], message: string) =>
      diagnostics.push(file.diagnostic(at, 'error', code, message));
    const version = server.version ?? '1.0.0';
    if (semver.valid(version) === null) {
      report(
        [...path, 'version'],
        'invalid-version',
        `version "${version}" of server "${server.name}" is not a semantic version (e.g. 1.2.0)`,
      );
    }
    return {
      file,
      path,
      metadata: {
        name: server.name,
        url: server.url,
        version,
        namespace: server.namespace ?? 'default',
        ...(server.description === undefined ? {} : { description: server.description }),
        tools: (server.tools ?? []).map((tool, toolIndex) =>
          readTool({ version, ...tool }, [...path, 'tools', toolIndex], report),
        ),
        discover: server.discover ?? false,
      },
    };
  });
  return { servers, diagnostics };
}

/** Server names are unique in the mesh (each is registered as `plain-<name>`), tools in their server. */
export function checkServerNames(servers: readonly LocatedServer[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, LocatedServer>();
  for (const server of servers) {
    const { file, path, metadata } = server;
    const first = seen.get(metadata.name);
    if (first) {
      diagnostics.push(
        file.diagnostic(
          [...path, 'name'],
          'error',
          'duplicate-agent',
          `server "${metadata.name}" is declared twice (first at ${first.file.path}); give each server its own name`,
        ),
      );
    } else {
      seen.set(metadata.name, server);
    }
    const tools = new Set<string>();
    metadata.tools.forEach((tool, index) => {
      if (tools.has(tool.name)) {
        diagnostics.push(
          file.diagnostic(
            [...path, 'tools', index, 'name'],
            'error',
            'duplicate-tool',
            `tool "${tool.name}" of server "${metadata.name}" is declared twice`,
          ),
        );
      }
      tools.add(tool.name);
    });
  }
  return diagnostics;
}
