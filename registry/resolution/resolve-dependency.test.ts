import { describe, expect, it } from 'vitest';
import type { DependencyRequest, ProviderTool } from './provider.js';
import { type Resolution, resolveDependency } from './resolve-dependency.js';

function provider(agentId: string, overrides: Partial<ProviderTool> = {}): ProviderTool {
  return {
    agentId,
    agentName: agentId.replace(/-\d+$/, ''),
    namespace: 'default',
    functionName: 'weather',
    capability: 'weather',
    version: '1.0.0',
    tags: [],
    kwargs: {},
    endpoint: `http://${agentId}:9000`,
    ...overrides,
  };
}

function request(overrides: Partial<DependencyRequest> = {}): DependencyRequest {
  return { capability: 'weather', version: '*', tags: [], required: false, ...overrides };
}

/** `agentId.functionName` of every candidate, best first. */
function order(resolution: Resolution): string[] {
  return resolution.candidates.map(({ provider: p }) => `${p.agentId}.${p.functionName}`);
}

const consumer = 'consumer-1';

describe('resolveDependency', () => {
  it('answers nothing when there are no providers', () => {
    expect(resolveDependency(request(), [], consumer)).toEqual({ candidates: [], rejections: [] });
  });

  it('accepts every provider of a plain request and orders equal ones by agent id', () => {
    const resolution = resolveDependency(
      request(),
      [provider('c-1'), provider('a-1'), provider('b-1')],
      consumer,
    );
    expect(order(resolution)).toEqual(['a-1.weather', 'b-1.weather', 'c-1.weather']);
    expect(resolution.candidates.map(({ score }) => score)).toEqual([0, 0, 0]);
    expect(resolution.rejections).toEqual([]);
  });

  it('ranks the same whatever the order the providers come in', () => {
    const providers = [
      provider('b-1', { version: '1.2.0' }),
      provider('a-1', { version: '1.1.0' }),
      provider('c-1', { version: '1.2.0', tags: ['fast'] }),
      provider('a-1', { functionName: 'forecast', version: '1.2.0' }),
    ];
    const expected = ['c-1.weather', 'a-1.forecast', 'b-1.weather', 'a-1.weather'];
    const tags = ['+fast'];
    for (const permutation of [
      providers,
      [...providers].reverse(),
      [2, 0, 3, 1].map((i) => providers[i]!),
    ]) {
      expect(order(resolveDependency(request({ tags }), permutation, consumer))).toEqual(expected);
    }
  });

  it('does not change the providers it is given', () => {
    const providers = [provider('b-1'), provider('a-1')];
    resolveDependency(request(), providers, consumer);
    expect(providers.map(({ agentId }) => agentId)).toEqual(['b-1', 'a-1']);
  });

  describe('tags', () => {
    it('rejects a provider that lacks a plain (required) tag', () => {
      const resolution = resolveDependency(
        request({ tags: ['fast'] }),
        [provider('a-1', { tags: ['slow'] }), provider('b-1', { tags: ['fast', 'cheap'] })],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'a-1', functionName: 'weather', reason: 'lacks required tag fast' },
      ]);
    });

    it('requires every plain tag', () => {
      const resolution = resolveDependency(
        request({ tags: ['fast', 'eu'] }),
        [provider('a-1', { tags: ['fast'] }), provider('b-1', { tags: ['eu', 'fast'] })],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'a-1', functionName: 'weather', reason: 'lacks required tag eu' },
      ]);
    });

    it('scores a provider higher for each preferred (+tag) tag it carries and ranks it first', () => {
      const resolution = resolveDependency(
        request({ tags: ['+fast', '+cheap'] }),
        [
          provider('a-1'),
          provider('b-1', { tags: ['cheap'] }),
          provider('c-1', { tags: ['fast', 'cheap'] }),
          provider('d-1', { tags: ['fast'] }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual([
        'c-1.weather',
        'b-1.weather',
        'd-1.weather',
        'a-1.weather',
      ]);
      expect(resolution.candidates.map(({ score }) => score)).toEqual([2, 1, 1, 0]);
      expect(resolution.rejections).toEqual([]);
    });

    it('never rejects a provider for missing a preferred tag', () => {
      const resolution = resolveDependency(
        request({ tags: ['+gpu'] }),
        [provider('a-1')],
        consumer,
      );
      expect(order(resolution)).toEqual(['a-1.weather']);
      expect(resolution.candidates[0]!.score).toBe(0);
    });

    it('rejects a provider that carries an excluded (-tag) tag', () => {
      const resolution = resolveDependency(
        request({ tags: ['-beta'] }),
        [provider('a-1', { tags: ['beta', 'fast'] }), provider('b-1', { tags: ['stable'] })],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'a-1', functionName: 'weather', reason: 'has excluded tag beta' },
      ]);
    });

    it('accepts any one of a list of alternative tags and rejects a provider with none', () => {
      const resolution = resolveDependency(
        request({ tags: [['python', 'typescript']] }),
        [
          provider('a-1', { tags: ['python'] }),
          provider('b-1', { tags: ['go'] }),
          provider('c-1', { tags: ['typescript', 'python'] }),
          provider('d-1', { tags: ['typescript'] }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual(['a-1.weather', 'c-1.weather', 'd-1.weather']);
      expect(resolution.rejections).toEqual([
        {
          agentId: 'b-1',
          functionName: 'weather',
          reason: 'has none of the tags python, typescript',
        },
      ]);
    });

    it('combines required, alternative, preferred and excluded tags', () => {
      const resolution = resolveDependency(
        request({ tags: ['api', ['eu', 'us'], '+fast', '-beta'] }),
        [
          provider('a-1', { tags: ['api', 'eu'] }),
          provider('b-1', { tags: ['api', 'us', 'fast'] }),
          provider('c-1', { tags: ['api', 'eu', 'fast', 'beta'] }),
          provider('d-1', { tags: ['eu', 'fast'] }),
          provider('e-1', { tags: ['api', 'asia', 'fast'] }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather', 'a-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'c-1', functionName: 'weather', reason: 'has excluded tag beta' },
        { agentId: 'd-1', functionName: 'weather', reason: 'lacks required tag api' },
        { agentId: 'e-1', functionName: 'weather', reason: 'has none of the tags eu, us' },
      ]);
    });
  });

  describe('version', () => {
    it('accepts versions in the semver range and rejects the others with the range', () => {
      const resolution = resolveDependency(
        request({ version: '^1.2.0' }),
        [
          provider('a-1', { version: '1.1.9' }),
          provider('b-1', { version: '1.2.0' }),
          provider('c-1', { version: '1.9.3' }),
          provider('d-1', { version: '2.0.0' }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual(['c-1.weather', 'b-1.weather']);
      expect(resolution.rejections).toEqual([
        {
          agentId: 'a-1',
          functionName: 'weather',
          reason: 'version 1.1.9 does not satisfy ^1.2.0',
        },
        {
          agentId: 'd-1',
          functionName: 'weather',
          reason: 'version 2.0.0 does not satisfy ^1.2.0',
        },
      ]);
    });

    it('understands npm range syntax (comparators, unions, x-ranges)', () => {
      const versions = ['0.9.0', '1.0.0', '1.4.2', '2.5.0', '3.0.0'];
      const providers = versions.map((version) => provider(`v${version}`, { version }));
      const accepted = (range: string) =>
        resolveDependency(request({ version: range }), providers, consumer).candidates.map(
          ({ provider: p }) => p.version,
        );
      expect(accepted('>=1.0.0 <2.0.0')).toEqual(['1.4.2', '1.0.0']);
      expect(accepted('~1.4.0 || >=3')).toEqual(['3.0.0', '1.4.2']);
      expect(accepted('2.x')).toEqual(['2.5.0']);
      expect(accepted('1.0.0')).toEqual(['1.0.0']);
    });

    it("understands the predecessor's range syntax (commas join conditions, != excludes)", () => {
      const versions = ['0.9.0', '1.0.0', '1.2.0', '1.4.2', '2.5.0'];
      const providers = versions.map((version) => provider(`v${version}`, { version }));
      const resolution = (range: string) =>
        resolveDependency(request({ version: range }), providers, consumer);
      const accepted = (range: string) =>
        resolution(range).candidates.map(({ provider: p }) => p.version);
      expect(accepted('>=1.0.0,<2.0.0')).toEqual(['1.4.2', '1.2.0', '1.0.0']);
      expect(accepted('!=1.2.0')).toEqual(['2.5.0', '1.4.2', '1.0.0', '0.9.0']);
      expect(accepted('>=1.0.0, !=1.2.0, <2.0.0')).toEqual(['1.4.2', '1.0.0']);
      expect(resolution('!=1.2.0').rejections).toEqual([
        {
          agentId: 'v1.2.0',
          functionName: 'weather',
          reason: 'version 1.2.0 does not satisfy !=1.2.0',
        },
      ]);
    });

    it.each(['*', ''])('accepts every valid version for the range %j', (version) => {
      const resolution = resolveDependency(
        request({ version }),
        [provider('a-1', { version: '0.0.1' }), provider('b-1', { version: '99.0.0' })],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather', 'a-1.weather']);
      expect(resolution.rejections).toEqual([]);
    });

    it('accepts a prerelease only for a range that names a prerelease of its version', () => {
      const providers = [
        provider('a-1', { version: '1.4.2' }),
        provider('b-1', { version: '1.5.0-beta.1' }),
      ];
      const plain = resolveDependency(request({ version: '^1.4' }), providers, consumer);
      expect(order(plain)).toEqual(['a-1.weather']);
      expect(plain.rejections).toEqual([
        {
          agentId: 'b-1',
          functionName: 'weather',
          reason:
            'version 1.5.0-beta.1 does not satisfy ^1.4 (a prerelease satisfies only a range that names a prerelease of 1.5.0, such as >=1.5.0-0)',
        },
      ]);
      expect(order(resolveDependency(request(), providers, consumer))).toEqual(['a-1.weather']);

      const opted = resolveDependency(request({ version: '>=1.5.0-beta.0' }), providers, consumer);
      expect(order(opted)).toEqual(['b-1.weather']);
      const either = resolveDependency(
        request({ version: '^1.4 || >=1.5.0-0' }),
        providers,
        consumer,
      );
      expect(order(either)).toEqual(['b-1.weather', 'a-1.weather']);
    });

    it('rejects a prerelease of another version even when the range names a prerelease', () => {
      const resolution = resolveDependency(
        request({ version: '>=1.5.0-beta.0' }),
        [provider('a-1', { version: '2.0.0-rc.1' }), provider('b-1', { version: '2.0.0' })],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather']);
      expect(resolution.rejections.map(({ agentId }) => agentId)).toEqual(['a-1']);
    });

    it('rejects a provider whose version is not semver, even for *', () => {
      const resolution = resolveDependency(
        request(),
        [provider('a-1', { version: 'latest' }), provider('b-1')],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'a-1', functionName: 'weather', reason: 'version latest is not semver' },
      ]);
    });
  });

  describe('namespace', () => {
    it('rejects providers of another namespace when the request names one', () => {
      const resolution = resolveDependency(
        request({ namespace: 'prod' }),
        [provider('a-1', { namespace: 'dev' }), provider('b-1', { namespace: 'prod' })],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'a-1', functionName: 'weather', reason: 'namespace dev is not prod' },
      ]);
    });

    it.each([undefined, '', 'default'])(
      'looks in default when the request names none or names default (%j)',
      (namespace) => {
        const resolution = resolveDependency(
          request(namespace === undefined ? {} : { namespace }),
          [provider('a-1', { namespace: 'dev' }), provider('b-1', { namespace: 'default' })],
          consumer,
        );
        expect(order(resolution)).toEqual(['b-1.weather']);
        expect(resolution.rejections).toEqual([
          { agentId: 'a-1', functionName: 'weather', reason: 'namespace dev is not default' },
        ]);
      },
    );
  });

  describe('operators inside an OR group of tags', () => {
    const providers = [
      provider('py-1', { tags: ['python'] }),
      provider('ts-1', { tags: ['typescript'] }),
      provider('jb-1', { tags: ['java', 'beta'] }),
      provider('jv-1', { tags: ['java'] }),
    ];

    it('takes +tag as an alternative that also ranks its carriers first', () => {
      const resolution = resolveDependency(
        request({ tags: [['+python', 'typescript']] }),
        providers,
        consumer,
      );
      expect(order(resolution)).toEqual(['py-1.weather', 'ts-1.weather']);
      expect(resolution.candidates.map(({ score }) => score)).toEqual([1, 0]);
    });

    it('takes -tag as an exclusion, whatever else the provider carries', () => {
      const resolution = resolveDependency(
        request({ tags: [['java', '-beta']] }),
        providers,
        consumer,
      );
      expect(order(resolution)).toEqual(['jv-1.weather']);
      expect(resolution.rejections).toContainEqual({
        agentId: 'jb-1',
        functionName: 'weather',
        reason: 'has excluded tag beta',
      });
      expect(resolution.rejections).toContainEqual({
        agentId: 'py-1',
        functionName: 'weather',
        reason: 'has none of the tags java',
      });
    });

    it('sets no alternative to carry for a group of exclusions only', () => {
      const resolution = resolveDependency(
        request({ tags: [['-beta', '-java']] }),
        providers,
        consumer,
      );
      expect(order(resolution)).toEqual(['py-1.weather', 'ts-1.weather']);
    });
  });

  it('rejects every provider, with the reason, for a range that is not semver', () => {
    const resolution = resolveDependency(
      request({ version: 'banana' }),
      [provider('a-1')],
      consumer,
    );
    expect(resolution.candidates).toEqual([]);
    expect(resolution.rejections).toEqual([
      {
        agentId: 'a-1',
        functionName: 'weather',
        reason: 'the range "banana" is not a semver range',
      },
    ]);
  });

  it('gives the first reason in the order namespace, version, tags', () => {
    const resolution = resolveDependency(
      request({ namespace: 'prod', version: '^2.0.0', tags: ['fast', '-beta'] }),
      [
        provider('a-1', { namespace: 'dev', version: '1.0.0', tags: ['beta'] }),
        provider('b-1', { namespace: 'prod', version: '1.0.0', tags: ['beta'] }),
        provider('c-1', { namespace: 'prod', version: '2.0.0', tags: ['beta'] }),
        provider('d-1', { namespace: 'prod', version: '2.0.0', tags: ['fast', 'beta'] }),
      ],
      consumer,
    );
    expect(resolution.candidates).toEqual([]);
    expect(resolution.rejections.map(({ agentId, reason }) => [agentId, reason])).toEqual([
      ['a-1', 'namespace dev is not prod'],
      ['b-1', 'version 1.0.0 does not satisfy ^2.0.0'],
      ['c-1', 'lacks required tag fast'],
      ['d-1', 'has excluded tag beta'],
    ]);
  });

  describe('ranking', () => {
    it('ranks by tag score before version', () => {
      const resolution = resolveDependency(
        request({ tags: ['+fast'] }),
        [
          provider('a-1', { version: '9.0.0' }),
          provider('b-1', { version: '1.0.0', tags: ['fast'] }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual(['b-1.weather', 'a-1.weather']);
    });

    it('ranks equal scores by highest version, prerelease below its release', () => {
      const resolution = resolveDependency(
        request({ version: '>=1.2.0 || >=1.10.0-rc.0' }),
        [
          provider('a-1', { version: '1.2.0' }),
          provider('b-1', { version: '1.10.0' }),
          provider('c-1', { version: '1.10.0-rc.1' }),
          provider('d-1', { version: '1.9.0' }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual([
        'b-1.weather',
        'c-1.weather',
        'd-1.weather',
        'a-1.weather',
      ]);
    });

    it('ranks equal scores and versions by agent id, then function name', () => {
      const resolution = resolveDependency(
        request(),
        [
          provider('b-1', { functionName: 'alpha' }),
          provider('a-2', { functionName: 'zeta' }),
          provider('a-2', { functionName: 'beta' }),
          provider('a-10', { functionName: 'gamma' }),
        ],
        consumer,
      );
      expect(order(resolution)).toEqual(['a-10.gamma', 'a-2.beta', 'a-2.zeta', 'b-1.alpha']);
    });

    it("ranks a tool of the consumer's own agent first, over score and version", () => {
      const resolution = resolveDependency(
        request({ tags: ['+fast'] }),
        [
          provider('a-1', { version: '5.0.0', tags: ['fast'] }),
          provider('z-1', { version: '1.0.0' }),
          provider('b-1', { version: '5.0.0', tags: ['fast'] }),
        ],
        'z-1',
      );
      expect(order(resolution)).toEqual(['z-1.weather', 'a-1.weather', 'b-1.weather']);
      expect(resolution.candidates.map(({ score }) => score)).toEqual([0, 1, 1]);
    });

    it("still rejects a tool of the consumer's own agent that does not match", () => {
      const resolution = resolveDependency(
        request({ tags: ['fast'] }),
        [provider('z-1'), provider('a-1', { tags: ['fast'] })],
        'z-1',
      );
      expect(order(resolution)).toEqual(['a-1.weather']);
      expect(resolution.rejections).toEqual([
        { agentId: 'z-1', functionName: 'weather', reason: 'lacks required tag fast' },
      ]);
    });
  });
});
