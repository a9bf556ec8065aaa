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
    const scope = currentCallScope();
    try {
      return (await runInCallScope(scope ?? { headers: {} }, () =>
        this.invoke(this.tool, input, options),
      )) as Output;
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

  async *stream(input: Input, options: CallOptions = {}): AsyncIterable<StreamChunk> {
    const chunks: StreamChunk[] = [];
    await this.invoke(this.tool, input, options, (chunk) => chunks.push(chunk));
    yield* chunks;
  }
}
