import { describe, expect, it } from 'vitest';
import type { DependencyRequest, ProviderTool } from './provider.js';
import { resolvePosition } from './resolve-position.js';

function provider(agentId: string, capability: string, version = '1.0.0'): ProviderTool {
  return {
    agentId,
    agentName: agentId,
    namespace: 'default',
    functionName: 'run',
    capability,
    version,
    tags: [],
    kwargs: {},
    endpoint: `http://${agentId}:9000`,
  };
}

const providers = [
  provider('pro-1', 'pro', '1.0.0'),
  provider('basic-1', 'basic'),
  provider('basic-2', 'basic'),
];
const providersOf = (capability: string) =>
  providers.filter((candidate) => candidate.capability === capability);

const request = (overrides: Partial<DependencyRequest> = {}): DependencyRequest => ({
  capability: 'pro',
  version: '>=2',
  tags: [],
  required: false,
  ...overrides,
});

describe('resolvePosition', () => {
  it('resolves a position without alternatives as its one request, with no alternative index', () => {
    const resolution = resolvePosition(request({ version: '*' }), providersOf, 'me');
    expect(resolution.candidates.map(({ provider: p }) => p.agentId)).toEqual(['pro-1']);
    expect(resolution.alternative).toBeUndefined();
  });

  it('takes the first alternative that has candidates, with the reasons of those before it', () => {
    const resolution = resolvePosition(
      request({
        fallbacks: [
          { capability: 'missing', version: '*', tags: [] },
          { capability: 'basic', version: '*', tags: [] },
          { capability: 'pro', version: '*', tags: [] },
        ],
      }),
      providersOf,
      'me',
    );
    expect(resolution.alternative).toBe(2);
    expect(resolution.candidates.map(({ provider: p }) => p.agentId)).toEqual([
      'basic-1',
      'basic-2',
    ]);
    expect(resolution.rejections).toEqual([
      { agentId: 'pro-1', functionName: 'run', reason: 'version 1.0.0 does not satisfy >=2' },
    ]);
  });

  it('answers no candidates and every rejection when no alternative resolves', () => {
    const resolution = resolvePosition(
      request({ fallbacks: [{ capability: 'basic', version: '>=5', tags: [] }] }),
      providersOf,
      'me',
    );
    expect(resolution.candidates).toEqual([]);
    expect(resolution.alternative).toBeUndefined();
    expect(resolution.rejections.map(({ agentId }) => agentId)).toEqual([
      'pro-1',
      'basic-1',
      'basic-2',
    ]);
  });
});
