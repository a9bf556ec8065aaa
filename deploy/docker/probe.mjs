#!/usr/bin/env node
// The images' HEALTHCHECK, and what a probe of a container sees: GET http://<host>:<port><path>
// must answer 2xx within 3 s, else the exit code is 1 (and the reason goes to stderr).
//   node probe.mjs <path> <variable holding the port>      e.g. node probe.mjs /ready MCP_MESH_HTTP_PORT
// The host is HOST when it names one interface, else loopback (a process bound to every
// interface answers there).
const [path = '/livez', portVariable = 'MCP_MESH_HTTP_PORT'] = process.argv.slice(2);
const port = process.env[portVariable];
if (!port) {
  console.error(`probe: ${portVariable} is not set; it holds the port to probe`);
  process.exit(1);
}
const bound = process.env.HOST?.trim();
const wildcard = !bound || bound === '0.0.0.0' || bound === '::' || bound === '[::]';
const host = wildcard
  ? '127.0.0.1'
  : bound.includes(':') && !bound.startsWith('[')
    ? `[${bound}]`
    : bound;
const url = `http://${host}:${port}${path}`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  await response.arrayBuffer();
  if (response.ok) process.exit(0);
  console.error(`probe: ${url} answered ${response.status}`);
} catch (error) {
  console.error(`probe: ${url} did not answer: ${error instanceof Error ? error.message : error}`);
}
process.exit(1);
