import type { StreamChunk } from '../agent/proxy.js';

/**
 * Turns a call that reports progress into an async iterator of its chunks, yielded as they
 * arrive. The call's own result ends the iteration (its failure is thrown); leaving the loop
 * early aborts the call's signal and does not wait for it.
 */
export async function* progressStream(
  run: (signal: AbortSignal, onChunk: (chunk: StreamChunk) => void) => Promise<unknown>,
  outerSignal: AbortSignal | undefined,
): AsyncIterable<StreamChunk> {
  const chunks: StreamChunk[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const controller = new AbortController();
  const signal = outerSignal
    ? AbortSignal.any([outerSignal, controller.signal])
    : controller.signal;
  const done = run(signal, (chunk) => {
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
    if (!finished) controller.abort();
    else await done;
  }
}
