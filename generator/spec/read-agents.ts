import type {
  AgentMetadata,
  DependencyAlternative,
  DependencyMetadata,
  JsonSchema,
  PromptMetadata,
  ResourceMetadata,
  ToolAnnotations,
  ToolKwargs,
  ToolMetadata,
} from '@mcp-mesh/runtime';
import { npmRange } from '@mcp-mesh/runtime/shared';
import { parseDurationMs, parseSizeBytes } from '@mcp-mesh/runtime/units';
import semver from 'semver';
import type { Diagnostic } from './diagnostic.js';
import type { LocatedAgent } from './located.js';
import type { SourceFile, SpecPath } from './source-file.js';

// Shapes as the schema guarantees them; the schema check runs before this.
interface RawDependency {
  capability: string;
  version?: string;
  tags?: (string | string[])[];
  namespace?: string;
  required?: boolean;
  name?: string;
}
type RawAlternative = string | RawDependency;
export interface RawTool {
  name: string;
  capability?: string;
  version?: string;
  tags?: string[];
  title?: string;
  description?: string;
  input?: JsonSchema;
  output?: JsonSchema;
  annotations?: ToolAnnotations;
  kwargs?: Record<string, unknown>;
  /** A capability name or an object; or a list of those, the alternatives of one position. */
  dependencies?: (RawAlternative | RawAlternative[])[];
}
interface RawResource {
  name: string;
  uri?: string;
  uri_template?: string;
  title?: string;
  description?: string;
  mime_type?: string;
  subscribable?: boolean;
}
interface RawPrompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}
interface RawAgent {
  name: string;
  version?: string;
  description?: string;
  namespace?: string;
  port?: number;
  host?: string;
  tools?: RawTool[];
  resources?: RawResource[];
  prompts?: RawPrompt[];
}

const durationKwargs = ['timeout', 'retry_delay', 'stream_timeout'] as const;

/**
 * Turns the schema-valid data of one file into agent metadata: defaults filled in, durations
 * and sizes normalised to their wire units, versions checked. Problems found on the way are
 * reported; the agent is still returned so that later checks can run on it.
 */
