import { describe, expect, it } from 'vitest';
import type { StreamChunk } from '../agent/proxy.js';
import { currentCallScope, runInCallScope } from '../context/call-scope.js';
import { MeshError } from '../errors/mesh-error.js';
import { LocalCapabilityProxy, type LocalInvoker } from './local-proxy.js';

describe('LocalCapabilityProxy', () => {
  it('calls the tool in process, inside the caller’s call scope', async () => {
    const seen: unknown[] = [];
    const invoke: LocalInvoker = async (tool, input) => {
      seen.push({ tool, input, headers: currentCallScope()?.headers });
      return { ok: true };
    };
    const proxy = new LocalCapabilityProxy<{ n: number }, { ok: boolean }>('cap', 'tool', invoke);
    const result = await runInCallScope({ headers: { traceparent: 't' } }, () =>
      proxy.call({ n: 1 }),
    );
    expect(result).toEqual({ ok: true });
    expect(seen).toEqual([{ tool: 'tool', input: { n: 1 }, headers: { traceparent: 't' } }]);
  });

  it('turns a handler failure into a remote_tool_error, and passes MeshErrors through', async () => {
    const failing = new LocalCapabilityProxy('cap', 'tool', async () => {
      throw new Error('boom');
    });
    const error = await failing.call({}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MeshError);
    expect((error as MeshError).code).toBe('remote_tool_error');
    expect((error as MeshError).message).toContain('boom');

    const timeout = new MeshError('timeout', 'late');
    const passing = new LocalCapabilityProxy('cap', 'tool', async () => {
      throw timeout;
    });
    await expect(passing.call({})).rejects.toBe(timeout);
  });

  it('bounds a call by its timeoutMs: the handler sees the deadline and an aborted signal, the caller a timeout', async () => {
    let seen: { deadline?: number | undefined; signal?: AbortSignal | undefined } = {};
    const proxy = new LocalCapabilityProxy('cap', 'slow', async (_tool, _input, options) => {
      seen = { deadline: currentCallScope()?.deadline, signal: options.signal };
      // Ignores its signal on purpose: the caller must not wait for it.
      await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    });
    const started = Date.now();
    const error = await proxy.call({}, { timeoutMs: 30 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MeshError);
    expect((error as MeshError).code).toBe('timeout');
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.deadline).toBeGreaterThanOrEqual(started + 30);
    expect(seen.deadline).toBeLessThan(started + 5_000);
  });

  it('keeps the tighter deadline of the caller’s scope', async () => {
    let deadline: number | undefined;
    const proxy = new LocalCapabilityProxy('cap', 'tool', async () => {
      deadline = currentCallScope()?.deadline;
      return 1;
    });
    const scopeDeadline = Date.now() + 10;
    await runInCallScope({ headers: {}, deadline: scopeDeadline }, () =>
      proxy.call({}, { timeoutMs: 60_000 }),
    );
    expect(deadline).toBe(scopeDeadline);
  });

  it('streams progress as it comes, before the tool has finished', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const proxy = new LocalCapabilityProxy(
      'cap',
      'tool',
      async (_tool, _input, _options, onProgress) => {
        onProgress?.({ progress: 1, total: 2 });
        await finished;
        onProgress?.({ progress: 2, total: 2 });
        return 'done';
      },
    );
    const chunks: StreamChunk[] = [];
    const iterator = proxy.stream({})[Symbol.asyncIterator]();
    const first = await Promise.race([
      iterator.next(),
      new Promise((resolve) => setTimeout(() => resolve('nothing yet'), 1_000)),
    ]);
    expect(first).toEqual({ done: false, value: { progress: 1, total: 2 } });
    finish();
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      chunks.push(next.value);
    expect(chunks).toEqual([{ progress: 2, total: 2 }]);
  });

  it('leaving the stream early aborts the tool’s signal', async () => {
    let toolSignal: AbortSignal | undefined;
    const proxy = new LocalCapabilityProxy(
      'cap',
      'tool',
      async (_tool, _input, options, onProgress) => {
        toolSignal = options.signal;
        for (let index = 1; ; index++) {
          if (options.signal?.aborted) throw options.signal.reason;
          onProgress?.({ progress: index });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      },
    );
    const seen: number[] = [];
    for await (const chunk of proxy.stream({})) {
      seen.push(chunk.progress);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(toolSignal?.aborted).toBe(true);
  });

  it('a failing stream throws after the chunks it sent', async () => {
    const proxy = new LocalCapabilityProxy(
      'cap',
      'tool',
      async (_tool, _input, _options, onProgress) => {
        onProgress?.({ progress: 1 });
        throw new Error('half way');
      },
    );
    const seen: number[] = [];
    const error = await (async () => {
      for await (const chunk of proxy.stream({})) seen.push(chunk.progress);
    })().catch((thrown: unknown) => thrown);
    expect(seen).toEqual([1]);
    expect((error as MeshError).code).toBe('remote_tool_error');
  });
});
