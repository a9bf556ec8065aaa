import { createRequire } from 'node:module';

/** meshctl's version: its package's, read once (the same file from sources and from dist/). */
export const meshctlVersion: string = (
  createRequire(import.meta.url)('@mcp-mesh/cli/package.json') as { version: string }
).version;
