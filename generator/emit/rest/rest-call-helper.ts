import { generatedHeader } from '../header.js';

/** Path of the helper that every generated REST tool body calls, inside the out directory. */
export const restCallFile = 'rest/rest-call.ts';

/**
 * The one module REST-backed tool bodies share: the tool's timeout and retry policy around each
 * request, the base URL from the environment, and non-2xx answers turned into tool errors that
 * carry the status and the body. Generated (not imported from the runtime) so that an agent
 * without REST tools carries none of it.
 */
export function emitRestCallHelper(source: string): { path: string; content: string } {
  return { path: restCallFile, content: `${generatedHeader(source)}\n${helper}` };
}

const helper = `/** The resilience settings of one REST-backed tool, from its kwargs. */
export interface RestPolicy {
  /** \`METHOD /path\`, for error messages. */
  readonly operation: string;
  readonly timeoutMs: number;
  readonly retryCount: number;
  readonly retryDelayMs: number;
  readonly retryBackoff: number;
  /** Only idempotent methods are retried after the request may have reached the service. */
  readonly idempotent: boolean;
  readonly output: 'object' | 'wrapped' | 'text';
}

/** What openapi-fetch answers for one request. */
export interface RestAnswer {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/** A non-2xx answer of the REST service: the tool fails with its status and body. */
export class RestStatusError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(\`\${operation} answered \${status}: \${describeBody(body)}\`);
    this.name = 'RestStatusError';
  }
}

// Statuses that say "try again later" rather than "this request is wrong".
const retryableStatuses = new Set([408, 425, 429, 502, 503, 504]);

/** The base URL: the environment variable when set, else the document's. */
export function restBaseUrl(variable: string, fallback: string): string {
  const value = process.env[variable];
  if (value !== undefined && value !== '') return value;
  if (fallback === '' || fallback.startsWith('/')) {
    throw new Error(
      \`no base URL for the REST service: set \${variable} (the document gives \${fallback === '' ? 'no servers' : \`only the path \${fallback}\`})\`,
    );
  }
  return fallback;
}

/**
 * Sends one request under the tool's policy: each attempt bounded by the timeout and the call's
 * own cancellation; transport failures, timeouts and 408/425/429/502/503/504 retried with
 * exponential backoff (for idempotent methods; others only when nothing was sent).
 */
export async function restCall<Output>(
  policy: RestPolicy,
  callSignal: AbortSignal,
  send: (signal: AbortSignal) => Promise<RestAnswer>,
): Promise<Output> {
  let delay = policy.retryDelayMs;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retryCount;
    const signal = AbortSignal.any([callSignal, AbortSignal.timeout(policy.timeoutMs)]);
    let answer: RestAnswer;
    try {
      answer = await send(signal);
    } catch (error) {
      if (callSignal.aborted) throw error;
      const timedOut = signal.aborted;
      const refused = isConnectionRefused(error);
      if (last || !(refused || policy.idempotent)) {
        throw new Error(
          timedOut
            ? \`\${policy.operation} timed out after \${policy.timeoutMs} ms\`
            : \`\${policy.operation} failed: \${reasonOf(error)}\`,
          { cause: error },
        );
      }
      delay = await pause(delay, policy.retryBackoff, callSignal);
      continue;
    }
    const { response } = answer;
    if (response.ok) return resultOf(policy, answer.data, response) as Output;
    if (!last && policy.idempotent && retryableStatuses.has(response.status)) {
      delay = await pause(delay, policy.retryBackoff, callSignal);
      continue;
    }
    throw new RestStatusError(policy.operation, response.status, answer.error);
  }
}

function resultOf(policy: RestPolicy, data: unknown, response: Response): unknown {
  if (policy.output === 'object') return data;
  if (policy.output === 'wrapped') return { result: data };
  const text = typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data);
  return text === '' ? \`\${response.status} \${response.statusText}\`.trim() : text;
}

async function pause(delayMs: number, backoff: number, signal: AbortSignal): Promise<number> {
  // Full jitter: replicas retrying together should not hit the service in step.
  const wait = Math.random() * delayMs;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, wait);
    signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
  return delayMs * backoff;
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } } | undefined)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.message ? \`\${message} (\${cause.message})\` : message;
}

function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : body === undefined ? '(empty body)' : JSON.stringify(body);
  return text.length > 2048 ? \`\${text.slice(0, 2048)}…\` : text;
}
`;
