// ProviderClient against a real agent (in process, real HTTP), in both eras: negotiated with the
// SDK client, then calls sent directly.
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultyProvider } from '../../test/e2e/runtime/support/agents.js';
import { testConfig } from '../../test/e2e/runtime/support/mesh.js';
import { type RunningAgent, runAgent } from '../run-agent.js';
import { resultValue } from './call-result.js';
import { ResponseTooLargeError, withOutboundCall } from './outbound-headers.js';
import { ProviderClient, type RawToolResult } from './provider-client.js';
import { negotiateProtocol } from './provider-protocol.js';

describe.each(['auto', 'legacy'] as const)('ProviderClient against an agent (%s)', (mode) => {
  const provider = faultyProvider(`direct-${mode}`, {
    echo: 'echo',
    slow: 'slow',
    ticker: 'ticker',
    big: 'big',
  });
  let agent: RunningAgent;
  let dispatcher: Agent;
  let client: ProviderClient;
  const answerValue = (answer: RawToolResult) =>
    resultValue(answer, 'c', 'p') as Record<string, unknown>;

  beforeAll(async () => {
    agent = await runAgent(provider.definition, testConfig(provider.definition, undefined));
    dispatcher = new Agent({ connections: 8 });
    client = await ProviderClient.connect(agent.url, dispatcher, () =>
      negotiateProtocol(agent.url, dispatcher, { name: 'direct-test', version: '1.0.0' }, mode),
    );
  });

  afterAll(async () => {
    await dispatcher?.destroy();
    await agent?.stop();
  });

  it('negotiates the era asked for: 2026-07-28 where offered, else a 2025 session', async () => {
    const protocol = await negotiateProtocol(
      agent.url,
      dispatcher,
      { name: 't', version: '1' },
      mode,
    );
    expect(protocol).toMatchObject(
      mode === 'auto'
        ? { version: '2026-07-28', modern: true }
        : { version: '2025-11-25', modern: false, sessionId: expect.any(String) },
    );
  });

  it('calls a tool, many at once, each answered with its own result', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, value) =>
        client.callTool({ name: 'echo', arguments: { value } }),
      ),
    );
    expect(answers.map((answer) => answerValue(answer).value)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('streams progress, then the result', async () => {
    const chunks: unknown[] = [];
    const answer = await client.callTool(
      { name: 'ticker', arguments: { count: 3, every: 5 } },
      { onprogress: (progress) => chunks.push(progress) },
    );
    expect(answerValue(answer)).toEqual({ sent: 3 });
    expect(chunks).toEqual(
      [1, 2, 3].map((n) => ({ progress: n, total: 3, message: `chunk ${n}` })),
    );
  });

  it('an abort cancels the handler on the provider', async () => {
    const controller = new AbortController();
    const started = provider.log.slowStarted();
    const aborted = provider.log.aborted.length;
    const pending = client.callTool(
      { name: 'slow', arguments: { ms: 20_000 } },
      { signal: controller.signal },
    );
    await started;
    controller.abort(new Error('no longer needed'));
    await expect(pending).rejects.toThrow('no longer needed');
    await expect.poll(() => provider.log.aborted.length, { timeout: 5_000 }).toBe(aborted + 1);
  });

  it('refuses an answer past max_response_size; the next call on the pool is fine', async () => {
    await expect(
      withOutboundCall({ headers: {}, maxResponseSize: 2_000 }, () =>
        client.callTool({ name: 'big', arguments: { size: 50_000 } }),
      ),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
    const small = await client.callTool({ name: 'big', arguments: { size: 10 } });
    expect(answerValue(small)).toEqual({ data: 'x'.repeat(10) });
  });

  it.runIf(mode === 'legacy')(
    'opens a new session when the provider ended the old one',
    async () => {
      // close() ends the session on the provider (DELETE); the client still holds its id.
      await client.close();
      const answer = await client.callTool({ name: 'echo', arguments: { value: 'again' } });
      expect(answerValue(answer)).toMatchObject({ value: 'again' });
    },
  );
});
