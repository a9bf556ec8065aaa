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
  const open = () => exchange !== undefined && server.server.transport === exchange;
  const { notify, log } = ctx.mcpReq;
  return {
    ...ctx,
    mcpReq: {
      ...ctx.mcpReq,
      notify: (notification) => (open() ? notify(notification) : Promise.resolve()),
      log: (level, data, logger) => (open() ? log(level, data, logger) : Promise.resolve()),
    },
  };
}
