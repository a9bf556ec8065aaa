import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import {
  agentNames,
  type Diagnostic,
  dependencyParameterName,
  kebabCase,
  propertyKey,
} from '@mcp-mesh/generator';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';

/** A new agent with one tool, as `meshctl scaffold` and `meshctl init` write it. */
export interface NewAgent {
  readonly name: string;
  /** Its first tool's name. */
  readonly tool: string;
  /** The capability the tool provides; default the tool's name. */
  readonly capability?: string;
  /** 0: any free port. */
  readonly port: number;
  /** Capabilities the tool depends on: declared in the spec and called by the handler. */
  readonly dependsOn: readonly string[];
}

export type AddAgentResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly handlerPath: string }
  | { readonly ok: false; readonly problem: string; readonly diagnostics: readonly Diagnostic[] };

/**
 * Adds `agent` to the spec at `specPath` (created when missing), writes a working handler for it
 * and generates the spec's typed code. All or nothing: when the spec would not be valid, the
 * spec file and the handler are left as they were and the result says why.
 */
export async function addAgent(specPath: string, agent: NewAgent): Promise<AddAgentResult> {
  const shown = relative(process.cwd(), specPath);
  const before = existsSync(specPath) ? readFileSync(specPath, 'utf8') : undefined;
  const document = parseDocument(before ?? 'mesh: 1\nagents: []\n');
  if (document.errors.length > 0 || !isMap(document.contents))
    return {
      ok: false,
      problem: `${shown} is not a valid spec file; run meshctl validate ${shown}`,
      diagnostics: [],
    };
  if (document.has('openapi'))
    return {
      ok: false,
      problem: `${shown} is an OpenAPI document: it describes one agent, the document itself; run meshctl generate ${shown} to write its typed code and a handler file that calls the REST service`,
      diagnostics: [],
    };
  let agents = document.get('agents');
  if (!isSeq(agents)) {
    agents = new YAMLSeq();
    document.set('agents', agents);
  }
  // Block style, like a spec written by hand, even when the list was `[]`.
  (agents as YAMLSeq).flow = false;
  if ((agents as YAMLSeq).items.some((item) => isMap(item) && item.get('name') === agent.name))
    return {
      ok: false,
      problem: `agent "${agent.name}" is already declared in ${shown}; pick another name`,
      diagnostics: [],
    };
  (agents as YAMLSeq).add(document.createNode(agentDeclaration(agent), { flow: false }));

  const handlerPath = resolve(dirname(specPath), 'handlers', `${kebabCase(agent.name)}.ts`);
  const wroteHandler = !existsSync(handlerPath);
  writeFileSync(specPath, document.toString());
  if (wroteHandler) {
    mkdirSync(dirname(handlerPath), { recursive: true });
    writeFileSync(handlerPath, handlerSource(agent));
  }
  // Generation validates the whole spec first; an invalid one puts everything back.
  const { runGenerate } = await import('@mcp-mesh/generator/generate');
  const result = await runGenerate({ paths: [specPath], check: false });
  if (!result.report) {
    if (before === undefined) rmSync(specPath);
    else writeFileSync(specPath, before);
    if (wroteHandler) rmSync(handlerPath);
    return {
      ok: false,
      problem: `the spec would not be valid with agent "${agent.name}"`,
      diagnostics: result.diagnostics,
    };
  }
  const written = [
    ...result.report.changed,
    ...result.report.scaffolded,
    ...(wroteHandler ? [handlerPath] : []),
  ];
  return { ok: true, written, handlerPath };
}

function agentDeclaration(agent: NewAgent): Record<string, unknown> {
  return {
    name: agent.name,
    version: '1.0.0',
    description: `The ${agent.name} agent.`,
    port: agent.port,
    tools: [
      {
        name: agent.tool,
        ...(agent.capability === undefined ? {} : { capability: agent.capability }),
        version: '1.0.0',
        description: `Says hello; replace with what ${agent.name} does.`,
        input: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        output: {
          type: 'object',
          properties: { message: { type: 'string' } },
          required: ['message'],
        },
        ...(agent.dependsOn.length === 0
          ? {}
          : {
              dependencies: agent.dependsOn.map((capability) => ({
                capability,
                version: '>=1.0.0',
              })),
            }),
      },
    ],
  };
}

/**
 * A working body rather than the generic scaffold, so the new agent runs and answers at once.
 * With dependencies, it calls the first one (written by scaffold too: `{ name }` in,
 * `{ message }` out) and degrades gracefully while no provider is there.
 */
function handlerSource(agent: NewAgent): string {
  const names = agentNames(agent.name);
  const module = `../generated/${names.file.replace(/\.ts$/, '.js')}`;
  const header = `// The handler bodies of agent ${agent.name}. Scaffolded once by meshctl; this file is yours.
import { ${names.define} } from '${module}';
`;
  const [first] = agent.dependsOn;
  if (first === undefined) {
    return `${header}
export default ${names.define}({
  tools: {
    ${propertyKey(agent.tool)}({ name }) {
      return { message: \`Hello, \${name}, from ${agent.name}!\` };
    },
  },
});
`;
  }
  const dependency = dependencyParameterName(first);
  return `${header}
export default ${names.define}({
  tools: {
    async ${propertyKey(agent.tool)}({ name }, { ${dependency} }, context) {
      // Dependencies are undefined while no provider is resolved: degrade, do not fail.
      if (!${dependency}) return { message: \`Hello, \${name}, from ${agent.name} (${first} is not available).\` };
      const answer = await ${dependency}.call({ name }, { signal: context.signal });
      return { message: \`${agent.name} relays: \${answer.message}\` };
    },
  },
});
`;
}
