import { createRequire } from 'node:module';

/** The runtime's version, from its package (the same file from sources and from dist/). */
export const runtimeVersion: string = (
  createRequire(import.meta.url)('@mcp-mesh/runtime/package.json') as { version: string }
).version;
