import type { McpServer, ServerContext } from '@modelcontextprotocol/server';

/**
 * A handler's context whose notifications and log messages go out only while the request's
 * exchange is open. A 2026-07-28 server is reused for later requests (see `ModernServerPool`)
 * and the SDK sends notifications on the server's current exchange, so a handler that outlives
 * its call (it ignored its signal, or left work running) could otherwise reach another request's
 * stream. Once the exchange is closed they are dropped: best effort, as they were before.
 */
export function boundToExchange(server: McpServer, ctx: ServerContext): ServerContext {
  const exchange = server.server.transport;
  return {
    ...ctx,
    mcpReq: {
      ...ctx.mcpReq,
      notify: whileOpen(server, exchange, ctx.mcpReq.notify),
      log: whileOpen(server, exchange, ctx.mcpReq.log),
    },
  };
}

/**
 * `send`, resolving without sending once `server` no longer serves `exchange`. (Returned rather
 * than declared inline: the functions created per call stay anonymous, which spares each one the
 * name-keeping `defineProperty` that tsx adds to named closures.)
 */
function whileOpen<A extends unknown[]>(
  server: McpServer,
  exchange: McpServer['server']['transport'],
  send: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return (...args) =>
    exchange !== undefined && server.server.transport === exchange
      ? send(...args)
      : Promise.resolve();
}
