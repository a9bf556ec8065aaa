// `npm run demo`: the spec -> generate -> implement loop on the greeting example, narrated.
// Until the runtime serves agents over MCP, the greeter calls the clock's handler in process.
import { fileURLToPath } from 'node:url';
import type { ToolContext } from 'mcp-mesh/runtime';
import { runGenerate } from '../generator/run-generate.js';
import { formatDiagnosticsAsText } from '../generator/spec/format-diagnostics.js';
import { validateSpec } from '../generator/spec/validate-spec.js';
import clock from './greeting/handlers/clock.js';
import greeter from './greeting/handlers/greeter.js';

const specDirectory = fileURLToPath(new URL('./greeting', import.meta.url));

const validation = validateSpec([specDirectory]);
if (!validation.model) {
  console.error(formatDiagnosticsAsText(validation.diagnostics));
  process.exit(1);
}
const agents = validation.model.agents;
console.log(`1. The spec (examples/greeting/mesh.yaml) is valid: ${agents.length} agents.`);
for (const agent of agents) {
  for (const tool of agent.tools) {
    const needs = tool.dependencies.map(
      (dependency) => `${dependency.capability} ${dependency.version}`,
    );
    console.log(
      `   - ${agent.name}.${tool.name} provides ${tool.capability}@${tool.version}${needs.length ? `, needs ${needs.join(', ')}` : ''}`,
    );
  }
}

const generated = await runGenerate({ paths: [], check: true });
const drift = (generated.report?.changed.length ?? 1) + (generated.report?.stale.length ?? 0);
console.log(
  drift === 0
    ? '2. The generated code is up to date with the spec.'
    : '2. The generated code is out of date: run npm run generate.',
);

const quiet = () => {};
const context: ToolContext = {
  signal: AbortSignal.timeout(5_000),
  headers: {},
  progress: async () => {},
  log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
};
const dateService = {
  capability: 'date_service',
  call: async () => clock.handlers.tools.get_current_date({}, {}, context),
  stream: () => {
    throw new Error('get_current_date does not stream');
  },
};
const withDate = await greeter.handlers.tools.greet({ name: 'Ada' }, { dateService }, context);
console.log(`3. greet with the date service resolved:  ${JSON.stringify(withDate)}`);
const withoutDate = await greeter.handlers.tools.greet(
  { name: 'Ada' },
  { dateService: undefined },
  context,
);
console.log(`4. greet with no date service (degraded): ${JSON.stringify(withoutDate)}`);
process.exitCode = drift === 0 ? 0 : 1;
