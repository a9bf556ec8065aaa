import { describe, expect, it } from 'vitest';
import { ClientRequestError } from '../errors/client-request-error.js';
import { handlerContext } from './handler-context.js';

describe('handlerContext', () => {
  it('has no MCP client: requests fail with capability_missing, input cannot be asked for', async () => {
    const context = handlerContext({ agentId: 'unit' });
    expect(context.agentId).toBe('unit');
    expect(context.client.supports('sampling')).toBe(false);
    const refused = context.client.createMessage({ messages: [], maxTokens: 1 });
    await expect(refused).rejects.toBeInstanceOf(ClientRequestError);
    await expect(refused).rejects.toMatchObject({
      code: 'capability_missing',
      feature: 'sampling',
    });
    expect(context.input.response('anything')).toEqual({ kind: 'missing' });
    expect(context.input.state()).toBeUndefined();
    await expect(context.input.require({ roots: context.input.listRoots() })).rejects.toThrow(
      /did not come from an MCP client/,
    );
  });
});
