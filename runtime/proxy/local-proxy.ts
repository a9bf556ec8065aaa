import type { CallOptions, CapabilityProxy, StreamChunk } from '../agent/proxy.js';
import { currentCallScope, runInCallScope } from '../context/call-scope.js';
import { MeshError } from '../errors/mesh-error.js';
import { progressStream } from './progress-stream.js';

/** Calls a tool of this very agent: its handler, in process, with no network and no copy. */
export type LocalInvoker = (
  tool: string,
  input: unknown,
  options: CallOptions,
  onProgress?: (chunk: StreamChunk) => void,
) => Promise<unknown>;

/**
 * The proxy of a dependency that the agent itself provides. Same signature as a remote proxy;
 * a direct function call underneath, inside the caller's call scope (deadline, cancellation).
 */
export class LocalCapabilityProxy<Input, Output> implements CapabilityProxy<Input, Output> {
  constructor(
    readonly capability: string,
    readonly tool: string,
    private readonly invoke: LocalInvoker,
  ) {}

  async call(input: Input, options: CallOptions = {}): Promise<Output> {
    return (await this.run(input, options)) as Output;
  }

  /** Yields the tool's progress as it reports it; leaving the loop early aborts its signal. */
  stream(input: Input, options: CallOptions = {}): AsyncIterable<StreamChunk> {
    return progressStream(
      (signal, onChunk) => this.run(input, { ...options, signal }, onChunk),
      options.signal ?? currentCallScope()?.signal,
    );
  }

  private async run(
    input: Input,
    options: CallOptions,
    onProgress?: (chunk: StreamChunk) => void,
  ): Promise<unknown> {
    const scope = currentCallScope() ?? { headers: {} };
    const bounded = options.timeoutMs === undefined ? undefined : this.bound(options.timeoutMs);
    const signals = [options.signal ?? scope.signal, bounded?.signal].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const deadline =
      bounded === undefined
        ? scope.deadline
        : Math.min(scope.deadline ?? Number.POSITIVE_INFINITY, bounded.deadline);
    try {
      const work = runInCallScope(
        {
          ...scope,
          ...(deadline === undefined ? {} : { deadline }),
          ...(signal === undefined ? {} : { signal }),
        },
        () => this.invoke(this.tool, input, signal ? { ...options, signal } : options, onProgress),
      );
      // A handler that ignores its signal still cannot hold the caller past the timeout.
      return await (bounded ? Promise.race([work, bounded.expired]) : work);
    } catch (error) {
      if (bounded?.signal.aborted) {
        throw new MeshError(
          'timeout',
          `${this.tool} did not finish within ${options.timeoutMs} ms`,
          { capability: this.capability, provider: 'self', cause: error },
        );
      }
      throw error instanceof MeshError
        ? error
        : new MeshError(
            'remote_tool_error',
            `${this.tool} failed: ${error instanceof Error ? error.message : String(error)}`,
            { capability: this.capability, provider: 'self', cause: error },
          );
    } finally {
      bounded?.dispose();
    }
  }

  // The call's own timeout: a signal that aborts when it passes, and a promise that rejects then.
  private bound(timeoutMs: number) {
    const controller = new AbortController();
    let expire: (reason: unknown) => void = () => {};
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    expired.catch(() => undefined);
    const timer = setTimeout(() => {
      const reason = new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError');
      controller.abort(reason);
      expire(reason);
    }, timeoutMs);
    return {
      signal: controller.signal,
      deadline: Date.now() + timeoutMs,
      expired,
      dispose: () => clearTimeout(timer),
    };
  }
}
