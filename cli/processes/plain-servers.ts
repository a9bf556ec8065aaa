/**
 * The plain MCP servers of the spec under `meshctl start`: one registrar each, inside the
 * meshctl process (a registrar is a timer and a connection, not worth a process), registering
 * the server while it answers `tools/list` and unregistering it when meshctl stops.
 */
import {
  type PlainServerMetadata,
  type PlainServerRegistrar,
  parseDurationMs,
  startPlainServerRegistrar,
} from '@mcp-mesh/runtime';
import pino from 'pino';

/** Registrars at work; `stop()` unregisters every server. */
export interface PlainServerRegistrars {
  stop(): Promise<void>;
}

/**
 * Starts a registrar per server against `registryUrl`, probing every MCP_MESH_HEALTH_INTERVAL
 * (the agents' heartbeat interval, 5 s by default); logs go to stderr as JSON lines.
 */
export function startPlainServers(
  servers: readonly PlainServerMetadata[],
  registryUrl: string,
  environment: NodeJS.ProcessEnv,
): PlainServerRegistrars {
  const interval = environment.MCP_MESH_HEALTH_INTERVAL;
  // Seconds as a bare number, or a duration with its unit, as the agents read it.
  const intervalMs =
    (interval === undefined
      ? undefined
      : parseDurationMs(/^\d+(\.\d+)?$/.test(interval) ? Number(interval) : interval)) ?? 5_000;
  const logger = pino(
    { level: environment.MCP_MESH_LOG_LEVEL ?? 'info', base: { process: 'meshctl' } },
    pino.destination(2),
  );
  const registrars: PlainServerRegistrar[] = servers.map((server) =>
    startPlainServerRegistrar(server, { registryUrl, intervalMs, logger }),
  );
  return {
    async stop() {
      await Promise.allSettled(registrars.map((registrar) => registrar.stop()));
    },
  };
}
