// Load generator for any registry speaking spec/registry.openapi.yaml:
//   npx tsx bench/registry-load/main.ts --url http://127.0.0.1:8000 --agents 1000 \
//     --concurrency 32 --duration 10 [--scenario register|head|post|watch|all] [--pid <pid>]
// Registers the synthetic mesh (always: it is the setup of the other phases), runs the chosen
// phases and prints one table. `--pid` (the registry's process id on this machine) adds its
// resident memory. Agents are removed at the end unless `--keep` is given.
import { parseArgs } from 'node:util';
import {
  allScenarios,
  defaultLoadOptions,
  formatReport,
  type LoadOptions,
  runLoad,
  type Scenario,
} from './load.js';

const usage = `usage: npx tsx bench/registry-load/main.ts --url URL [options]
  --url URL                 registry base URL (required), e.g. http://127.0.0.1:8000
  --agents N                agents to register (default ${defaultLoadOptions.agents})
  --concurrency N           concurrent clients (default ${defaultLoadOptions.concurrency})
  --duration S              seconds measured per HEAD/POST phase (default ${defaultLoadOptions.durationSeconds})
  --warmup S                unmeasured seconds before each phase (default ${defaultLoadOptions.warmupSeconds})
  --scenario NAME           register|head|post|watch|all, may repeat or be comma-separated (default all)
  --watchers N              watch streams, one per dependent (default ${defaultLoadOptions.watchers})
  --changes N               topology changes in the watch phase (default ${defaultLoadOptions.watchChanges})
  --heartbeat-interval S    lightweight heartbeat period of each agent during watch (default ${defaultLoadOptions.heartbeatIntervalSeconds})
  --register-limit S        stop registering after S seconds (default: no limit)
  --prefix P                prefix of agent ids and capabilities (default ${defaultLoadOptions.prefix})
  --pid PID                 registry process id, to report its memory from /proc
  --keep                    leave the agents registered at the end
  --json                    print the report as JSON instead of a table`;

function positive(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    console.error(`--${name} must be a number >= ${min}, not "${raw}"\n${usage}`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    agents: { type: 'string' },
    concurrency: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    watchers: { type: 'string' },
    changes: { type: 'string' },
    'heartbeat-interval': { type: 'string' },
    prefix: { type: 'string' },
    'register-limit': { type: 'string' },
    pid: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help || values.url === undefined) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const names = (values.scenario ?? ['all']).flatMap((entry) => entry.split(','));
const scenarios = new Set<Scenario>();
for (const name of names) {
  if (name === 'all') for (const scenario of allScenarios) scenarios.add(scenario);
  else if ((allScenarios as readonly string[]).includes(name)) scenarios.add(name as Scenario);
  else {
    console.error(`unknown scenario "${name}"\n${usage}`);
    process.exit(2);
  }
}

const options: LoadOptions = {
  url: values.url.replace(/\/+$/, ''),
  agents: Math.floor(positive('agents', values.agents, defaultLoadOptions.agents)),
  concurrency: Math.floor(
    positive('concurrency', values.concurrency, defaultLoadOptions.concurrency),
  ),
  durationSeconds: positive('duration', values.duration, defaultLoadOptions.durationSeconds),
  warmupSeconds: positive('warmup', values.warmup, defaultLoadOptions.warmupSeconds, 0),
  scenarios: [...scenarios],
  watchers: Math.floor(positive('watchers', values.watchers, defaultLoadOptions.watchers)),
  watchChanges: Math.floor(positive('changes', values.changes, defaultLoadOptions.watchChanges)),
  heartbeatIntervalSeconds: positive(
    'heartbeat-interval',
    values['heartbeat-interval'],
    defaultLoadOptions.heartbeatIntervalSeconds,
  ),
  prefix: values.prefix ?? defaultLoadOptions.prefix,
  ...(values['register-limit'] === undefined
    ? {}
    : { registerTimeLimitSeconds: positive('register-limit', values['register-limit'], 0) }),
  ...(values.pid === undefined ? {} : { pid: Math.floor(positive('pid', values.pid, 0)) }),
  cleanup: !values.keep,
  log: (line) => console.error(line),
};

try {
  const report = await runLoad(options);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
} catch (error) {
  console.error(`load failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
