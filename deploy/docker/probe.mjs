#!/usr/bin/env node
// The images' HEALTHCHECK, and what a probe of a container sees: GET <scheme>://<host>:<port><path>
// must answer 2xx within 3 s, else the exit code is 1 (and the reason goes to stderr).
//   node probe.mjs <path> <variable holding the port>      e.g. node probe.mjs /ready MCP_MESH_HTTP_PORT
// The host is HOST when it names one interface, else loopback (a process bound to every
// interface answers there). HTTPS when MCP_MESH_TLS_CERT is set, as the process then serves;
// like the kubelet's probes it does not check the certificate, which names the service, not the
// address probed.
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';

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
const https = Boolean(process.env.MCP_MESH_TLS_CERT?.trim());
const url = `${https ? 'https' : 'http'}://${host}:${port}${path}`;
const get = https ? httpsGet : httpGet;
const request = get(url, { timeout: 3_000, rejectUnauthorized: false }, (response) => {
  response.resume();
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) process.exit(0);
  console.error(`probe: ${url} answered ${status}`);
  process.exit(1);
});
request.on('timeout', () => request.destroy(new Error('no answer within 3 s')));
request.on('error', (error) => {
  console.error(`probe: ${url} did not answer: ${error.message}`);
  process.exit(1);
});
