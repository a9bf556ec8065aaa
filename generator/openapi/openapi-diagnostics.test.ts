import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../spec/validate-spec.js';

const invalid = fileURLToPath(new URL('./fixtures/invalid/', import.meta.url));

// Each invalid document, and exactly where and what the validator says about it. Warnings are
// the operations the mapping cannot serve: they are left out, and the rest of the document works.
const cases: [fixture: string, expected: string, says: RegExp][] = [
  [
    'missing-operation-id.yaml',
    'missing-operation-id.yaml:7:5 error missing-operation-id',
    /GET \/things has no operationId/,
  ],
  [
    'duplicate-operation-id.yaml',
    'duplicate-operation-id.yaml:12:20 error duplicate-tool',
    /declared twice; first at duplicate-operation-id.yaml:8:20/,
  ],
  [
    'form-body.yaml',
    'form-body.yaml:11:11 warning unsupported-media-type',
    /multipart\/form-data; only JSON bodies/,
  ],
  [
    'cookie-parameter.yaml',
    'cookie-parameter.yaml:10:11 warning unsupported-parameter',
    /cookie parameter "session"/,
  ],
  [
    'deep-object.yaml',
    'deep-object.yaml:12:18 warning unsupported-parameter',
    /style "deepObject"/,
  ],
  ['explode-false.yaml', 'explode-false.yaml:12:20 warning unsupported-parameter', /explode false/],
  [
    'content-parameter.yaml',
    'content-parameter.yaml:12:11 warning unsupported-parameter',
    /described by content/,
  ],
  [
    'x-mesh-unknown-key.yaml',
    'x-mesh-unknown-key.yaml:11:9 error schema',
    /unknown property "capabilty".*did you mean "capability"/,
  ],
  [
    'x-mesh-mistyped.yaml',
    'x-mesh-mistyped.yaml:12:24 error schema',
    /kwargs\.retry_count must be an integer/,
  ],
  [
    'x-mesh-root-unknown.yaml',
    'x-mesh-root-unknown.yaml:7:3 error schema',
    /unknown property "prot" in x-mesh; did you mean "port"/,
  ],
  [
    'x-mesh-bad-duration.yaml',
    'x-mesh-bad-duration.yaml:12:20 error invalid-duration',
    /"5 parsecs" is not a duration/,
  ],
  [
    'parameter-collision.yaml',
    'parameter-collision.yaml:14:17 error parameter-collision',
    /parameter "id" \(query\)/,
  ],
  [
    'ref-style.yaml',
    'shared/parameters.yaml:5:10 warning unsupported-parameter',
    /style "spaceDelimited"/,
  ],
  [
    'ref-missing-file.yaml',
    'ref-missing-file.yaml:11:11 error unresolved-ref',
    /nowhere\.yaml: ENOENT/,
  ],
  [
    'ref-missing-pointer.yaml',
    'ref-missing-pointer.yaml:11:11 error unresolved-ref',
    /Token "NoSuchThing" does not exist/,
  ],
  [
    'not-openapi-shape.yaml',
    'not-openapi-shape.yaml:11:24 error openapi-invalid',
    /#\/paths\/~1a\/get\/responses\/200\/description must be string/,
  ],
  [
    'bad-info-version.yaml',
    'bad-info-version.yaml:4:12 error invalid-version',
    /set x-mesh\.version/,
  ],
  [
    'unsupported-version.yaml',
    'unsupported-version.yaml:1:10 error openapi-invalid',
    /OpenAPI 3\.2\.0 is not supported/,
  ],
  [
    'ref-x-mesh-dependency.yaml',
    'ref-x-mesh-dependency.yaml:13:22 error invalid-version-range',
    /"not a range" is not a semver range/,
  ],
];

describe('diagnostics inside OpenAPI documents', () => {
  it.each(cases)('%s', async (fixture, expected, says) => {
    const { diagnostics, model } = await validateSpec([fixture], invalid);
    const found = diagnostics.filter((d) => d.code !== 'unprovided-dependency');
    expect(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      expected,
    ]);
    expect(found[0]?.message).toMatch(says);
    expect(found[0]?.excerpt?.trim()).not.toBe('');
    const isError = expected.includes(' error ');
    expect(model === undefined).toBe(isError);
    // A warning leaves the operation out and keeps the agent.
    if (!isError) expect(model?.agents[0]?.tools).toEqual([]);
  });
});
