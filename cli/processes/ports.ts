/** Port and registry checks `meshctl start` makes before it starts anything. */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether something already listens on `host:port` (tried by listening there ourselves). */
export async function isPortInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(true);
      else if (error.code === 'EACCES')
        reject(new Error(`cannot listen on ${host}:${port}: permission denied (ports below 1024)`));
      else reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** What to say when a fixed port is taken (by default the registry's; `agent` names the agent). */
export function portInUseMessage(port: number, agent?: string): string {
  return agent === undefined
    ? `port ${port} is in use by another process — stop it or pass --registry-url / MCP_MESH_HTTP_PORT`
    : `port ${port} of agent ${agent} is in use by another process — stop it or pass --env MCP_MESH_HTTP_PORT=<port> (0 for any free port)`;
}

export type RegistryProbe =
  /** A registry answered (`healthy` false: it answered 503, its database is down). */
  | { readonly kind: 'registry'; readonly healthy: boolean }
  /** Something answered that is not a registry. */
  | { readonly kind: 'other'; readonly detail: string }
  /** Nothing answered. */
  | { readonly kind: 'none'; readonly detail: string };

/** `GET <url>/health` with a short timeout: is a registry there? */
export async function probeRegistry(url: string, timeoutMs = 1_500): Promise<RegistryProbe> {
  // A timer of our own: AbortSignal.timeout's does not keep the process alive, and a fetch to a
  // server that drops the connection can otherwise hang with nothing left to wake it.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timed out')), timeoutMs);
  let response: Response;
  let body: unknown;
  try {
    try {
      response = await fetch(`${url}/health`, { signal: controller.signal });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { kind: 'none', detail: cause?.code ?? cause?.message ?? (error as Error).message };
    }
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
  } finally {
    clearTimeout(timer);
  }
  const document = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const service = typeof document.service === 'string' ? document.service : undefined;
  // Ours and the predecessor's say `service: mcp-mesh-registry`; an agent's /health names its agent.
  const isRegistry =
    service?.includes('registry') === true ||
    (service === undefined && !('agent' in document) && response.status === 200);
  if (isRegistry) return { kind: 'registry', healthy: response.status === 200 };
  return {
    kind: 'other',
    detail: `it answered GET /health with HTTP ${response.status}${service ? ` (${service})` : 'agent' in document ? ' (an agent)' : ''}, not as a registry`,
  };
}

/**
 * Polls `GET <url>/health` until a registry answers 200. Gives up when `gone()` says the process
 * ended, or after `timeoutMs`; answers why it gave up, or undefined when the registry is up.
 */
export async function waitForRegistry(
  url: string,
  options: { readonly timeoutMs: number; readonly gone: () => boolean; readonly pollMs?: number },
): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (options.gone()) return 'the registry process exited';
    const probe = await probeRegistry(url, 1_000);
    if (probe.kind === 'registry' && probe.healthy) return undefined;
    last = probe.kind === 'none' ? probe.detail : probe.kind === 'other' ? probe.detail : '503';
    if (Date.now() >= deadline)
      return `no healthy answer from ${url}/health within ${options.timeoutMs / 1000} s (${last})`;
    await sleep(options.pollMs ?? 100);
  }
}
