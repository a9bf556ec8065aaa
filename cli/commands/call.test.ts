import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { clockAgent, greeterAgent } from '../registry/test-fixtures.js';
import { UsageError } from '../usage-error.js';
import {
  type CallEndpoint,
  describeCallFailure,
  formatProgress,
  formatResult,
  mcpUrl,
  parseTarget,
  parseToolArguments,
  resolveCallTarget,
  resultText,
} from './call.js';

const registryUrl = 'http://localhost:8000';

describe('meshctl call: the command line', () => {
  it('reads [agent:]tool, splitting at the last colon', () => {
    expect(parseTarget('greet')).toEqual({ tool: 'greet' });
    expect(parseTarget('greeter:greet')).toEqual({ agent: 'greeter', tool: 'greet' });
    expect(parseTarget('ns:greeter-1:greet')).toEqual({ agent: 'ns:greeter-1', tool: 'greet' });
    for (const bad of [':greet', 'greeter:', '', ' '])
      expect(() => parseTarget(bad)).toThrow(UsageError);
  });

  it('takes the arguments as a JSON object and says how to write one otherwise', () => {
    expect(parseToolArguments('{"name":"Ada"}')).toEqual({ name: 'Ada' });
    expect(parseToolArguments('{}')).toEqual({});
    expect(() => parseToolArguments('{name: Ada}')).toThrow(
      /^the arguments are not valid JSON \(.+\); write an object in single quotes, like '\{"name":"Ada"\}'$/,
    );
    expect(() => parseToolArguments('[1]')).toThrow(/must be a JSON object.*not an array/);
    expect(() => parseToolArguments('"Ada"')).toThrow(/must be a JSON object.*not "Ada"/);
    expect(() => parseToolArguments('null')).toThrow(UsageError);
  });

  it('calls an agent URL at its /mcp', () => {
    expect(mcpUrl('http://127.0.0.1:9001')).toBe('http://127.0.0.1:9001/mcp');
    expect(mcpUrl('http://127.0.0.1:9001/mcp')).toBe('http://127.0.0.1:9001/mcp');
  });
});

describe('meshctl call: choosing the agent', () => {
  const agents = [clockAgent({ id: 'clock-0', status: 'unhealthy' }), clockAgent(), greeterAgent()];

  it('finds a tool by name on the first healthy agent offering it, else by capability', () => {
    expect(resolveCallTarget(agents, { tool: 'get_current_date' }, registryUrl)).toMatchObject({
      agent: { id: 'clock-1a2b3c4d' },
      tool: 'get_current_date',
    });
    expect(resolveCallTarget(agents, { tool: 'date_service' }, registryUrl)).toMatchObject({
      agent: { id: 'clock-1a2b3c4d' },
      tool: 'get_current_date',
    });
  });

  it('prefers an instance whose tool is available', () => {
    const unavailable = greeterAgent({
      id: 'greeter-0',
      capabilities: [
        { name: 'greeting', version: '1.0.0', function_name: 'greet', available: false },
      ],
    });
    expect(
      resolveCallTarget([unavailable, greeterAgent()], { tool: 'greet' }, registryUrl).agent.id,
    ).toBe('greeter-5e6f7a8b');
    expect(resolveCallTarget([unavailable], { tool: 'greet' }, registryUrl).agent.id).toBe(
      'greeter-0',
    );
  });

  it('takes agent:tool on the named agent, any healthy instance of it', () => {
    expect(
      resolveCallTarget(agents, { agent: 'clock', tool: 'get_current_date' }, registryUrl).agent.id,
    ).toBe('clock-1a2b3c4d');
    expect(resolveCallTarget(agents, { agent: '5e6f', tool: 'greet' }, registryUrl).agent.id).toBe(
      'greeter-5e6f7a8b',
    );
  });

  it('explains an unknown agent, an unknown tool, and agents that are not healthy', () => {
    expect(() =>
      resolveCallTarget(agents, { agent: 'nobody', tool: 'greet' }, registryUrl),
    ).toThrow(/^no agent matches "nobody"/);
    expect(() =>
      resolveCallTarget(agents, { agent: 'greeter', tool: 'nope' }, registryUrl),
    ).toThrow('agent greeter-5e6f7a8b has no tool or capability "nope"; offered: greet (greeting)');
    expect(() => resolveCallTarget(agents, { tool: 'nope' }, registryUrl)).toThrow(
      'no agent at http://localhost:8000 offers a tool or capability named "nope"; see meshctl list --tools',
    );
    expect(() =>
      resolveCallTarget(agents, { agent: 'clock-0', tool: 'get_current_date' }, registryUrl),
    ).toThrow(
      'agent clock-0 offers get_current_date but is unhealthy; it has stopped sending heartbeats — restart it (meshctl start …) and check meshctl list --all',
    );
    const allDown = agents.map((agent) => ({ ...agent, status: 'unhealthy' as const }));
    expect(() => resolveCallTarget(allDown, { tool: 'get_current_date' }, registryUrl)).toThrow(
      /^get_current_date is offered only by agents that are not healthy \(clock-0: unhealthy, clock-1a2b3c4d: unhealthy\)/,
    );
  });

  it('refuses to guess between different agents an agent name matches', () => {
    const twins = [
      clockAgent({ id: 'a-1', name: 'alpha' }),
      clockAgent({ id: 'a-2', name: 'alpine' }),
    ];
    expect(() =>
      resolveCallTarget(twins, { agent: 'alp', tool: 'date_service' }, registryUrl),
    ).toThrow(
      /"alp" matches several agents offering date_service; give more of the id:\n {2}a-1 {2}alpha {3}healthy\n {2}a-2 {2}alpine {2}healthy$/,
    );
  });
});

