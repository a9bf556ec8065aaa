import { type CapabilityProxy, handlerContext, type ToolContext } from '@mcp-mesh/runtime';
import { describe, expect, it } from 'vitest';
import type { DateServiceInput, DateServiceOutput } from './generated/proxies/date-service.js';
import clock from './handlers/clock.js';
import greeter from './handlers/greeter.js';

function context(): ToolContext {
  return handlerContext({ agentId: 'greeter-test' });
}

// The clock's own handler behind a proxy, the way the runtime wires a same-process dependency.
function clockProxy(): CapabilityProxy<DateServiceInput, DateServiceOutput> {
  return {
    capability: 'date_service',
    call: async (input) => clock.handlers.tools.get_current_date(input, {}, context()),
    stream: () => {
      throw new Error('get_current_date does not stream');
    },
  };
}

describe('greeting example', () => {
  it("greets with today's date when the date service resolves", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const result = await greeter.handlers.tools.greet(
      { name: 'Ada' },
      { dateService: clockProxy() },
      context(),
    );
    expect(result.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The day may turn between the two readings; the greeting must carry the date it reports.
    expect([today, new Date().toISOString().slice(0, 10)]).toContain(result.date);
    expect(result.message).toBe(`Hello, Ada! Today is ${result.date}.`);
  });

  it('greets without a date when no provider is resolved', async () => {
    const result = await greeter.handlers.tools.greet(
      { name: 'Ada' },
      { dateService: undefined },
      context(),
    );
    expect(result).toEqual({ message: 'Hello, Ada!' });
  });

  it('greets without a date, never failing, when the date service fails', async () => {
    const failing: CapabilityProxy<DateServiceInput, DateServiceOutput> = {
      ...clockProxy(),
      call: async () => {
        throw new Error('provider unreachable');
      },
    };
    const result = await greeter.handlers.tools.greet(
      { name: 'Ada' },
      { dateService: failing },
      context(),
    );
    expect(result).toEqual({ message: 'Hello, Ada!' });
  });

  it('binds each handler to the agent metadata of the spec', () => {
    expect(greeter.metadata.name).toBe('greeter');
    expect(greeter.metadata.tools[0]?.dependencies[0]).toMatchObject({
      capability: 'date_service',
      version: '>=1.0.0',
      tags: ['system'],
      parameter: 'dateService',
    });
    expect(greeter.proxyDefaults.date_service?.kwargs).toEqual({
      timeout: 2,
      retry_count: 2,
      retry_delay: 0.1,
      retry_backoff: 2,
    });
  });
});
