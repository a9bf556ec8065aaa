/**
 * TLS is mesh-wide: a process with TLS settings reaches agents over HTTPS. The registry's API
 * keeps announcing `http://host:port` (the predecessor's shape has no scheme), so the scheme is
 * chosen here, by the caller.
 */
export function agentOrigin(endpoint: string, https: boolean): string {
  return https && endpoint.startsWith('http://')
    ? `https://${endpoint.slice('http://'.length)}`
    : endpoint;
}