describe('meshctl call: results and failures', () => {
  const proxy: CallEndpoint = {
    kind: 'proxy',
    url: 'http://localhost:8000/proxy/clock-1a2b3c4d/mcp',
    agent: clockAgent(),
    registryUrl,
  };
  const direct: CallEndpoint = { kind: 'direct', url: 'http://127.0.0.1:9001/mcp' };

  it('prints structured content as JSON, else the content blocks', () => {
    expect(
      formatResult({
        content: [{ type: 'text', text: '{"date":"x"}' }],
        structuredContent: { date: 'x' },
      }),
    ).toBe('{\n  "date": "x"\n}');
    expect(
      formatResult({
        content: [
          { type: 'text', text: 'hello' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'resource', resource: { uri: 'test://a', text: 'inline' } },
          {
            type: 'resource',
            resource: { uri: 'test://b', blob: 'AAAA', mimeType: 'application/pdf' },
          },
          { type: 'resource_link', uri: 'test://c', name: 'c' },
        ],
      }),
    ).toBe(
      'hello\n[image image/png, 3 bytes]\ninline\n[resource test://b application/pdf]\n[link test://c c]',
    );
    expect(resultText({ content: [] })).toBe('(no content)');
  });

  it('formats progress as progress done/total: message', () => {
    expect(formatProgress({ progress: 3, total: 10, message: 'copying' })).toBe(
      'progress 3/10: copying',
    );
    expect(formatProgress({ progress: 7 })).toBe('progress 7');
  });

  it('turns relay answers into what happened and what to do', () => {
    const gone = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing', {
      status: 404,
      text: JSON.stringify({
        error: 'not_found',
        message: 'no agent "clock-1a2b3c4d" is registered',
      }),
    });
    expect(describeCallFailure(gone, proxy, 'get_current_date', 60_000)).toBe(
      'agent clock-1a2b3c4d is no longer registered (it stopped or was removed): no agent "clock-1a2b3c4d" is registered; see meshctl list, or start it again',
    );
    const down = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing', {
      status: 503,
      text: JSON.stringify({
        error: 'unavailable',
        message: 'agent "clock-1a2b3c4d" did not answer',
      }),
    });
    expect(describeCallFailure(down, proxy, 'get_current_date', 60_000)).toBe(
      'agent clock-1a2b3c4d cannot be reached through the registry: agent "clock-1a2b3c4d" did not answer; it may have stopped — check meshctl status clock, restart it, or retry',
    );
    const refused = new SdkHttpError(SdkErrorCode.ClientHttpAuthentication, 'no', { status: 401 });
    expect(describeCallFailure(refused, direct, 'x', 60_000)).toMatch(
      /refused the call \(HTTP 401\)/,
    );
  });

  it('explains connection failures, timeouts, unknown tools and JSON-RPC errors', () => {
    const connection = new SdkError(SdkErrorCode.EraNegotiationFailed, 'probe failed', undefined, {
      cause: new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
    });
    expect(describeCallFailure(connection, direct, 'greet', 60_000)).toBe(
      'nothing answers at http://127.0.0.1:9001/mcp; is the agent running? (meshctl list shows the endpoints)',
    );
    expect(describeCallFailure(connection, proxy, 'greet', 60_000)).toMatch(
      /^registry unreachable at http:\/\/localhost:8000 — start one/,
    );
    const timeout = new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out');
    expect(describeCallFailure(timeout, proxy, 'get_current_date', 5_000)).toBe(
      'clock:get_current_date did not answer within 5 s; raise --timeout if it is slow',
    );
    const unknown = new ProtocolError(-32602, 'Tool nope not found');
    expect(describeCallFailure(unknown, direct, 'nope', 60_000, ['greet', 'wave'])).toBe(
      'the agent at http://127.0.0.1:9001/mcp has no tool "nope"; it offers: greet, wave',
    );
    const invalid = new ProtocolError(-32603, 'Internal error');
    expect(describeCallFailure(invalid, proxy, 'get_current_date', 60_000)).toBe(
      'agent clock-1a2b3c4d refused the call to get_current_date: Internal error (JSON-RPC -32603)',
    );
    expect(describeCallFailure(new Error('odd'), proxy, 'get_current_date', 60_000)).toBe(
      'calling clock:get_current_date failed: odd',
    );
  });
});
