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
