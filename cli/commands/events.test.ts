import { describe, expect, it } from 'vitest';
import { createStyle, stripAnsi } from '../output/style.js';
import { resolvedEvent } from '../registry/test-fixtures.js';
import { UsageError } from '../usage-error.js';
import {
  eventDetails,
  formatEvents,
  mergeNewestFirst,
  parseEventType,
  parseLimit,
} from './events.js';

const register = resolvedEvent({
  event_id: 1,
  event_type: 'register',
  function_name: null,
  agent_id: 'clock-1a2b3c4d',
  timestamp: '2026-03-01T11:55:00.123Z',
  data: { endpoint: 'http://127.0.0.1:9001', tools: 1, replica: 'r1' },
});

describe('meshctl events', () => {
  it('prints a table newest first with a summary of each event', () => {
    const unresolved = resolvedEvent({
      event_id: 5,
      event_type: 'dependency_unresolved',
      timestamp: '2026-03-01T11:59:00Z',
      data: {
        position: 0,
        capability: 'date_service',
        version: '>=1.0.0',
        chosen: '',
        candidates: [],
        rejected: [{ agentId: 'a', functionName: 'b', reason: 'lacks required tag system' }],
      },
    });
    expect(formatEvents([unresolved, resolvedEvent(), register])).toEqual([
      'TIME                  TYPE                   AGENT             TOOL   DETAILS',
      '2026-03-01 11:59:00Z  dependency_unresolved  greeter-5e6f7a8b  greet  date_service >=1.0.0 unresolved (0 candidates, 1 rejected)',
      '2026-03-01 11:58:00Z  dependency_resolved    greeter-5e6f7a8b  greet  date_service >=1.0.0 → clock-1a2b3c4d.get_current_date (1 candidate, 1 rejected)',
      '2026-03-01 11:55:00Z  register               clock-1a2b3c4d    -      endpoint=http://127.0.0.1:9001 tools=1',
    ]);
    const coloured = formatEvents([register], createStyle(true));
    expect(coloured[1]).toContain('\u001b[32mregister\u001b[39m');
    expect(coloured.map(stripAnsi)).toEqual(formatEvents([register]));
  });

  it('summarises details briefly', () => {
    expect(
      eventDetails(
        resolvedEvent({
          event_type: 'dependency_unresolved',
          data: { capability: 'ledger', chosen: '', candidates: [], rejected: [] },
        }),
      ),
    ).toBe('ledger unresolved (no provider)');
    expect(eventDetails({ ...register, data: {} })).toBe('-');
    expect(eventDetails({ ...register, data: { note: 'x'.repeat(200) } })).toHaveLength(100);
  });

  it("summarises the predecessor's resolution events and ours since 0.3 alike", () => {
    const predecessor = resolvedEvent({
      event_type: 'dependency_resolved',
      data: {
        consumer: 'greeter-5e6f7a8b',
        dep_index: 0,
        spec: { capability: 'date_service', version_constraint: '>=1.0.0', schema_mode: '' },
        stages: [
          { stage: 'tags', kept: ['clock-1'], evicted: [{ id: 'clock-2', reason: 'missing tag' }] },
          { stage: 'tiebreaker', kept: ['clock-1'], chosen: 'clock-1', reason: 'only one' },
        ],
        chosen: { agent_id: 'clock-1', endpoint: 'http://x:1', function_name: 'get_date' },
      },
    });
    expect(eventDetails(predecessor)).toBe(
      'date_service >=1.0.0 → clock-1.get_date (1 candidate, 1 rejected)',
    );
    const ours = resolvedEvent({
      event_type: 'dependency_unresolved',
      data: {
        position: 0,
        capability: 'fruit',
        version: 'banana',
        provider: '',
        candidates: [],
        rejected: [],
        reason: 'the range "banana" is not a semver range',
      },
    });
    expect(eventDetails(ours)).toBe(
      'fruit banana unresolved (the range "banana" is not a semver range)',
    );
  });

  it('merges the pages of several agents newest first, up to the limit', () => {
    const a = [resolvedEvent({ event_id: 7 }), resolvedEvent({ event_id: 2 })];
    const b = [resolvedEvent({ event_id: 5 }), resolvedEvent({ event_id: 1 })];
    expect(mergeNewestFirst([a, b], 3).map((event) => event.event_id)).toEqual([7, 5, 2]);
    expect(mergeNewestFirst([a], 1).map((event) => event.event_id)).toEqual([7]);
  });

  it('checks --limit and --type before asking the registry', () => {
    expect(parseLimit('20')).toBe(20);
    expect(parseLimit('1000')).toBe(1000);
    for (const bad of ['0', '1001', '2.5', 'many', '-3', ''])
      expect(() => parseLimit(bad)).toThrow(UsageError);
    expect(parseEventType(undefined)).toBeUndefined();
    expect(parseEventType('unhealthy')).toBe('unhealthy');
    expect(() => parseEventType('crashed')).toThrow(
      /--type "crashed" is not an event type; use one of register, heartbeat/,
    );
  });
});
