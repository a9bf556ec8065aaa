import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Logger } from 'pino';
import type { AgentSurface } from './agent-surface.js';
import type { LegacySessionState } from './call-context.js';

/**
 * Serves a 2025-era request that came without `initialize` and without `Mcp-Session-Id` (the
 * predecessor's meshctl and Python proxy send `tools/call` so) as a one-shot stateless exchange:
 * a server of its own, no session id issued, closed once answered. The caller declared no
 * capabilities, so the handler cannot ask it for sampling or elicitation; progress and log
 * notifications still travel when `stream` asks for an SSE answer.
 */
export async function serveOneShotCall(options: {
  readonly surface: AgentSurface;
  readonly logger: Logger;
  readonly request: IncomingMessage;
  readonly res: ServerResponse;
  readonly body: unknown;
  readonly stream: boolean;
}): Promise<void> {
  const { surface, logger, request, res, body, stream } = options;
  const state: LegacySessionState = { subscriptions: new Set() };
  const server = surface.build('legacy', state);
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !stream,
  });
  server.server.onerror = (error) => logger.debug({ err: error }, 'mcp one-shot call error');
  try {
    await server.connect(transport);
    await transport.handleRequest(request, res, body);
    // The SSE answer of a streamed call ends after the handler's result; close after it.
    if (!res.writableEnded) {
      await new Promise<void>((resolve) => res.once('close', resolve));
    }
  } finally {
    await server.close().catch(() => undefined);
  }
}
