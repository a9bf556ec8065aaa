import type { CallOptions, CapabilityProxy, StreamChunk } from '../agent/proxy.js';
import { currentCallScope, runInCallScope } from '../context/call-scope.js';
import { MeshError } from '../errors/mesh-error.js';

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
  async *stream(input: Input, options: CallOptions = {}): AsyncIterable<StreamChunk> {
    const chunks: StreamChunk[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    const controller = new AbortController();
    const outer = options.signal ?? currentCallScope()?.signal;
    const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    const done = this.run(input, { ...options, signal }, (chunk) => {
      chunks.push(chunk);
      wake?.();
    }).then(
      () => {
        finished = true;
        wake?.();
      },
      (error: unknown) => {
        failure = error;
        finished = true;
        wake?.();
      },
    );
    try {
      while (true) {
        const chunk = chunks.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (failure !== undefined) throw failure;
    } finally {
      // Leaving early cancels the tool; a handler that ignores its signal is not waited for.
      if (!finished) controller.abort();
      else await done;
    }
  }

  private async run(
    input: Input,
    options: CallOptions,
    onProgress?: (chunk: StreamChunk) => void,
  ): Promise<unknown> {
    const scope = currentCallScope();
    try {
      return await runInCallScope(scope ?? { headers: {} }, () =>
        this.invoke(this.tool, input, options, onProgress),
      );
    } catch (error) {
      throw error instanceof MeshError
        ? error
        : new MeshError(
            'remote_tool_error',
            `${this.tool} failed: ${error instanceof Error ? error.message : String(error)}`,
            { capability: this.capability, provider: 'self', cause: error },
          );
    }
  }
}