export function readAgents(
  file: SourceFile,
  skip: ReadonlySet<number> = new Set(),
): { agents: LocatedAgent[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const raw = (file.data as { agents: RawAgent[] }).agents;
  const agents = raw.flatMap((agent, agentIndex): LocatedAgent[] => {
    if (skip.has(agentIndex)) return [];
    const path: SpecPath = ['agents', agentIndex];
    const report = (at: SpecPath, code: Diagnostic['code'], message: string) =>
      diagnostics.push(file.diagnostic([...path, ...at], 'error', code, message));
    const metadata: AgentMetadata = {
      name: agent.name,
      version: checkVersion(agent.version, ['version'], report, `agent "${agent.name}"`),
      ...(agent.description === undefined ? {} : { description: agent.description }),
      namespace: agent.namespace ?? 'default',
      port: agent.port ?? 0,
      ...(agent.host === undefined ? {} : { host: agent.host }),
      tools: (agent.tools ?? []).map((tool, toolIndex) =>
        readTool(tool, ['tools', toolIndex], report),
      ),
      resources: (agent.resources ?? []).map((resource, index) =>
        readResource(resource, ['resources', index], report),
      ),
      prompts: (agent.prompts ?? []).map(readPrompt),
    };
    return [{ file, path, metadata }];
  });
  return { agents, diagnostics };
}

export type Report = (at: SpecPath, code: Diagnostic['code'], message: string) => void;

/** One schema-valid tool as metadata; also how an OpenAPI operation (with its x-mesh) is read. */
export function readTool(tool: RawTool, path: SpecPath, report: Report): ToolMetadata {
  return {
    name: tool.name,
    capability: tool.capability ?? tool.name,
    version: checkVersion(tool.version, [...path, 'version'], report, `tool "${tool.name}"`),
    tags: tool.tags ?? [],
    ...(tool.title === undefined ? {} : { title: tool.title }),
    ...(tool.description === undefined ? {} : { description: tool.description }),
    inputSchema: tool.input ?? { type: 'object', properties: {} },
    ...(tool.output === undefined ? {} : { outputSchema: tool.output }),
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
    kwargs: readKwargs(tool.kwargs ?? {}, [...path, 'kwargs'], report),
    dependencies: (tool.dependencies ?? []).map((dependency, index) =>
      readDependency(dependency, [...path, 'dependencies', index], report),
    ),
  };
}

function readKwargs(kwargs: Record<string, unknown>, path: SpecPath, report: Report): ToolKwargs {
  const normalised: Record<string, unknown> = { ...kwargs };
  for (const key of durationKwargs) {
    if (!(key in kwargs)) continue;
    const milliseconds = parseDurationMs(kwargs[key]);
    if (milliseconds === undefined) {
      report(
        [...path, key],
        'invalid-duration',
        `${key} ${JSON.stringify(kwargs[key])} is not a duration; write seconds as a number or a string like 250ms, 5s, 2m, 1h`,
      );
      delete normalised[key];
    } else {
      normalised[key] = milliseconds / 1_000;
    }
  }
  if ('max_response_size' in kwargs) {
    const bytes = parseSizeBytes(kwargs.max_response_size);
    if (bytes === undefined) {
      report(
        [...path, 'max_response_size'],
        'invalid-size',
        `max_response_size ${JSON.stringify(kwargs.max_response_size)} is not a size; write bytes as an integer or a string like 512KB, 10MB`,
      );
      delete normalised.max_response_size;
    } else {
      normalised.max_response_size = bytes;
    }
  }
  return normalised as ToolKwargs;
}

function readDependency(
  dependency: RawAlternative | RawAlternative[],
  path: SpecPath,
  report: Report,
): DependencyMetadata {
  if (!Array.isArray(dependency)) {
    const declared = declaredOf(dependency);
    return {
      ...readAlternative(dependency, path, report),
      required: declared.required ?? false,
      parameter: declared.name ?? camelCase(declared.capability),
    };
  }
  const declared = dependency.map(declaredOf);
  const [first, ...fallbacks] = dependency.map((alternative, index) =>
    readAlternative(alternative, [...path, index], report),
  );
  const names = [...new Set(declared.flatMap(({ name }) => (name === undefined ? [] : [name])))];
  if (names.length > 1) {
    report(
      path,
      'invalid-dependency',
      `the alternatives of one dependency are injected as one parameter, but name it "${names[0]}" and "${names[1]}"; give the name once, on the first`,
    );
  }
  return {
    ...(first as DependencyAlternative),
    required: declared.some(({ required }) => required === true),
    parameter: names[0] ?? camelCase((declared[0] as RawDependency).capability),
    ...(fallbacks.length === 0 ? {} : { fallbacks }),
  };
}

function declaredOf(alternative: RawAlternative): RawDependency {
  return typeof alternative === 'string' ? { capability: alternative } : alternative;
}

function readAlternative(
  alternative: RawAlternative,
  path: SpecPath,
  report: Report,
): DependencyAlternative {
  const declared = declaredOf(alternative);
  const range = declared.version ?? '*';
  const translated = npmRange(range);
  if (!translated.ok || semver.validRange(translated.range) === null) {
    report(
      typeof alternative === 'string' ? path : [...path, 'version'],
      'invalid-version-range',
      `"${range}" is not a semver range${translated.ok ? '' : `: ${translated.problem}`} (examples: >=1.0.0, ^2.1, 1.x, >=1.0.0,<2.0.0, !=1.2.0)`,
    );
  }
  const tags = declared.tags ?? [];
  tags.forEach((tag, index) => {
    if (!Array.isArray(tag)) return;
    tag.forEach((option, position) => {
      if (!option.startsWith('+') && !option.startsWith('-')) return;
      report(
        [...path, 'tags', index, position],
        'invalid-dependency',
        `"${option}" in an OR group of tags: a group lists plain tags, any one of which will do; put ${option} outside the group`,
      );
    });
  });
  return {
    capability: declared.capability,
    version: range,
    tags,
    ...(declared.namespace === undefined ? {} : { namespace: declared.namespace }),
  };
}

function readResource(resource: RawResource, path: SpecPath, report: Report): ResourceMetadata {
  if ((resource.uri === undefined) === (resource.uri_template === undefined)) {
    report(
      path,
      'invalid-resource',
      `resource "${resource.name}" needs exactly one of uri or uri_template`,
    );
  }
  return {
    name: resource.name,
    ...(resource.uri === undefined ? {} : { uri: resource.uri }),
    ...(resource.uri_template === undefined ? {} : { uriTemplate: resource.uri_template }),
    ...(resource.title === undefined ? {} : { title: resource.title }),
    ...(resource.description === undefined ? {} : { description: resource.description }),
    ...(resource.mime_type === undefined ? {} : { mimeType: resource.mime_type }),
    ...(resource.subscribable === undefined ? {} : { subscribable: resource.subscribable }),
  };
}

function readPrompt(prompt: RawPrompt): PromptMetadata {
  return {
    name: prompt.name,
    ...(prompt.title === undefined ? {} : { title: prompt.title }),
    ...(prompt.description === undefined ? {} : { description: prompt.description }),
    arguments: prompt.arguments ?? [],
  };
}

function checkVersion(
  version: string | undefined,
  path: SpecPath,
  report: Report,
  owner: string,
): string {
  if (version === undefined) return '1.0.0';
  if (semver.valid(version) === null) {
    report(
      path,
      'invalid-version',
      `version "${version}" of ${owner} is not a semantic version (e.g. 1.2.0)`,
    );
  }
  return version;
}

/** `date_service` and `date-service` both become `dateService`. */
export function camelCase(name: string): string {
  return name
    .replace(/[-_]+([A-Za-z0-9])/g, (_, letter: string) => letter.toUpperCase())
    .replace(/^[A-Z]/, (letter) => letter.toLowerCase());
}
