import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { breakerPerEndpoint } from './circuit-breaker.js';
import { logKwargFallbacksOnce } from './kwarg-fallbacks.js';
import { McpConnections } from './mcp-connections.js';
import { RemoteCapabilityProxy } from './remote-proxy.js';

/** A real pino logger whose JSON lines are kept. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('logKwargFallbacksOnce', () => {
  const connections = new McpConnections('kwarg-test');
  afterAll(() => connections.close());

  it('warns once per provider, kwarg and value, however often proxies are rebuilt', () => {
    const { logger, lines } = capturedLogger();
    const environment = {
      connections,
      breaker: breakerPerEndpoint(),
      kwargFallback: logKwargFallbacksOnce(logger),
    };
    const provider = (timeout: unknown) => ({
      agentId: 'dates-1',
      functionName: 'today',
      endpoint: 'http://127.0.0.1:9',
      kwargs: { timeout } as never,
    });
    const proxy = new RemoteCapabilityProxy('dates', [provider('soon')], {}, environment);
    proxy.update([provider('soon')]);
    new RemoteCapabilityProxy('dates', [provider('soon')], {}, environment);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      provider: 'dates-1.today',
      kwarg: 'timeout',
      value: 'soon',
      used: '30000 ms (the default)',
      msg: 'a kwarg of dates-1.today cannot be used; using 30000 ms (the default) instead',
    });
    proxy.update([provider('later')]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ kwarg: 'timeout', value: 'later' });
  });
});
