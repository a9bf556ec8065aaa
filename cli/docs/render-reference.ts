import type { Command } from 'commander';

/**
 * docs/meshctl.md, rendered from the CLI's own help so the reference can never disagree with
 * the program (a test compares the two; `npm run docs` rewrites the file).
 */
export function renderReference(program: Command): string {
  const sections = [
    '# meshctl reference',
    '',
    "<!-- Generated from the CLI's own help by `npm run docs`; do not edit. -->",
    '',
    program.description(),
    '',
    '## Exit codes',
    '',
    '| code | meaning |',
    '| --- | --- |',
    '| 0 | The command did what was asked. |',
    '| 1 | The command ran and found a problem: spec errors, generated code out of date, an agent or registry that cannot be reached, a tool that failed. |',
    '| 2 | The command line itself is wrong: unknown command or option, missing or malformed argument. |',
    '',
    '## Environment',
    '',
    '`MCP_MESH_REGISTRY_URL` (default `http://localhost:8000`) is the registry the commands talk to; `MCP_MESH_STATE_DIR` (default `~/.mcp-mesh`) is where `start` records the processes it runs. Colour: tables, statuses and the `[name]` prefixes of `start` are coloured on a terminal only; `NO_COLOR` (any non-empty value) turns colour off, `FORCE_COLOR` turns it on even when piped (`FORCE_COLOR=0` off); `NO_COLOR` wins when both are set.',
    '',
  ];
  for (const command of commandsOf(program)) {
    sections.push(`## ${command.path}`, '', '```text', command.help.trimEnd(), '```', '');
  }
  return `${sections.join('\n').trimEnd()}\n`;
}

function commandsOf(program: Command): { path: string; help: string }[] {
  const found: { path: string; help: string }[] = [];
  const visit = (command: Command, prefix: string) => {
    for (const child of command.commands) {
      const path = `${prefix} ${child.name()}`;
      // A fixed width: the page must not depend on the terminal it was rendered in.
      child.configureHelp({ helpWidth: 100 });
      found.push({ path, help: child.helpInformation({ error: false }) });
      visit(child, path);
    }
  };
  visit(program, program.name());
  return found;
}
