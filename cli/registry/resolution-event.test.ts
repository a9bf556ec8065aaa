import { describe, expect, it } from 'vitest';
import { readResolutionEvent } from './resolution-event.js';

describe('readResolutionEvent', () => {
  it('reads our shape before 0.3: chosen as a string agent.tool', () => {
    expect(
      readResolutionEvent({
        position: 1,
        capability: 'date_service',
        version: '>=1.0.0',
        chosen: 'clock-1.get_date',
        candidates: [{ provider: 'clock-1.get_date' }, { provider: 'clock-2.get_date' }],
        rejected: [{ agentId: 'old-1', functionName: 'get_date', reason: 'lacks required tag x' }],
      }),
    ).toEqual({
      position: 1,
      capability: 'date_service',
      version: '>=1.0.0',
      chosen: 'clock-1.get_date',
      candidates: 2,
      rejected: 1,
    });
  });

  it('reads our shape since 0.3: provider, chosen as an object, the reason when unresolved', () => {
    expect(
      readResolutionEvent({
        position: 0,
        capability: 'fruit',
        version: 'banana',
        provider: '',
        candidates: [],
        rejected: [],
        reason: 'the range "banana" is not a semver range',
        dep_index: 0,
        spec: { capability: 'fruit', version_constraint: 'banana' },
        stages: [{ stage: 'match', kept: [], evicted: [] }],
      }),
    ).toEqual({
      position: 0,
      capability: 'fruit',
      version: 'banana',
      chosen: '',
      candidates: 0,
      rejected: 0,
      reason: 'the range "banana" is not a semver range',
    });
    expect(
      readResolutionEvent({
        position: 0,
        provider: 'a-1.t',
        chosen: { agent_id: 'a-1', function_name: 't', endpoint: 'http://x:1' },
      }).chosen,
    ).toBe('a-1.t');
  });

  it("reads the predecessor's shape: dep_index, spec, stages, chosen object or absent", () => {
    const resolved = readResolutionEvent({
      consumer: 'hello-1',
      dep_index: 2,
      spec: { capability: 'weather', tags: ['api'], version_constraint: '>=1', schema_mode: '' },
      stages: [
        { stage: 'health', kept: ['a', 'b', 'c'] },
        { stage: 'tags', kept: ['a', 'b'], evicted: [{ id: 'c', reason: 'missing tag api' }] },
        { stage: 'tiebreaker', kept: ['a'], chosen: 'a', reason: 'highest score' },
      ],
      chosen: { agent_id: 'a', endpoint: 'http://a:9000', function_name: 'get_weather' },
      prior_chosen: 'b',
    });
    expect(resolved).toEqual({
      position: 2,
      capability: 'weather',
      version: '>=1',
      chosen: 'a.get_weather',
      candidates: 1,
      rejected: 1,
    });
    const unresolved = readResolutionEvent({
      dep_index: 0,
      spec: { capability: 'weather' },
      stages: [{ stage: 'health', kept: [], reason: 'no healthy candidates' }],
    });
    expect(unresolved).toMatchObject({
      chosen: '',
      candidates: 0,
      reason: 'no healthy candidates',
    });
  });

  it('reads nothing out of a missing or odd payload without throwing', () => {
    expect(readResolutionEvent(undefined)).toEqual({
      position: undefined,
      capability: '',
      version: '',
      chosen: '',
      candidates: 0,
      rejected: 0,
    });
    expect(readResolutionEvent({ chosen: 42, stages: 'x', spec: [] }).chosen).toBe('');
  });
});
