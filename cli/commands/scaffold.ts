import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { agentNames, formatDiagnosticsAsText, kebabCase, propertyKey } from '@mcp-mesh/generator';
import type { Command } from 'commander';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { exitCodes } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

interface ScaffoldFlags {
  spec: string;
  tool: string;
  capability?: string;
  port: string;
}

const namePattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function registerScaffold(program: Command): void {
  program
    .command('scaffold')
    .description(
      'add a new agent to a spec (created if missing), then generate its typed code and handler file',
    )
    .argument('<name>', 'agent name (letters, digits, "_" and "-", starting with a letter)')
    .option('--spec <file>', 'spec file to add the agent to', 'mesh.yaml')
    .option('--tool <name>', 'name of its first tool', 'hello')
    .option('--capability <name>', 'capability the tool provides (default: the tool name)')
    .option('--port <port>', 'port the agent serves on (0: any free port)', '0')
    .action(async (name: string, flags: ScaffoldFlags) => {
      for (const [what, value] of [
        ['agent name', name],
        ['tool name', flags.tool],
        ['capability', flags.capability ?? flags.tool],
      ] as const) {
        if (!namePattern.test(value))
          throw new UsageError(`${what} "${value}" must match ${namePattern.source}`);
      }
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port ${flags.port} is not a port (0-65535)`);

      const specPath = resolve(flags.spec);
      const document = parseDocument(
        existsSync(specPath) ? readFileSync(specPath, 'utf8') : 'mesh: 1\nagents: []\n',
      );
      if (document.errors.length > 0 || !isMap(document.contents)) {
        console.error(`${flags.spec} is not a valid spec file; run meshctl validate ${flags.spec}`);
        process.exitCode = exitCodes.failure;
        return;
      }
      let agents = document.get('agents');
      if (!isSeq(agents)) {
        agents = new YAMLSeq();
        document.set('agents', agents);
      }
      // Block style, like a spec written by hand, even when the list was `[]`.
      (agents as YAMLSeq).flow = false;
      const taken = (agents as YAMLSeq).items.some(
        (item) => isMap(item) && item.get('name') === name,
      );
      if (taken) {
        console.error(`agent "${name}" is already declared in ${flags.spec}; pick another name`);
        process.exitCode = exitCodes.failure;
        return;
      }
      (agents as YAMLSeq).add(
        document.createNode(
          {
            name,
            version: '1.0.0',
            description: `The ${name} agent.`,
            port,
            tools: [
              {
                name: flags.tool,
                ...(flags.capability === undefined ? {} : { capability: flags.capability }),
                version: '1.0.0',
                description: `Says hello; replace with what ${name} does.`,
                input: {
                  type: 'object',
                  properties: { name: { type: 'string' } },
                  required: ['name'],
                },
                output: {
                  type: 'object',
                  properties: { message: { type: 'string' } },
                  required: ['message'],
                },
              },
            ],
          },
          { flow: false },
        ),
      );
      // Generation validates the whole spec first: write the new spec only once it is valid.
      const before = existsSync(specPath) ? readFileSync(specPath, 'utf8') : undefined;
      writeFileSync(specPath, document.toString());
      // A working body rather than the generic scaffold, so the new agent runs and answers at once.
      const names = agentNames(name);
      const handlerPath = resolve(dirname(specPath), 'handlers', `${kebabCase(name)}.ts`);
      const wroteHandler = !existsSync(handlerPath);
      if (wroteHandler) {
        mkdirSync(dirname(handlerPath), { recursive: true });
        writeFileSync(
          handlerPath,
          `// The handler bodies of agent ${name}. Scaffolded once by meshctl scaffold; this file is yours.
import { ${names.define} } from '../generated/${names.file.replace(/\.ts$/, '.js')}';

export default ${names.define}({
  tools: {
    ${propertyKey(flags.tool)}({ name }) {
      return { message: \`Hello, \${name}, from ${name}!\` };
    },
  },
});
`,
        );
      }
      const { runGenerate } = await import('@mcp-mesh/generator/generate');
      const result = await runGenerate({ paths: [specPath], check: false });
      if (!result.report) {
        if (before === undefined) rmSync(specPath);
        else writeFileSync(specPath, before);
        if (wroteHandler) rmSync(handlerPath);
        console.error(formatDiagnosticsAsText(result.diagnostics));
        console.error(`nothing changed: the spec would not be valid with agent "${name}"`);
        process.exitCode = exitCodes.failure;
        return;
      }
      const show = (path: string) => relative(process.cwd(), path);
      console.log(`added agent ${name} to ${show(specPath)}`);
      for (const path of [
        ...result.report.changed,
        ...result.report.scaffolded,
        ...(wroteHandler ? [handlerPath] : []),
      ]) {
        console.log(`wrote ${show(path)}`);
      }
      console.log(
        `next: meshctl start ${show(specPath)}, then: meshctl call ${flags.tool} '{"name": "Ada"}' — and make ${show(handlerPath)} do the real work`,
      );
    });
}
