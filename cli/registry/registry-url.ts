import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';

/** Where meshctl looks for a registry when neither `--registry-url` nor the environment says. */
export const defaultRegistryUrl = 'http://localhost:8000';

/** Adds `--registry-url <url>` and `--json`, which every command that reads the registry takes. */
export function addRegistryOptions(
  command: Command,
  json = 'print JSON for scripts instead of a table',
): Command {
  return command
    .option(
      '--registry-url <url>',
      `registry to ask (env MCP_MESH_REGISTRY_URL, default ${defaultRegistryUrl})`,
    )
    .option('--json', json);
}

/**
 * The registry's base URL: `--registry-url`, else `MCP_MESH_REGISTRY_URL`, else
 * http://localhost:8000; without trailing slashes. A value that is not an http(s) URL is a
 * usage error.
 */
export function registryUrlFrom(
  flag: string | undefined,
  environment: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnvironment = environment.MCP_MESH_REGISTRY_URL?.trim();
  const raw = flag ?? (fromEnvironment ? fromEnvironment : defaultRegistryUrl);
  const source = flag === undefined ? 'MCP_MESH_REGISTRY_URL' : '--registry-url';
  return httpUrl(raw, source);
}

/** Checks that `raw` is an http(s) URL and drops trailing slashes; `source` names it in errors. */
export function httpUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${source} "${raw}" is not a URL; give one like http://localhost:8000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source} "${raw}" must start with http:// or https://`);
  }
  return raw.trim().replace(/\/+$/, '');
}
