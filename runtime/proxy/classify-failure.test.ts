import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { MeshError } from '../errors/mesh-error.js';
import { classifyFailure } from './classify-failure.js';
import { ResponseTooLargeError } from './outbound-headers.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function httpError(status: number): SdkHttpError {
  return new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `HTTP ${status}`, { status });
}

describe('classifyFailure', () => {
  it('a refused connection, however deeply nested, is a retryable transport failure before sending', () => {
    // What undici's fetch throws: TypeError('fetch failed') caused by the socket error.
    const refused = new Error('transport failed', {
      cause: new TypeError('fetch failed', {
        cause: withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      }),
    });
    const failure = classifyFailure(refused, 'dates', 'clock.now');
    expect(failure.error.code).toBe('transport');
    expect(failure.error.retryable).toBe(true);
    expect(failure.connectionFailed).toBe(true);
    expect(failure.providerFault).toBe(true);
    expect(failure.error.message).toContain('clock.now is unreachable');
    expect(failure.error.details).toMatchObject({ capability: 'dates', provider: 'clock.now' });
  });

  it.each([
    ['ECONNREFUSED', false],
    ['UND_ERR_CONNECT_TIMEOUT', false],
    ['EHOSTUNREACH', false],
    ['ECONNRESET', true],
    ['EPIPE', true],
    ['UND_ERR_SOCKET', true],
  ])('%s is a connection failure; the call may have run: %s', (code, mayHaveRun) => {
    const failure = classifyFailure(
      new TypeError('fetch failed', { cause: withCode(code, code) }),
      'c',
      'p',
    );
    expect(failure).toMatchObject({ connectionFailed: true, providerFault: true, mayHaveRun });
    expect(failure.error.code).toBe('transport');
  });

  it('a connection cut during the handshake cannot have run the call', () => {
    const cut = new SdkError(SdkErrorCode.EraNegotiationFailed, 'probe failed', undefined, {
      cause: new TypeError('fetch failed', {
        cause: withCode('other side closed', 'UND_ERR_SOCKET'),
      }),
    });
    expect(classifyFailure(cut, 'c', 'p')).toMatchObject({
      connectionFailed: true,
      mayHaveRun: false,
    });
  });

  it.each([429, 502, 503, 504])(
    'HTTP %d is a retryable transport failure of the provider',
    (status) => {
      const failure = classifyFailure(httpError(status), 'c', 'p');
      expect(failure.error.code).toBe('transport');
      expect(failure.error.retryable).toBe(true);
      expect(failure.error.message).toContain(String(status));
      expect(failure.connectionFailed).toBe(false);
      expect(failure.providerFault).toBe(true);
    },
  );

  it('keeps the Retry-After the provider sent with a 429 or 503', () => {
    const busy = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'HTTP 503', {
      status: 503,
      retryAfterMs: 2_000,
    });
    expect(classifyFailure(busy, 'c', 'p').retryAfterMs).toBe(2_000);
    expect(classifyFailure(httpError(503), 'c', 'p').retryAfterMs).toBeUndefined();
  });

  it.each([401, 403])('HTTP %d is unauthorized, never retried', (status) => {
    const failure = classifyFailure(httpError(status), 'c', 'p');
    expect(failure.error.code).toBe('unauthorized');
    expect(failure.error.retryable).toBe(false);
    expect(failure.error.message).toContain('MCP_MESH_AUTH_TOKEN');
    expect(failure.providerFault).toBe(false);
  });

  it('HTTP 400 is a transport failure that is not retried and not the provider’s fault', () => {
    const failure = classifyFailure(httpError(400), 'c', 'p');
    expect(failure.error.code).toBe('transport');
    expect(failure.error.retryable).toBe(false);
    expect(failure.providerFault).toBe(false);
  });

  it('HTTP 500 counts against the provider but is not retried', () => {
    const failure = classifyFailure(httpError(500), 'c', 'p');
    expect(failure.error.retryable).toBe(false);
    expect(failure.providerFault).toBe(true);
  });

  it('the SDK request timeout is a timeout', () => {
    const failure = classifyFailure(
      new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'),
      'c',
      'p',
    );
    expect(failure.error.code).toBe('timeout');
    expect(failure.error.retryable).toBe(false);
    expect(failure.providerFault).toBe(true);
  });

  it('a response past max_response_size is response_too_large, directly or as a cause', () => {
    for (const thrown of [
      new ResponseTooLargeError(10),
      new TypeError('terminated', { cause: new ResponseTooLargeError(10) }),
    ]) {
      const failure = classifyFailure(thrown, 'c', 'p');
      expect(failure.error.code).toBe('response_too_large');
      expect(failure.error.message).toContain('10 bytes');
      expect(failure.providerFault).toBe(false);
    }
  });

  it('a JSON-RPC error from the provider is a remote_tool_error', () => {
    const failure = classifyFailure(new ProtocolError(-32602, 'Unknown tool: nope'), 'c', 'p');
    expect(failure.error.code).toBe('remote_tool_error');
    expect(failure.error.message).toContain('Unknown tool');
    expect(failure.providerFault).toBe(false);
  });

  it('abort and timeout errors become cancelled and timeout', () => {
    expect(classifyFailure(new DOMException('stop', 'AbortError'), 'c', 'p').error.code).toBe(
      'cancelled',
    );
    expect(classifyFailure(new DOMException('late', 'TimeoutError'), 'c', 'p').error.code).toBe(
      'timeout',
    );
  });

  it('passes a MeshError through unchanged', () => {
    const error = new MeshError('remote_tool_error', 'the tool said no');
    expect(classifyFailure(error, 'c', 'p')).toEqual({
      error,
      connectionFailed: false,
      providerFault: false,
    });
  });

  it('a timeout MeshError (the provider gave up at the deadline) is the provider’s fault', () => {
    const error = new MeshError('timeout', 'p did not finish within the call’s deadline');
    expect(classifyFailure(error, 'c', 'p')).toEqual({
      error,
      connectionFailed: false,
      providerFault: true,
    });
  });

  it('anything else is a non-retryable transport failure of the provider', () => {
    const failure = classifyFailure(new Error('something odd'), 'c', 'p');
    expect(failure.error.code).toBe('transport');
    expect(failure.error.retryable).toBe(false);
    expect(failure.connectionFailed).toBe(false);
    expect(failure.providerFault).toBe(true);
    expect(classifyFailure('a string', 'c', 'p').error.message).toContain('a string');
  });
});
