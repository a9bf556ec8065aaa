import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { listenAddress } from './listen-address.js';

const none = { bind: undefined, announce: undefined, specHost: undefined };

describe('listenAddress: HOST binds, MCP_MESH_HTTP_HOST is announced', () => {
  it('defaults to loopback for both, or the spec host', () => {
    expect(listenAddress(none)).toEqual({ host: '127.0.0.1', announcedHost: '127.0.0.1' });
    expect(listenAddress({ ...none, specHost: '127.0.0.2' })).toEqual({
      host: '127.0.0.2',
      announcedHost: '127.0.0.2',
    });
  });

  it('binds an announced address as before, and every interface for an announced name', () => {
    expect(listenAddress({ ...none, announce: '10.1.2.3' })).toEqual({
      host: '10.1.2.3',
      announcedHost: '10.1.2.3',
    });
    expect(listenAddress({ ...none, announce: 'localhost' }).host).toBe('localhost');
    expect(listenAddress({ ...none, announce: 'greeter.mesh.svc' })).toEqual({
      host: '0.0.0.0',
      announcedHost: 'greeter.mesh.svc',
    });
  });

  it('keeps HOST and MCP_MESH_HTTP_HOST apart when both are given (a pod)', () => {
    expect(listenAddress({ ...none, bind: '0.0.0.0', announce: '10.244.1.7' })).toEqual({
      host: '0.0.0.0',
      announcedHost: '10.244.1.7',
    });
    expect(listenAddress({ ...none, bind: '::', announce: '[fd00::7]' }).announcedHost).toBe(
      'fd00::7',
    );
  });

  it('never announces a wildcard: a bound-everywhere agent announces an address of this machine', () => {
    const external = Object.values(networkInterfaces())
      .flatMap((entries) => entries ?? [])
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => entry.address);
    const { host, announcedHost } = listenAddress({ ...none, bind: '0.0.0.0' });
    expect(host).toBe('0.0.0.0');
    expect(announcedHost).toBe(external[0] ?? '127.0.0.1');
  });
});
